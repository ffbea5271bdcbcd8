import * as vscode from 'vscode';
import { isWebUrl } from '../../portal/portalUrl';

/**
 * Opens a web page in the system browser. Links come from the portal and from settings,
 * so anything but an absolute http(s) URL (a `file:`, `command:` or `vscode:` link) is
 * refused instead of handed to the operating system.
 */
export async function openWebPage(url: string): Promise<boolean> {
  if (!isWebUrl(url)) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Not opened: "{0}" is not a web address (http or https).', url.slice(0, 200)));
    return false;
  }
  return vscode.env.openExternal(vscode.Uri.parse(url));
}

/** What a refused action is told: why, and what keeps working. */
export function untrustedWorkspaceMessage(action: string): string {
  return vscode.l10n.t(
    '{0} writes outside this workspace, so it needs a trusted workspace. Trust this folder to go on; in Restricted Mode, info.json features and browsing the portal keep working.',
    action,
  );
}

/**
 * In Restricted Mode a workspace may be a stranger's: what writes outside it (downloads,
 * installs, packages, uploads) waits until the user trusts it. Says so, with a button that
 * opens VS Code's trust editor for this folder, and answers whether to go on. Every command
 * that writes outside the workspace or sends the user's token calls this first.
 */
export function requireTrustedWorkspace(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  const trust = vscode.l10n.t('Trust This Folder…');
  void vscode.window.showWarningMessage(untrustedWorkspaceMessage(action), trust).then((chosen) => {
    if (chosen === trust) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
