import * as vscode from 'vscode';
import type { ModList, ModSummary } from '../../portal/modList';
import type { DependencyData } from '../infoJson/dependencyData';
import { PORTAL_TEXT_LIMITS, clip, formatDownloads } from '../core/portalText';

/** Results shown at once; the index is searched again on every keystroke. */
const SEARCH_LIMIT = 200;
/** Rows whose summary is read (from the details file, asynchronously): about what the pick shows without scrolling. */
const SUMMARY_ROWS = 20;
/** Summaries one pick remembers while the user types. */
const MAX_KEPT_SUMMARIES = 500;

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

/**
 * Searches `list` as the user types: the rows at once from what memory holds, then the
 * summaries of the first rows, read from the details file without blocking the typing.
 */
function searcher(list: ModList, quickPick: vscode.QuickPick<ModItem>, buttons: readonly ItemButton[] | undefined): (value: string) => void {
  const summaries = new Map<string, string>();
  let typed = 0;
  const show = (hits: readonly ModSummary[]): void => {
    const active = quickPick.activeItems[0]?.mod.name;
    const items = hits.map((mod) => modItem(mod, summaries.get(mod.name), buttons));
    quickPick.items = items;
    const again = active === undefined ? undefined : items.find((item) => item.mod.name === active);
    if (again) quickPick.activeItems = [again];
  };
  return (value) => {
    const seq = ++typed;
    const hits = list.search(value, SEARCH_LIMIT).map((hit) => hit.mod);
    show(hits);
    const missing = hits.slice(0, SUMMARY_ROWS).filter((mod) => !summaries.has(mod.name)).map((mod) => mod.name);
    if (missing.length === 0) return;
    void list.detailsOf(missing).then((found) => {
      if (summaries.size + missing.length > MAX_KEPT_SUMMARIES) summaries.clear();
      for (const name of missing) summaries.set(name, found.get(name)?.summary ?? '');
      // A later keystroke shows these itself.
      if (seq === typed) show(hits);
    });
  };
}

/**
 * A quick pick over the whole mod list. The list is searched by the extension's own index
 * on each keystroke (name and title, prefix, substring and subsequence, most downloaded
 * first), and VS Code highlights the matches in title and name.
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
