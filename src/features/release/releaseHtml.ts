// The release panel as one HTML document: the checks (passed, warnings, failures, not
// checked), and for Package Mod what goes into the zip (a tree with sizes), what is left
// out and why, and where the zip goes. Every workspace-derived text is escaped; the page's
// only script posts the button clicks back, under a nonce'd Content-Security-Policy.
// Plain code: the strings come through `t` (vscode.l10n.t in the extension).

import type { ExclusionReason, PackagePlan } from '../../release/contents';
import type { CheckStatus, PreflightReport } from '../../release/preflight';
import { formatSize } from '../../util/text';

export type Translate = (message: string, ...args: Array<string | number>) => string;

export interface ReleaseView {
  mode: 'package' | 'checks';
  name: string;
  version: string;
  /** Undefined while the checks run. */
  report?: PreflightReport;
  plan?: PackagePlan;
  /** The zip's full path. */
  destination?: string;
  /** Why the zip cannot be written there. */
  destinationProblem?: string;
  /** Files of the mod with unsaved changes: the zip takes what is on disk. */
  unsaved?: string[];
  state: 'checking' | 'ready' | 'writing' | 'written' | 'failed';
  progressPercent?: number;
  written?: { file: string; bytes: number; sha1: string };
  error?: string;
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** File names and info.json text are the workspace's: escaped wherever they appear. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Most rows the contents tree shows; the rest of a folder is counted. */
const MAX_TREE_ROWS = 3000;


const ICON: Record<CheckStatus, string> = { passed: '✓', warning: '⚠', failed: '✗', unknown: '?' };

function statusLabel(t: Translate, status: CheckStatus): string {
  switch (status) {
    case 'passed':
      return t('passed');
    case 'warning':
      return t('warning');
    case 'failed':
      return t('failed');
    default:
      return t('not checked');
  }
}

function reasonText(t: Translate, reason: ExclusionReason, glob: string | undefined): string {
  switch (reason) {
    case 'dot':
      return t('dot-file or dot-folder');
    case 'vcs':
      return t('version control');
    case 'earlier-zip':
      return t('a zip of this mod');
    case 'ignore':
      return t('package.ignore: {0}', glob ?? '');
    case 'duplicate':
      return t('package.extra: the mod has a file of that name');
    case 'missing':
      return t('package.extra: not found');
    case 'unreadable':
      return t('cannot be read');
    default:
      return t('not a plain file or folder (or a link back up)');
  }
}

function fixLabel(t: Translate, kind: string, version?: string): string {
  switch (kind) {
    case 'set-version':
      return t('Set Version to {0}', version ?? '');
    case 'sign-in':
      return t('Sign In…');
    case 'add-changelog-section':
      return t('Add a Section for {0}', version ?? '');
    case 'show-changelog':
      return t('Open changelog.txt');
    default:
      return t('Open info.json');
  }
}

function reportHtml(t: Translate, report: PreflightReport | undefined, busy: boolean): string {
  if (!report) return `<section class="checks"><h2>${escapeHtml(t('Checks'))}</h2><p class="muted">${escapeHtml(t('Running the checks…'))}</p></section>`;
  const { counts } = report;
  const summary = [
    t('{0} passed', counts.passed),
    counts.warning === 1 ? t('1 warning') : t('{0} warnings', counts.warning),
    t('{0} failed', counts.failed),
    t('{0} not checked', counts.unknown),
  ];
  const rows = report.checks
    .map((check, index) => {
      const details = check.details?.length ? `<ul class="details">${check.details.map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul>` : '';
      const fix = check.fix
        ? `<button class="secondary" data-action="fix" data-index="${index}"${busy ? ' disabled' : ''}>${escapeHtml(fixLabel(t, check.fix.kind, 'version' in check.fix ? check.fix.version : undefined))}</button>`
        : '';
      return (
        `<li class="check ${check.status}" data-check="${escapeHtml(check.id)}">` +
        `<span class="icon" title="${escapeHtml(statusLabel(t, check.status))}">${ICON[check.status]}</span>` +
        `<div class="body"><div><strong>${escapeHtml(check.title)}</strong> <span class="status">${escapeHtml(statusLabel(t, check.status))}</span></div>` +
        `<div>${escapeHtml(check.message)}</div>${details}${fix}</div></li>`
      );
    })
    .join('');
  return (
    `<section class="checks"><h2>${escapeHtml(t('Checks'))}</h2>` +
    `<p class="summary">${summary
      .map((s, i) => {
        const status = (['passed', 'warning', 'failed', 'unknown'] as const)[i];
        return `<span class="count${counts[status] > 0 ? ` ${status}` : ''}">${escapeHtml(s)}</span>`;
      })
      .join(' · ')}</p>` +
    `<ul class="report">${rows}</ul></section>`
  );
}

interface Folder {
  folders: Map<string, Folder>;
  files: { name: string; size: number }[];
  size: number;
  count: number;
}

function treeOf(plan: PackagePlan): Folder {
  const root: Folder = { folders: new Map(), files: [], size: 0, count: 0 };
  for (const entry of plan.entries) {
    const parts = entry.path.split('/');
    let at = root;
    at.size += entry.size;
    at.count++;
    for (const part of parts.slice(0, -1)) {
      let next = at.folders.get(part);
      if (!next) at.folders.set(part, (next = { folders: new Map(), files: [], size: 0, count: 0 }));
      at = next;
      at.size += entry.size;
      at.count++;
    }
    at.files.push({ name: parts[parts.length - 1], size: entry.size });
  }
  return root;
}

function treeHtml(t: Translate, folder: Folder, depth: number, budget: { rows: number }): string {
  const out: string[] = [];
  for (const [name, child] of folder.folders) {
    if (budget.rows <= 0) break;
    budget.rows--;
    out.push(
      `<li><details${depth === 0 ? ' open' : ''}><summary><span class="name">${escapeHtml(name)}/</span>` +
        `<span class="size">${escapeHtml(child.count === 1 ? t('1 file') : t('{0} files', child.count))} · ${formatSize(child.size)}</span></summary>` +
        `<ul>${treeHtml(t, child, depth + 1, budget)}</ul></details></li>`,
    );
  }
  let shown = 0;
  for (const file of folder.files) {
    if (budget.rows <= 0) break;
    budget.rows--;
    shown++;
    out.push(`<li class="file"><span class="name">${escapeHtml(file.name)}</span><span class="size">${formatSize(file.size)}</span></li>`);
  }
  if (shown < folder.files.length) out.push(`<li class="muted">${escapeHtml(t('… and {0} more files', folder.files.length - shown))}</li>`);
  return out.join('');
}

function contentsHtml(t: Translate, plan: PackagePlan): string {
  const tree = treeHtml(t, treeOf(plan), 0, { rows: MAX_TREE_ROWS });
  const excluded = plan.excluded.length
    ? `<table class="excluded"><tbody>${plan.excluded
        .map((e) => `<tr><td><code>${escapeHtml(e.path)}${e.directory ? '/' : ''}</code></td><td>${escapeHtml(reasonText(t, e.reason, e.glob))}</td></tr>`)
        .join('')}</tbody></table>`
    : `<p class="muted">${escapeHtml(t('Nothing was left out.'))}</p>`;
  const problems = plan.problems.length ? `<ul class="problems">${plan.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>` : '';
  return (
    `<section class="contents"><h2>${escapeHtml(t('What goes in'))}</h2>` +
    `<p>${escapeHtml(t('{0} files, {1} before compression, in one folder {2}/', plan.entries.length, formatSize(plan.totalBytes), plan.top))}</p>` +
    `${problems}<ul class="tree"><li><details open><summary><span class="name">${escapeHtml(plan.top)}/</span></summary><ul>${tree}</ul></details></li></ul></section>` +
    `<section class="left-out"><h2>${escapeHtml(t('Left out ({0})', plan.excluded.length))}</h2>${excluded}</section>`
  );
}

function actionsHtml(t: Translate, view: ReleaseView): string {
  const busy = view.state === 'checking' || view.state === 'writing';
  const again = `<button class="secondary" data-action="recheck"${busy ? ' disabled' : ''}>${escapeHtml(t('Check Again'))}</button>`;
  if (view.mode === 'checks') {
    return `<div class="actions">${again}<button data-action="package"${busy ? ' disabled' : ''}>${escapeHtml(t('Package Mod…'))}</button></div>`;
  }
  if (view.state === 'written' && view.written) {
    return (
      `<div class="outcome ok">${escapeHtml(t('Written: {0} ({1}, sha1 {2})', view.written.file, formatSize(view.written.bytes), view.written.sha1))}</div>` +
      `<div class="actions"><button data-action="reveal">${escapeHtml(t('Reveal in File Explorer'))}</button>${again}</div>`
    );
  }
  const zip = view.plan?.zipName ?? `${view.name}_${view.version}.zip`;
  const blocked = view.report?.blocked === true;
  const cannot = view.destinationProblem !== undefined || !view.plan;
  const write = blocked
    ? `<button class="danger" data-action="write-anyway"${busy || cannot ? ' disabled' : ''}>${escapeHtml(t('Write {0} Anyway', zip))}</button>`
    : `<button data-action="write"${busy || cannot ? ' disabled' : ''}>${escapeHtml(t('Write {0}', zip))}</button>`;
  const note = blocked ? `<p class="blocked">${escapeHtml(t('A check failed: the portal would refuse this release, or it would reach players broken.'))}</p>` : '';
  const progress = view.state === 'writing' ? `<p class="muted">${escapeHtml(t('Writing… {0}%', view.progressPercent ?? 0))}</p>` : '';
  const error = view.state === 'failed' && view.error ? `<div class="outcome error">${escapeHtml(view.error)}</div>` : '';
  return `${note}${error}${progress}<div class="actions">${write}${again}<button class="secondary" data-action="cancel"${view.state === 'writing' ? '' : ''}>${escapeHtml(view.state === 'writing' ? t('Stop') : t('Close'))}</button></div>`;
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 20px 20px; line-height: 1.45; }
h1 { font-size: 1.4em; margin: 16px 0 4px; } h2 { font-size: 1.1em; margin: 18px 0 6px; border-bottom: 1px solid var(--vscode-widget-border, #8884); padding-bottom: 3px; }
.muted { color: var(--vscode-descriptionForeground); }
code { font-family: var(--vscode-editor-font-family); }
ul.report { list-style: none; padding: 0; margin: 0; }
li.check { display: flex; gap: 10px; padding: 6px 8px; border-radius: 4px; margin-bottom: 4px; background: var(--vscode-editorWidget-background, #8881); }
li.check .icon { font-weight: bold; width: 1.2em; text-align: center; }
li.check.passed .icon { color: var(--vscode-testing-iconPassed, #3a3); }
li.check.warning .icon { color: var(--vscode-editorWarning-foreground, #c90); }
li.check.failed .icon { color: var(--vscode-editorError-foreground, #e44); }
li.check.unknown .icon { color: var(--vscode-descriptionForeground); }
li.check .status { color: var(--vscode-descriptionForeground); font-size: 0.9em; margin-left: 4px; }
li.check .body { flex: 1; } ul.details { margin: 4px 0; padding-left: 18px; font-family: var(--vscode-editor-font-family); font-size: 0.92em; }
.count.failed { color: var(--vscode-editorError-foreground, #e44); } .count.warning { color: var(--vscode-editorWarning-foreground, #c90); }
button { font: inherit; color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 4px 12px; border-radius: 2px; cursor: pointer; margin: 4px 6px 0 0; }
button:hover { background: var(--vscode-button-hoverBackground); } button[disabled] { opacity: 0.5; cursor: default; }
button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
button.danger { background: var(--vscode-inputValidation-errorBackground, #a22); color: var(--vscode-foreground); border: 1px solid var(--vscode-inputValidation-errorBorder, #e44); }
.actions { margin: 12px 0; } .blocked, .outcome.error { color: var(--vscode-editorError-foreground, #e44); } .outcome.ok { color: var(--vscode-testing-iconPassed, #3a3); word-break: break-all; }
ul.tree, ul.tree ul { list-style: none; padding-left: 16px; margin: 0; } ul.tree { padding-left: 0; }
ul.tree li { white-space: nowrap; } ul.tree .size { color: var(--vscode-descriptionForeground); margin-left: 12px; font-size: 0.92em; }
ul.tree li.file::before { content: "·"; color: var(--vscode-descriptionForeground); margin-right: 6px; }
table.excluded td { padding: 1px 14px 1px 0; } .destination { word-break: break-all; }
.notice { padding: 6px 8px; border-left: 3px solid var(--vscode-editorWarning-foreground, #c90); background: var(--vscode-editorWidget-background, #8881); }
`;

const SCRIPT = `
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button || button.disabled) return;
  vscode.postMessage({ action: button.dataset.action, index: button.dataset.index === undefined ? undefined : Number(button.dataset.index) });
});
`;

export function renderReleasePage(view: ReleaseView, options: { nonce: string; cspSource: string; t: Translate }): string {
  const { t, nonce } = options;
  const csp = [`default-src 'none'`, `style-src 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`, `form-action 'none'`].join('; ');
  const heading = view.mode === 'package' ? t('Package {0} {1}', view.name, view.version) : t('Release checks: {0} {1}', view.name, view.version);
  const destination =
    view.mode === 'package' && view.destination
      ? `<p class="destination">${escapeHtml(t('Writes {0}', view.destination))}</p>` +
        (view.destinationProblem ? `<p class="blocked">${escapeHtml(view.destinationProblem)}</p>` : '')
      : '';
  const unsaved = view.unsaved?.length
    ? `<p class="notice">${escapeHtml(t('Unsaved changes in {0}: the zip and the checks take the files as saved.', view.unsaved.join(', ')))}</p>`
    : '';
  const busy = view.state === 'checking' || view.state === 'writing';
  const body =
    `<h1>${escapeHtml(heading)}</h1>${destination}${unsaved}${actionsHtml(t, view)}` +
    reportHtml(t, view.report, busy) +
    (view.mode === 'package' && view.plan ? contentsHtml(t, view.plan) : '');
  return [
    '<!DOCTYPE html><html><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    `<style nonce="${escapeHtml(nonce)}">${STYLE}</style></head>`,
    `<body>${body}<script nonce="${escapeHtml(nonce)}">${SCRIPT}</script></body></html>`,
  ].join('');
}
