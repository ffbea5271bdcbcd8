import * as vscode from 'vscode';
import { isoDate, KNOWN_CATEGORIES, newestSection, SEPARATOR, versionBehind, type ChangelogAnalysis } from '../../model/changelog';
import { parseInfoJson } from '../../model/document';
import { bumpVersion } from '../../model/version';
import { CHANGELOG_SELECTOR, changelogAnalysis, readSibling } from './documents';

/**
 * Words typed so far on a line indented by at most 2 spaces: where a category or a new
 * section can go (deeper lines are entries and their continuations, where no list helps).
 */
const TYPED_WORDS = /^ {0,2}(?:[A-Za-z][A-Za-z ]*)?$/;

/** The version a new section is for: info.json's when it is ahead, else the newest section's next patch. */
async function nextVersion(document: vscode.TextDocument, analysis: ChangelogAnalysis): Promise<string> {
  const info = await readSibling(document.uri, 'info.json');
  const behind = info ? versionBehind(parseInfoJson(info.text).modVersion, analysis.sections) : undefined;
  if (behind) return behind.version;
  const newest = newestSection(analysis.sections);
  return (newest && bumpVersion(newest.version, 'patch')) ?? '0.1.0';
}

function newSectionItem(version: string, range: vscode.Range, typed: string, beforeSeparator: boolean): vscode.CompletionItem {
  const item = new vscode.CompletionItem(vscode.l10n.t('New section {0}', version), vscode.CompletionItemKind.Snippet);
  item.detail = vscode.l10n.t('Version {0}, dated today', version);
  const snippet = new vscode.SnippetString()
    .appendText(`${SEPARATOR}\nVersion: `)
    .appendPlaceholder(version)
    .appendText('\nDate: ')
    .appendPlaceholder(isoDate(new Date()))
    .appendText('\n  ')
    .appendChoice([...KNOWN_CATEGORIES])
    .appendText(':\n    - ')
    .appendTabstop(0);
  if (beforeSeparator) snippet.appendText('\n');
  item.insertText = snippet;
  item.range = range;
  // Whatever was typed at the top of the file leads here.
  item.filterText = `${typed}${version} Version section`;
  item.sortText = '0';
  item.preselect = true;
  return item;
}

function categoryItems(range: vscode.Range, typed: string): vscode.CompletionItem[] {
  const indent = /^ */.exec(typed)![0];
  return KNOWN_CATEGORIES.map((name, i) => {
    const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.EnumMember);
    item.detail = vscode.l10n.t('Changelog category');
    item.insertText = `  ${name}:`;
    item.range = range;
    item.filterText = indent + name;
    // The game's order, which is the order it shows them in.
    item.sortText = String(i).padStart(2, '0');
    return item;
  });
}

/** Category names inside a section; at the top of the file, a new section for the next version. */
export function registerChangelogCompletion(): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider(CHANGELOG_SELECTOR, {
    async provideCompletionItems(document, position) {
      const typed = document.lineAt(position.line).text.slice(0, position.character);
      if (!TYPED_WORDS.test(typed)) return undefined;
      const analysis = changelogAnalysis(document);
      const range = new vscode.Range(position.line, 0, position.line, position.character);
      const first = analysis.sections[0];
      if (!first || position.line < first.line || (position.line === first.line && position.character === 0)) {
        return [newSectionItem(await nextVersion(document, analysis), range, typed, first !== undefined && position.line === first.line)];
      }
      const inSection = analysis.sections.some((s) => s.versionLine !== undefined && s.versionLine < position.line);
      return inSection ? categoryItems(range, typed) : undefined;
    },
  });
}
