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

/**
 * In Restricted Mode a workspace may be a stranger's: what writes outside it waits until
 * the user trusts it. Says so, with a way to do it, and answers whether to go on.
 */
export function requireTrustedWorkspace(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  const manage = vscode.l10n.t('Manage Workspace Trust');
  void vscode.window
    .showWarningMessage(vscode.l10n.t('{0} writes outside this workspace, so it needs a trusted workspace. Restricted Mode keeps info.json features and browsing the portal.', action), manage)
    .then((chosen) => {
      if (chosen === manage) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}
