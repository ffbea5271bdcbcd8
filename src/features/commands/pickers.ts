import * as vscode from 'vscode';
import type { ModList, ModSummary } from '../../portal/modList';
import { ModSearch, type ModRow } from './modSearch';
import type { DependencyData } from '../infoJson/dependencyData';
import { PORTAL_TEXT_LIMITS, clip, formatDownloads } from '../core/portalText';


export interface ModItem extends vscode.QuickPickItem {
  mod: ModSummary;
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
  onButton?: (mod: ModSummary, id: string) => void;
}

function modItem(mod: ModSummary, summaryText: string | undefined, buttons: readonly ItemButton[] | undefined): ModItem {
  // Portal text of any length: each is one line of the pick.
  const summary = summaryText ? ` · ${clip(summaryText, PORTAL_TEXT_LIMITS.line)}` : '';
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

/** Searches `list` as the user types (see ModSearch): rows at once, summaries as they are read. */
function searcher(list: ModList, quickPick: vscode.QuickPick<ModItem>, buttons: readonly ItemButton[] | undefined): (value: string) => void {
  const search = new ModSearch(list);
  /** `keepActive`: the same rows again, with summaries: the row the user moved to stays active. */
  const show = (rows: readonly ModRow[], keepActive: boolean): void => {
    const active = keepActive ? quickPick.activeItems[0]?.mod.name : undefined;
    const items = rows.map((row) => modItem(row.mod, row.summary, buttons));
    quickPick.items = items;
    const again = active === undefined ? undefined : items.find((item) => item.mod.name === active);
    // VS Code lists first the items its own letter matching highlights (the order is not
    // ours to set in the stable API); our best match stays the one Enter picks.
    const target = again ?? items[0];
    if (target) quickPick.activeItems = [target];
  };
  return (value) => show(search.search(value, (rows) => show(rows, true)).rows, false);
}

/**
 * A quick pick over the whole mod list. The list is searched by the extension's own index
 * on each keystroke (name and title, abbreviations, words in any order, a typo; ranked
 * with downloads, see searchMatch.ts), and VS Code highlights the matches in title and name.
 */
export function pickMod(data: DependencyData, options: PickModOptions): Promise<ModSummary | undefined> {
  const quickPick = vscode.window.createQuickPick<ModItem>();
  quickPick.title = options.title;
  quickPick.placeholder = options.placeholder ?? vscode.l10n.t('Type a mod name or title');
  quickPick.matchOnDescription = true;
  quickPick.busy = true;
  if (options.query) quickPick.value = options.query;

  return new Promise<ModSummary | undefined>((resolve) => {
    let done = false;
    let search: ((value: string) => void) | undefined;
    const finish = (mod: ModSummary | undefined): void => {
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
    void data.list().then((list) => {
      quickPick.busy = false;
      if (done) return;
      if (!list) {
        quickPick.placeholder = vscode.l10n.t('The mod list could not be loaded from the Mod Portal (see Show Log)');
        return;
      }
      search = searcher(list, quickPick, options.buttons);
      search(quickPick.value);
    });
  });
}
