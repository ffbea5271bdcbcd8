import * as vscode from 'vscode';

/** A tree item as plain data, for the exported API (tests and other extensions). */
export interface TreeItemSnapshot {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  collapsible: boolean;
  icon?: string;
  command?: { command: string; arguments?: unknown[] };
}

function text(value: string | vscode.MarkdownString | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.value;
}

export function snapshotOf(id: string, item: vscode.TreeItem): TreeItemSnapshot {
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const snapshot: TreeItemSnapshot = {
    id,
    label,
    collapsible: item.collapsibleState !== undefined && item.collapsibleState !== vscode.TreeItemCollapsibleState.None,
  };
  if (typeof item.description === 'string') snapshot.description = item.description;
  const tooltip = text(item.tooltip);
  if (tooltip !== undefined) snapshot.tooltip = tooltip;
  if (item.contextValue !== undefined) snapshot.contextValue = item.contextValue;
  if (item.iconPath instanceof vscode.ThemeIcon) snapshot.icon = item.iconPath.id;
  if (item.command) snapshot.command = { command: item.command.command, ...(item.command.arguments ? { arguments: item.command.arguments } : {}) };
  return snapshot;
}
