import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { isBuiltinMod } from '../../model/builtins';
import type { TagIndex } from '../../portal/tags';
import type { FullModEntry, ModEntry } from '../../portal/types';
import type { DependencyData } from '../infoJson/dependencyData';
import { openFactorioVersion } from '../core/documents';
import type { PortalService } from '../services/portalService';
import { PORTAL_TEXT_LIMITS, clip } from '../core/portalText';
import { renderDetailsPage } from './detailsHtml';

export interface DetailsSnapshot {
  name: string;
  title: string;
  html: string;
  /** Whether the full record (description, changelog…) is shown. */
  full: boolean;
}

/**
 * One details panel, reused for each mod shown. Portal content is untrusted: the
 * webview runs no script at all and allows no command links, so a link in a description
 * can only open a web page in the browser.
 */
export class DetailsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private current: DetailsSnapshot | undefined;
  /** Each show() bumps it; a slower earlier load does not overwrite a later one. */
  private generation = 0;

  constructor(
    private readonly portal: PortalService,
    private readonly data: DependencyData,
    private readonly tags: () => TagIndex,
  ) {}

  private ensurePanel(): vscode.WebviewPanel {
    if (this.panel) {
      this.panel.reveal(undefined, false);
      return this.panel;
    }
    const panel = vscode.window.createWebviewPanel(
      'factorioPortal.modDetails',
      vscode.l10n.t('Mod Details'),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      { enableScripts: false, enableCommandUris: false, enableForms: false, localResourceRoots: [], retainContextWhenHidden: false },
    );
    panel.onDidDispose(() => {
      if (this.panel === panel) {
        this.panel = undefined;
        this.current = undefined;
      }
    });
    this.panel = panel;
    return panel;
  }

  private render(mod: ModEntry | FullModEntry, full: boolean, notice?: string): void {
    const panel = this.ensurePanel();
    const html = renderDetailsPage(mod, {
      portalUrl: this.portal.url,
      nonce: randomBytes(16).toString('base64'),
      factorioVersion: openFactorioVersion(),
      ...(notice ? { notice } : {}),
    });
    const title = clip(mod.title || mod.name, PORTAL_TEXT_LIMITS.line);
    panel.title = title;
    panel.webview.html = html;
    this.current = { name: mod.name, title, html, full };
  }

  /** Shows the mod; false when the portal does not know it. */
  async show(name: string): Promise<boolean> {
    if (isBuiltinMod(name)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" ships with the game and is not on the Mod Portal.', name));
      return false;
    }
    const generation = ++this.generation;
    const known = this.data.mod(name) ?? (await this.portal.cache.peekList()?.details(name));
    // Short data first, so the panel answers at once; the full record follows.
    if (known && generation === this.generation) this.render(known, false, vscode.l10n.t('Loading the full details…'));
    const full = await this.data.fetchFull(name);
    if (generation !== this.generation) return full !== undefined;
    if (full) {
      this.tags().noteFullMod(full);
      this.render(full, true);
      return true;
    }
    const record = this.portal.cache.peekFullMod(name);
    if (record.state === 'missing') {
      this.panel?.dispose();
      void vscode.window.showErrorMessage(vscode.l10n.t('The mod "{0}" is not on the Mod Portal.', name));
      return false;
    }
    const fallback = known ?? this.data.mod(name);
    if (fallback) {
      this.render(fallback, false, vscode.l10n.t('The full details could not be loaded from the Mod Portal; showing what is cached.'));
      return true;
    }
    this.panel?.dispose();
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not load "{0}" from the Mod Portal (see Show Log).', name));
    return false;
  }

  snapshot(): DetailsSnapshot | undefined {
    return this.panel ? this.current : undefined;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
