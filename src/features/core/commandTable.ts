import * as vscode from 'vscode';

/**
 * A feature's commands: id → handler, with the arguments the command was run with.
 * Each feature exports one table; extension.ts registers them all in one loop.
 */
export type CommandTable = Readonly<Record<string, (...args: never[]) => unknown>>;

/** Registers every command of every table; an id in two tables is a programming error. */
export function registerCommands(tables: readonly CommandTable[]): vscode.Disposable {
  const seen = new Set<string>();
  const registrations: vscode.Disposable[] = [];
  for (const table of tables) {
    for (const [id, handler] of Object.entries(table)) {
      if (seen.has(id)) throw new Error(`command ${id} is registered twice`);
      seen.add(id);
      registrations.push(vscode.commands.registerCommand(id, (...args: unknown[]) => handler(...(args as never[]))));
    }
  }
  return vscode.Disposable.from(...registrations);
}
