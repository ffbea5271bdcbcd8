import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contentSecurityPolicy, imageUrl, renderDetailsPage, thumbnailUrl } from '../../../../src/features/commands/detailsHtml';
import type { FullModEntry } from '../../../../src/portal/types';
import { PORTAL_TEXT_LIMITS } from '../../../../src/features/core/portalText';
import { MARKDOWN_SHAPES, adversarialDescription } from '../../../portal-server/adversarialText';

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
    assert.match(html, /<a href="https:\/\/example.org\/?">Website<\/a>/);
    assert.match(html, /\[Click me\]\(command:workbench\.action\.quit\)/, 'the command: link stays text');
    assert.doesNotMatch(html, /href="command:/i);
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

  describe('portal text of any size', () => {
    const huge = 'x'.repeat(1_000_000);
    const adversarial = adversarialDescription(1_000_000);
    const page = renderDetailsPage(
      {
        ...mod,
        title: `<b>${huge}`,
        owner: huge,
        summary: huge,
        category: huge,
        tags: Array.from({ length: 10_000 }, (_, i) => `tag-${i}`),
        description: adversarial,
        faq: adversarial,
        changelog: `Version: 1.0.0\n${'  - a change\n'.repeat(100_000)}`,
        releases: [{ ...mod.releases![0]!, version: huge, info_json: { factorio_version: '2.0', dependencies: Array.from({ length: 10_000 }, () => huge) } }],
      } as FullModEntry,
      { portalUrl: 'https://mods.factorio.com', nonce: 'n' },
    );

    test('descriptions, FAQs and changelogs are cut, each with a link to the rest on the portal', () => {
      const continued = [...page.matchAll(/<a href="([^"]*)">continued on the Mod Portal<\/a>/g)].map((m) => m[1]);
      assert.deepEqual(continued, [
        'https://mods.factorio.com/mod/markdown-mod',
        'https://mods.factorio.com/mod/markdown-mod/changelog',
        'https://mods.factorio.com/mod/markdown-mod/faq',
      ]);
      const description = page.slice(page.indexOf('<h2>Description</h2>'), page.indexOf('<h2>Releases</h2>'));
      assert.ok(description.length < 20 * PORTAL_TEXT_LIMITS.markdown, `description section of ${description.length} characters`);
    });

    test('lines, summaries and lists are cut', () => {
      assert.match(page, /<h1>&#60;b&#62;x{197}…<\/h1>/);
      assert.match(page, /<title>&#60;b&#62;x{197}…<\/title>/);
      assert.match(page, new RegExp(`<p>x{${PORTAL_TEXT_LIMITS.summary}}…</p>`));
      assert.equal((page.match(/<span class="badge">tag-/g) ?? []).length, 60);
      assert.match(page, /…and 9940 more/);
      assert.ok(page.length < 3_000_000, `page of ${page.length} characters`);
    });

    test('still no script, no raw HTML, only http(s) links and https images from the text', () => {
      assert.doesNotMatch(page, /<script|<iframe|<b>/i);
      assert.doesNotMatch(page, /<[^>]*\son\w+\s*=/i);
      assert.doesNotMatch(page, /(href|src)="(?!https?:)/i);
      const body = page.slice(page.indexOf('<h2>Description</h2>'));
      assert.doesNotMatch(body, /<img src="(?!https:)/i);
    });

    for (const shape of MARKDOWN_SHAPES) {
      test(`a description that is all "${shape.name}" renders, cut`, () => {
        const html = renderDetailsPage({ ...mod, description: shape.build(1_000_000) } as FullModEntry, { portalUrl: 'https://mods.factorio.com', nonce: 'n' });
        assert.match(html, /continued on the Mod Portal/);
        assert.doesNotMatch(html, /(href|src)="(?!https?:)/i);
      });
    }
  });
});
