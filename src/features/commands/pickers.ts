import * as vscode from 'vscode';
import type { ModEntry } from '../../portal/types';
import type { DependencyData } from '../infoJson/dependencyData';
import { PORTAL_TEXT_LIMITS, clip, formatDownloads } from '../core/portalText';

/** Results shown at once; the index is searched again on every keystroke. */
const SEARCH_LIMIT = 200;

export interface ModItem extends vscode.QuickPickItem {
  mod: ModEntry;
}

export interface ItemButton extends vscode.QuickInputButton {
  id: string;
}

export interface PickModOptions {
  title: string;
  placeholder?: string;
  /** Text to start with. */
  query?: string;
  buttons?: readonly ItemButton[];
  onButton?: (mod: ModEntry, id: string) => void;
}

function modItem(mod: ModEntry, buttons: readonly ItemButton[] | undefined): ModItem {
  // Portal text of any length: each is one line of the pick.
  const summary = mod.summary ? ` · ${clip(mod.summary, PORTAL_TEXT_LIMITS.line)}` : '';
  return {
    label: clip(mod.title || mod.name, PORTAL_TEXT_LIMITS.line),
    description: mod.name,
    detail: `$(cloud-download) ${formatDownloads(mod.downloads_count)}${summary}`,
    // Matches on the name's letters out of order still belong in the list.
    alwaysShow: true,
    mod,
    ...(buttons && buttons.length > 0 ? { buttons: [...buttons] } : {}),
  };
}

/**
 * A quick pick over the whole mod list. The list is searched by the extension's own index
 * on each keystroke (name and title, abbreviations, words in any order, a typo; ranked
 * with downloads, see searchMatch.ts), and VS Code highlights the matches in title and name.
 */
export function pickMod(data: DependencyData, options: PickModOptions): Promise<ModEntry | undefined> {
  const quickPick = vscode.window.createQuickPick<ModItem>();
  quickPick.title = options.title;
  quickPick.placeholder = options.placeholder ?? vscode.l10n.t('Type a mod name or title');
  quickPick.matchOnDescription = true;
  quickPick.busy = true;
  if (options.query) quickPick.value = options.query;

  return new Promise<ModEntry | undefined>((resolve) => {
    let done = false;
    let search: ((value: string) => void) | undefined;
    const finish = (mod: ModEntry | undefined): void => {
      if (done) return;
      done = true;
      resolve(mod);
      quickPick.hide();
    };
    const subscriptions = [
      quickPick.onDidChangeValue((value) => search?.(value)),
      quickPick.onDidAccept(() => {
        const item = quickPick.activeItems[0] ?? quickPick.selectedItems[0];
        if (item) finish(item.mod);
      }),
      quickPick.onDidTriggerItemButton((e) => {
        const button = e.button as ItemButton;
        options.onButton?.(e.item.mod, button.id);
      }),
      quickPick.onDidHide(() => {
        finish(undefined);
        for (const s of subscriptions) s.dispose();
        quickPick.dispose();
      }),
    ];
    quickPick.show();
    void data.index().then((index) => {
      quickPick.busy = false;
      if (done) return;
      if (!index) {
        quickPick.placeholder = vscode.l10n.t('The mod list could not be loaded from the Mod Portal (see Show Log)');
        return;
      }
      search = (value) => {
        const items = index.search(value, SEARCH_LIMIT).map((hit) => modItem(hit.mod, options.buttons));
        quickPick.items = items;
        // VS Code lists first the items its own letter matching highlights (the order is not
        // ours to set in the stable API); our best match stays the one Enter picks.
        if (items[0]) quickPick.activeItems = [items[0]];
      };
      search(quickPick.value);
    });
  });
}
