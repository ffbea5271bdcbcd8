import * as vscode from 'vscode';
import type { ChangelogSection } from '../../model/changelog';
import { toRange } from '../core/documents';
import { CHANGELOG_SELECTOR, changelogAnalysis } from './documents';

function lines(document: vscode.TextDocument, first: number, last: number): vscode.Range {
  return new vscode.Range(first, 0, last, document.lineAt(Math.min(last, document.lineCount - 1)).text.length);
}

function sectionSymbol(document: vscode.TextDocument, section: ChangelogSection): vscode.DocumentSymbol {
  const range = lines(document, section.line, section.endLine);
  const selection = section.versionRange ? toRange(document, section.versionRange.start, section.versionRange.end) : lines(document, section.line, section.line);
  const symbol = new vscode.DocumentSymbol(
    section.version || vscode.l10n.t('(no version)'),
    section.date ?? '',
    vscode.SymbolKind.Package,
    range,
    selection,
  );
  symbol.children = section.categories.map(
    (category) =>
      new vscode.DocumentSymbol(
        category.name,
        vscode.l10n.t('{0} entries', category.entries),
        vscode.SymbolKind.Key,
        lines(document, category.line, category.endLine),
        toRange(document, category.nameRange.start, category.nameRange.end),
      ),
  );
  return symbol;
}

/** Outline: versions, then their categories; folding: each section and each category. */
export function registerChangelogOutline(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerDocumentSymbolProvider(
      CHANGELOG_SELECTOR,
      { provideDocumentSymbols: (document) => changelogAnalysis(document).sections.map((section) => sectionSymbol(document, section)) },
      { label: vscode.l10n.t('Changelog') },
    ),
    vscode.languages.registerFoldingRangeProvider(CHANGELOG_SELECTOR, {
      provideFoldingRanges(document) {
        const ranges: vscode.FoldingRange[] = [];
        for (const section of changelogAnalysis(document).sections) {
          if (section.endLine > section.line) ranges.push(new vscode.FoldingRange(section.line, section.endLine, vscode.FoldingRangeKind.Region));
          for (const category of section.categories) if (category.endLine > category.line) ranges.push(new vscode.FoldingRange(category.line, category.endLine));
        }
        return ranges;
      },
    }),
  );
}
