import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { renderReleasePage, type ReleaseView } from './releaseHtml';

export type PanelAction = 'write' | 'write-anyway' | 'recheck' | 'cancel' | 'reveal' | 'package' | 'fix';

export interface PanelMessage {
  action: PanelAction;
  index?: number;
}

const ACTIONS = new Set<string>(['write', 'write-anyway', 'recheck', 'cancel', 'reveal', 'package', 'fix']);

function isPanelMessage(value: unknown): value is PanelMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { action, index } = value as Record<string, unknown>;
  return typeof action === 'string' && ACTIONS.has(action) && (index === undefined || (typeof index === 'number' && Number.isInteger(index)));
}

/**
 * The one release panel (Package Mod's preview, the release checks). The page's script
 * only posts button clicks; each is checked here before it means anything.
 */
export class ReleasePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private view: ReleaseView | undefined;
  private readonly messages = new vscode.EventEmitter<PanelMessage>();
  /** A button clicked, or `cancel` when the panel is closed. */
  readonly onMessage = this.messages.event;

  get current(): ReleaseView | undefined {
    return this.view;
  }

  get visible(): boolean {
    return this.panel !== undefined;
  }

  show(view: ReleaseView): void {
    this.view = view;
    const panel = this.ensurePanel();
    panel.title = view.mode === 'package' ? vscode.l10n.t('Package {0}', view.name) : vscode.l10n.t('Release Checks: {0}', view.name);
    panel.webview.html = renderReleasePage(view, { nonce: randomBytes(16).toString('base64'), cspSource: panel.webview.cspSource, t: vscode.l10n.t });
  }

  update(change: Partial<ReleaseView>): void {
    if (this.view) this.show({ ...this.view, ...change });
  }

  close(): void {
    this.panel?.dispose();
  }

  private ensurePanel(): vscode.WebviewPanel {
    if (this.panel) return this.panel;
    const panel = vscode.window.createWebviewPanel(
      'factorioPortal.release',
      vscode.l10n.t('Package Mod'),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      { enableScripts: true, enableCommandUris: false, enableForms: false, localResourceRoots: [], retainContextWhenHidden: true },
    );
    panel.webview.onDidReceiveMessage((message: unknown) => {
      if (isPanelMessage(message)) this.messages.fire(message);
    });
    panel.onDidDispose(() => {
      if (this.panel !== panel) return;
      this.panel = undefined;
      this.view = undefined;
      this.messages.fire({ action: 'cancel' });
    });
    this.panel = panel;
    return panel;
  }

  dispose(): void {
    this.panel?.dispose();
    this.messages.dispose();
  }
}
