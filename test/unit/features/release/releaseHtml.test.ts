import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderReleasePage, type ReleaseView } from '../../../../src/features/release/releaseHtml';
import type { PackagePlan } from '../../../../src/release/contents';
import type { PreflightReport } from '../../../../src/release/preflight';

/** What vscode.l10n.t does with its placeholders. */
const t = (message: string, ...args: Array<string | number>) => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));

const plan: PackagePlan = {
  name: 'my-mod',
  version: '1.0.0',
  top: 'my-mod_1.0.0',
  zipName: 'my-mod_1.0.0.zip',
  entries: [
    { path: 'info.json', source: '/m/info.json', size: 120 },
    { path: 'locale/en/<i>x&y.cfg', source: '/m/x.cfg', size: 2048 },
    { path: 'locale/en/y.cfg', source: '/m/y.cfg', size: 10 },
  ],
  excluded: [
    { path: '.git', reason: 'vcs', directory: true },
    { path: 'docs', reason: 'ignore', directory: true, glob: 'docs/**' },
  ],
  totalBytes: 2178,
  problems: ['"package.ignore" is not a list of globs: ignored'],
};

function report(blocked: boolean): PreflightReport {
  return {
    name: 'my-mod',
    version: '1.0.0',
    checks: [
      { id: 'version-new', title: 'the version is new', status: blocked ? 'failed' : 'passed', message: 'msg <script>alert(1)</script>', fix: { kind: 'set-version', version: '1.0.1' } },
      { id: 'thumbnail', title: 'thumbnail', status: 'warning', message: 'big', details: ['line 1: <img>'] },
    ],
    counts: { passed: blocked ? 0 : 1, warning: 1, failed: blocked ? 1 : 0, unknown: 0 },
    blocked,
  };
}

function page(view: Partial<ReleaseView>): string {
  return renderReleasePage({ mode: 'package', name: 'my-mod', version: '1.0.0', state: 'ready', plan, report: report(false), destination: '/w/my-mod_1.0.0.zip', ...view }, { nonce: 'n0nce', cspSource: 'x', t });
}

describe('renderReleasePage', () => {
  test('a nonce’d policy; workspace text is escaped wherever it appears', () => {
    const html = page({});
    assert.match(html, /content="default-src &#39;none&#39;; style-src &#39;nonce-n0nce&#39;; script-src &#39;nonce-n0nce&#39;/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'only the page’s own script');
    assert.ok(html.includes('&lt;i&gt;x&amp;y.cfg'));
    assert.ok(html.includes('msg &lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('line 1: &lt;img&gt;'));
  });

  test('the tree with folder sizes, the total, what was left out and why', () => {
    const html = page({});
    assert.ok(html.includes('3 files, 2.1 KB before compression, in one folder my-mod_1.0.0/'));
    assert.ok(html.includes('<span class="name">locale/</span><span class="size">2 files · 2.0 KB</span>'));
    assert.ok(html.includes('<code>.git/</code></td><td>version control</td>'));
    assert.ok(html.includes('<code>docs/</code></td><td>package.ignore: docs/**</td>'));
    assert.ok(html.includes('is not a list of globs'));
  });

  test('Write when the checks pass; Write Anyway, with the reason, when one failed', () => {
    const ok = page({});
    assert.match(ok, /<button data-action="write">Write my-mod_1\.0\.0\.zip<\/button>/);
    assert.doesNotMatch(ok, /write-anyway/);
    const blocked = page({ report: report(true) });
    assert.match(blocked, /data-action="write-anyway">Write my-mod_1\.0\.0\.zip Anyway</);
    assert.match(blocked, /A check failed/);
    assert.match(blocked, /data-action="fix" data-index="0">Set Version to 1\.0\.1</);
    assert.match(page({ report: undefined, state: 'checking' }), /Running the checks…/);
    assert.match(page({ destinationProblem: 'inside the mod' }), /<button data-action="write" disabled>/);
  });

  test('written: where, how big, its sha1', () => {
    const html = page({ state: 'written', written: { file: '/w/my-mod_1.0.0.zip', bytes: 5 * 1024 * 1024, sha1: 'ab'.repeat(20) } });
    assert.ok(html.includes(`Written: /w/my-mod_1.0.0.zip (5.0 MB, sha1 ${'ab'.repeat(20)})`));
    assert.match(html, /data-action="reveal"/);
  });
});
