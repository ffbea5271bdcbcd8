// changelog.txt as a language: the game's rules as diagnostics with fixes, Format
// Document, completion, outline and folding, and what the portal has of each version.

import * as vscode from 'vscode';
import type { Config } from '../core/config';
import type { DependencyData } from '../infoJson/dependencyData';
import { registerChangelogCodeActions } from './codeActions';
import { registerChangelogCompletion } from './completion';
import { ChangelogDiagnostics } from './diagnostics';
import { adoptChangelogs } from './documents';
import { registerChangelogFormatting } from './format';
import { registerChangelogHover } from './hover';
import { registerChangelogOutline } from './outline';

export function registerChangelog(deps: { config: Config; data: DependencyData }): vscode.Disposable {
  const diagnostics = new ChangelogDiagnostics(deps.config);
  return vscode.Disposable.from(
    adoptChangelogs(),
    diagnostics,
    registerChangelogCodeActions(diagnostics),
    registerChangelogFormatting(),
    registerChangelogCompletion(),
    registerChangelogOutline(),
    registerChangelogHover(deps.data),
  );
}
