import * as vscode from 'vscode';

export interface Choice<T> extends vscode.QuickPickItem {
  value: T;
}

/** A plain single choice; `active` is preselected so Enter takes it. */
export function pickOne<T>(items: readonly Choice<T>[], options: { title: string; placeholder?: string; active?: Choice<T> }): Promise<T | undefined> {
  const quickPick = vscode.window.createQuickPick<Choice<T>>();
  quickPick.title = options.title;
  if (options.placeholder) quickPick.placeholder = options.placeholder;
  quickPick.items = items;
  if (options.active) quickPick.activeItems = [options.active];
  return new Promise<T | undefined>((resolve) => {
    let done = false;
    const subscriptions = [
      quickPick.onDidAccept(() => {
        const item = quickPick.activeItems[0] ?? quickPick.selectedItems[0];
        if (!item || done) return;
        done = true;
        resolve(item.value);
        quickPick.hide();
      }),
      quickPick.onDidHide(() => {
        if (!done) {
          done = true;
          resolve(undefined);
        }
        for (const s of subscriptions) s.dispose();
        quickPick.dispose();
      }),
    ];
    quickPick.show();
  });
}
