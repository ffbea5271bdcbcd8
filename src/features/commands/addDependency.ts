import * as vscode from 'vscode';
import { isBuiltinMod } from '../../model/builtins';
import { formatDependency, parseDependency, type DependencyKind } from '../../model/dependency';
import { latestCompatibleRelease } from '../../model/releases';
import { isOperator } from '../../model/version';
import type { DependencyData } from '../infoJson/dependencyData';
import { findInfoJson, infoJsonModel } from '../core/documents';
import { kindArg, modNameArg, stringArg } from './args';
import { insertDependencyEdits } from './insertDependency';
import { pickMod } from './pickers';
import { pickOne, type Choice } from '../core/quickPick';

async function targetDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  const uri = stringArg(arg, 'uri') ?? (arg as { uri?: unknown } | undefined)?.uri;
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  if (typeof uri === 'string') return vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  return findInfoJson();
}

/** `>= 1.2.0`, `= 1.0.0`…, from the `constraint` argument; 'latest' and 'any' are handled apart. */
function explicitConstraint(text: string): { operator: string; version: string } | undefined {
  const parsed = parseDependency(`x ${text}`);
  if (parsed.error || !parsed.operator || !parsed.version || !isOperator(parsed.operator.value)) return undefined;
  return { operator: parsed.operator.value, version: parsed.version.text };
}

/**
 * Add Dependency…: `{ name, constraint, kind, uri }` answer the questions in advance
 * (constraint: 'latest', 'any', or e.g. '>= 1.2.0'). Inserts into the info.json as one
 * undoable edit and returns the dependency string.
 */
export async function addDependency(data: DependencyData, arg?: unknown): Promise<string | undefined> {
  const document = await targetDocument(arg);
  if (!document) {
    void vscode.window.showErrorMessage(vscode.l10n.t('No info.json found in this workspace to add a dependency to.'));
    return undefined;
  }
  const name = modNameArg(arg) ?? (await pickMod(data, { title: vscode.l10n.t('Add Dependency: which mod?') }))?.name;
  if (!name) return undefined;
  const doc = infoJsonModel(document);
  if (doc.dependencies?.items.some((item) => item.parsed?.name?.text === name)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" is already a dependency in {1}.', name, vscode.workspace.asRelativePath(document.uri)));
    return undefined;
  }
  const kind: DependencyKind = kindArg(arg) ?? 'required';
  const factorioVersion = doc.factorioVersion;

  let latest: string | undefined;
  if (!isBuiltinMod(name)) {
    await data.ensure([name], { full: false });
    const releases = data.mod(name)?.releases ?? [];
    latest = latestCompatibleRelease(releases, factorioVersion)?.version;
  }

  const requested = stringArg(arg, 'constraint');
  let constraint: { operator: string; version: string } | undefined;
  if (requested === undefined) {
    type Versions = { constraint?: { operator: string; version: string } };
    const items: Choice<Versions>[] = [];
    if (latest) {
      items.push({
        label: formatDependency({ kind, name, operator: '>=', version: latest }),
        description: factorioVersion ? vscode.l10n.t('latest release for Factorio {0}', factorioVersion) : vscode.l10n.t('latest release'),
        value: { constraint: { operator: '>=', version: latest } },
      });
    }
    items.push({ label: formatDependency({ kind, name }), description: vscode.l10n.t('any version'), value: {} });
    const picked = await pickOne(items, { title: vscode.l10n.t('Add {0}: which versions?', name), active: items[0] });
    if (!picked) return undefined;
    constraint = picked.constraint;
  } else if (requested === 'latest') {
    if (!latest) {
      void vscode.window.showErrorMessage(
        factorioVersion
          ? vscode.l10n.t('"{0}" has no release for Factorio {1}.', name, factorioVersion)
          : vscode.l10n.t('No release of "{0}" is known.', name),
      );
      return undefined;
    }
    constraint = { operator: '>=', version: latest };
  } else if (requested !== 'any') {
    constraint = explicitConstraint(requested);
    if (!constraint) {
      void vscode.window.showErrorMessage(vscode.l10n.t('"{0}" is not a version constraint such as ">= 1.2.0".', requested));
      return undefined;
    }
  }

  const dependency = formatDependency(
    constraint && isOperator(constraint.operator) ? { kind, name, operator: constraint.operator, version: constraint.version } : { kind, name },
  );
  const insertion = insertDependencyEdits(document.getText(), dependency);
  if (!insertion.ok) {
    const message =
      insertion.reason === 'exists'
        ? vscode.l10n.t('"{0}" is already a dependency ("{1}").', name, insertion.existing)
        : insertion.reason === 'dependencies-not-array'
          ? vscode.l10n.t('"dependencies" in this info.json is not an array.')
          : vscode.l10n.t('This info.json cannot be read as a JSON object; fix it first.');
    void vscode.window.showErrorMessage(message);
    return undefined;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, document.positionAt(insertion.edit.offset), insertion.edit.content);
  const applied = await vscode.workspace.applyEdit(edit);
  if (!applied) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The edit to {0} could not be applied.', vscode.workspace.asRelativePath(document.uri)));
    return undefined;
  }
  return dependency;
}
