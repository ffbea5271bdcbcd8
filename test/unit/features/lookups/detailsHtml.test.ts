import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contentSecurityPolicy, imageUrl, renderDetailsPage, thumbnailUrl } from '../../../../src/features/lookups/detailsHtml';
import { renderInline, renderMarkdown, safeHomepageUrl, safeLinkUrl } from '../../../../src/features/lookups/markdown';
import type { FullModEntry } from '../../../../src/portal/types';

describe('renderMarkdown', () => {
  test('renders the common constructs', () => {
    const html = renderMarkdown('# Title\n\n**Bold**, _italic_ and `code`.\n\n- one\n- two\n\n```\nx < y\n```');
    assert.match(html, /<h3>Title<\/h3>/);
    assert.match(html, /<strong>Bold<\/strong>, <em>italic<\/em> and <code>code<\/code>\./);
    assert.match(html, /<ul><li>one<\/li><li>two<\/li><\/ul>/);
    assert.match(html, /<pre><code>x &#60; y<\/code><\/pre>/);
  });

  test('raw HTML is text, never markup', () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\n<img src="x" onerror="alert(1)">');
    assert.doesNotMatch(html, /<script|<img/i);
    assert.match(html, /&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
  });

  test('only http(s) links survive; others become their text', () => {
    assert.equal(renderInline('[site](https://example.org/a?b=1&c=2)'), '<a href="https://example.org/a?b=1&#38;c=2" title="https://example.org/a?b=1&#38;c=2">site</a>');
    assert.equal(renderInline('[Click me](command:workbench.action.quit)'), 'Click me');
    assert.equal(renderInline('[x](javascript:alert(1))'), 'x');
    assert.equal(renderInline('![pic](http://insecure/x.png)'), 'pic');
    assert.match(renderInline('see https://example.org/x.'), /<a href="https:\/\/example.org\/x">https:\/\/example.org\/x<\/a>\./);
    assert.equal(safeLinkUrl(' HTTPS://Example.org '), 'https://example.org/');
    assert.equal(safeLinkUrl('file:///etc/passwd'), undefined);
  });

  test('a homepage may be a bare host, but nothing else gets through', () => {
    assert.equal(safeHomepageUrl('example.org/my-mod'), 'https://example.org/my-mod');
    assert.equal(safeHomepageUrl('http://example.org'), 'http://example.org/');
    assert.equal(safeHomepageUrl('command:workbench.action.quit'), undefined);
    assert.equal(safeHomepageUrl('javascript:alert(1)'), undefined);
    assert.equal(safeHomepageUrl('see my discord'), undefined);
  });

  test('snake_case names are not emphasis', () => {
    assert.equal(renderInline('Mixed_Case_Mod and my_mod'), 'Mixed_Case_Mod and my_mod');
  });
});

describe('renderDetailsPage', () => {
  const mod: FullModEntry = {
    name: 'markdown-mod',
    title: 'Markdown **Mod** <script>alert(1)</script>',
    owner: 'markup<b>lover</b>',
    summary: 'Summary with <img src=x onerror=alert(1)> and a [link](command:workbench.action.quit).',
    downloads_count: 4242,
    thumbnail: '/assets/abc.thumb.png',
    description: '[Click me](command:workbench.action.quit)\n\n[Website](https://example.org)',
    homepage: 'javascript:alert(1)',
    source_url: 'command:workbench.action.quit',
    changelog: '<script>alert(2)</script>',
    tags: ['logistics'],
    license: { title: 'MIT', url: 'https://opensource.org/licenses/MIT' },
    deprecated: true,
    releases: [
      { version: '1.0.0', factorio_version: undefined as never, download_url: '/download/x', file_name: 'x.zip', info_json: { factorio_version: '2.0', dependencies: ['base >= 2.0.0'] }, released_at: '2025-06-06T06:06:06Z', sha1: 'a' },
      { version: '1.10.0', download_url: '/download/y', file_name: 'y.zip', info_json: { factorio_version: '2.0' }, released_at: '2025-07-01T00:00:00Z', sha1: 'b' },
    ],
  } as FullModEntry;
  const html = renderDetailsPage(mod, { portalUrl: 'http://127.0.0.1:1234', nonce: 'n0nce', factorioVersion: '2.0' });

  test('a strict policy, no script anywhere', () => {
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; img-src https: http:\/\/127.0.0.1:1234; style-src &#39;nonce-n0nce&#39;/);
    // Every '<' of portal text is escaped, so any tag is the page's own.
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<[^>]*\son\w+\s*=/i, 'no event handler attribute');
    assert.doesNotMatch(html, /(href|src)="(?!https?:)/i, 'only http(s) URLs');
    assert.equal((html.match(/<style nonce="n0nce">/g) ?? []).length, 1);
  });

  test('portal content is escaped and links are http(s) only', () => {
    assert.match(html, /<h1>Markdown \*\*Mod\*\* &#60;script&#62;/);
    assert.match(html, /markup&#60;b&#62;lover/);
    assert.match(html, /<a href="https:\/\/example.org\/"/);
    assert.match(html, /<a href="http:\/\/127.0.0.1:1234\/mod\/markdown-mod">Mod Portal page<\/a>/);
    assert.doesNotMatch(html, />Homepage</);
    assert.doesNotMatch(html, />Source</);
  });

  test('thumbnail, tags, license, deprecation, releases newest first with dependencies', () => {
    assert.match(html, /<img src="http:\/\/127.0.0.1:1234\/assets\/abc.thumb.png"/);
    assert.match(html, /<span class="badge">logistics<\/span>/);
    assert.match(html, /<a href="https:\/\/opensource.org\/licenses\/MIT">MIT<\/a>/);
    assert.match(html, /Deprecated/);
    assert.ok(html.indexOf('<strong>1.10.0</strong>') < html.indexOf('<strong>1.0.0</strong>'));
    assert.match(html, /<code>base &#62;= 2.0.0<\/code>/);
    assert.match(html, /&#60;script&#62;alert\(2\)/);
  });

  test('thumbnails come from the asset host for the real portal', () => {
    assert.equal(thumbnailUrl({ thumbnail: '/assets/x.thumb.png' }, 'https://mods.factorio.com'), 'https://assets-mod.factorio.com/assets/x.thumb.png');
    assert.equal(thumbnailUrl({ thumbnail: '/assets/.thumb.png' }, 'https://mods.factorio.com'), undefined);
    assert.equal(thumbnailUrl({}, 'https://mods.factorio.com'), undefined);
    assert.equal(contentSecurityPolicy('https://mods.factorio.com', 'n'), "default-src 'none'; img-src https: https://mods.factorio.com; style-src 'nonce-n'; form-action 'none'");
    assert.equal(thumbnailUrl({ thumbnail: '/assets/x.thumb.png' }, 'https://mods.factorio.com/'), 'https://assets-mod.factorio.com/assets/x.thumb.png');
  });

  test('gallery images: https from the real portal; another portal serves the asset paths itself', () => {
    const official = 'https://assets-mod.factorio.com/assets/abc.png';
    assert.equal(imageUrl(official, 'https://mods.factorio.com'), official);
    assert.equal(imageUrl(official, 'http://127.0.0.1:8123/'), 'http://127.0.0.1:8123/assets/abc.png');
    assert.equal(imageUrl('http://elsewhere.example/x.png', 'https://mods.factorio.com'), undefined);
    assert.equal(imageUrl('javascript:alert(1)', 'http://127.0.0.1:8123'), undefined);
  });

  test('another portal (a mirror, the local test portal) serves its own assets, and the policy lets them in', () => {
    const local = 'http://127.0.0.1:8123';
    assert.equal(thumbnailUrl({ thumbnail: '/assets/x.thumb.png' }, `${local}/`), `${local}/assets/x.thumb.png`);
    assert.equal(thumbnailUrl({ thumbnail: '/assets/.thumb.png' }, local), undefined);
    assert.match(contentSecurityPolicy(local, 'n'), /img-src https: http:\/\/127\.0\.0\.1:8123;/);
    const html = renderDetailsPage(mod, { portalUrl: local, nonce: 'n' });
    assert.match(html, /<img src="http:\/\/127\.0\.0\.1:8123\/assets\/abc\.thumb\.png" alt="">/);
  });
});
