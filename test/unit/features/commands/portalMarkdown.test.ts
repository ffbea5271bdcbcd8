import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderPortalMarkdown } from '../../../../src/features/commands/portalMarkdown';
import { MARKDOWN_SHAPES, adversarialMarkdown, ordinaryMarkdown } from '../../../portal-server/adversarialText';

/** What every rendering must keep to, whatever the input. */
function assertSafe(html: string): void {
  assert.doesNotMatch(html, /<(script|iframe|object|embed|style|form|input|svg|math)\b/i, 'no active element');
  assert.doesNotMatch(html, /<[^>]*\son\w+\s*=/i, 'no event handler attribute');
  assert.doesNotMatch(html, /<[^>]*\sstyle\s*=/i, 'no inline style');
  assert.doesNotMatch(html, /href="(?!https?:)/i, 'only http(s) links');
  assert.doesNotMatch(html, /src="(?!https:)/i, 'only https images');
}

describe('renderPortalMarkdown', () => {
  test('renders the common constructs, headings under the page’s own', () => {
    const html = renderPortalMarkdown('# Title\n\n**Bold**, _italic_ and `code`.\n\n- one\n- two\n\n```\nx < y\n```', { headingOffset: 2 });
    assert.match(html, /<h3>Title<\/h3>/);
    assert.match(html, /<strong>Bold<\/strong>, <em>italic<\/em> and <code>code<\/code>\./);
    assert.match(html, /<ul>\n<li>one<\/li>\n<li>two<\/li>\n<\/ul>/);
    assert.match(html, /<pre><code>x &lt; y\n<\/code><\/pre>/);
    assert.match(renderPortalMarkdown('###### Deep', { headingOffset: 2 }), /<h6>Deep<\/h6>/);
    assert.match(renderPortalMarkdown('## Plain'), /<h2>Plain<\/h2>/);
  });

  test('tables, nested lists, quotes and fenced code as the portal shows them', () => {
    const html = renderPortalMarkdown('| Item | Speed |\n| :--- | ---: |\n| Belt | 15/s |\n\n- a\n  - b\n    1. c\n\n> quoted\n\n```lua\nlocal x = "<b>"\n```');
    assert.match(html, /<table>\n<thead>\n<tr>\n<th class="align-left">Item<\/th>\n<th class="align-right">Speed<\/th>/);
    assert.match(html, /<td class="align-left">Belt<\/td>\n<td class="align-right">15\/s<\/td>/);
    assert.match(html, /<ul>\n<li>a\n<ul>\n<li>b\n<ol>\n<li>c<\/li>/);
    assert.match(html, /<blockquote>\n<p>quoted<\/p>\n<\/blockquote>/);
    assert.match(html, /<pre><code class="language-lua">local x = &quot;&lt;b&gt;&quot;\n<\/code><\/pre>/);
    assertSafe(html);
  });

  test('raw HTML is text, never markup', () => {
    const html = renderPortalMarkdown('<script>alert(1)</script>\n\n<img src="x" onerror="alert(1)">\n\ninline <b onclick="x()">bold</b> and <!-- comment -->');
    assert.doesNotMatch(html, /<script|<img|<b |<!--/i);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /&lt;b onclick=&quot;x\(\)&quot;&gt;bold&lt;\/b&gt;/);
    assertSafe(html);
  });

  test('only http(s) links survive; other targets stay text', () => {
    assert.equal(renderPortalMarkdown('[site](https://example.org/a?b=1&c=2)'), '<p><a href="https://example.org/a?b=1&amp;c=2">site</a></p>\n');
    for (const target of ['command:workbench.action.quit', 'javascript:alert(1)', 'JavaScript:alert(1)', 'file:///etc/passwd', 'vscode://x', 'data:text/html,x', '/relative', 'mailto:a@b.c']) {
      const html = renderPortalMarkdown(`[Click me](${target}) and [ref][r] and <${target}>\n\n[r]: ${target}`);
      assert.doesNotMatch(html, /<a /, target);
      assert.match(html, /Click me/);
      assertSafe(html);
    }
    assert.match(renderPortalMarkdown('<https://example.org/x>'), /<a href="https:\/\/example.org\/x">https:\/\/example.org\/x<\/a>/);
  });

  test('bare http(s) URLs become links, other schemes do not', () => {
    assert.match(renderPortalMarkdown('see https://example.org/x.'), /see <a href="https:\/\/example.org\/x">https:\/\/example.org\/x<\/a>\./);
    const other = renderPortalMarkdown('ftp://example.org/x and mailto:a@example.org and a@example.org');
    assert.doesNotMatch(other, /<a /);
  });

  test('images only over https; otherwise their text', () => {
    assert.equal(renderPortalMarkdown('![pic](https://example.org/x.png)'), '<p><img src="https://example.org/x.png" alt="pic"></p>\n');
    assert.equal(renderPortalMarkdown('![pic](http://insecure/x.png)'), '<p>pic</p>\n');
    assert.equal(renderPortalMarkdown('![a <b>](javascript:alert(1))'), '<p>![a &lt;b&gt;](javascript:alert(1))</p>\n');
    assert.equal(renderPortalMarkdown('![pic](file:///x.png)'), '<p>![pic](file:///x.png)</p>\n');
  });

  test('snake_case names are not emphasis', () => {
    assert.equal(renderPortalMarkdown('Mixed_Case_Mod and my_mod'), '<p>Mixed_Case_Mod and my_mod</p>\n');
  });

  // Each shape at a size where a quadratic parser takes minutes (500,000² steps): a
  // regression hangs here rather than passing.
  describe('shapes that break naive parsers, 500 kB each', () => {
    for (const shape of MARKDOWN_SHAPES) {
      test(shape.name, () => {
        const text = shape.build(500_000);
        assert.ok(text.length > 450_000, `${text.length} characters`);
        const html = renderPortalMarkdown(text, { headingOffset: 2 });
        assertSafe(html);
        // Escaping at most multiplies the text; a table pads missing cells, up to a fixed count.
        assert.ok(html.length < 6 * text.length + 1_000_000, `${html.length} characters of HTML`);
      });
    }

    test('all shapes together, and ordinary text', () => {
      assertSafe(renderPortalMarkdown(adversarialMarkdown(1_000_000)));
      const ordinary = renderPortalMarkdown(ordinaryMarkdown(1_000_000));
      assertSafe(ordinary);
      assert.match(ordinary, /<a href="https:\/\/example.org\/wiki">wiki<\/a>/);
    });
  });
});
