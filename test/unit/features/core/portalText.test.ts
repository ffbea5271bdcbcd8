import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clip, cutText, markdownEscaped, safeHomepageUrl, safeLinkUrl, unbrokenDate } from '../../../../src/features/core/portalText';

describe('portal text', () => {
  test('clip cuts to a length with an ellipsis, never inside a surrogate pair', () => {
    assert.equal(clip('short', 10), 'short');
    assert.equal(clip('abcdef', 3), 'abc…');
    assert.equal(clip('ab😀cd', 3), 'ab…');
    assert.equal(clip('ab😀cd', 4), 'ab😀…');
  });

  test('cutText ends at a line break in the second half, else at the limit', () => {
    assert.deepEqual(cutText('one\ntwo', 100), { text: 'one\ntwo', cut: false });
    assert.deepEqual(cutText('aaaa\nbbbbbb', 8), { text: 'aaaa', cut: true });
    assert.deepEqual(cutText('a\nbbbbbbbbbb', 8), { text: 'a\nbbbbbb', cut: true });
  });

  test('links are absolute http(s) URLs only', () => {
    assert.equal(safeLinkUrl(' HTTPS://Example.org '), 'https://example.org/');
    assert.equal(safeLinkUrl('https://example.org/a b'), 'https://example.org/a%20b');
    for (const bad of ['file:///etc/passwd', 'command:workbench.action.quit', 'javascript:alert(1)', 'vscode://x', '//example.org', 'example.org', 'http://']) {
      assert.equal(safeLinkUrl(bad), undefined, bad);
    }
    assert.equal(safeLinkUrl('http://example.org/x', ['https:']), undefined);
    assert.equal(safeLinkUrl(`https://example.org/${'a'.repeat(5000)}`), undefined, 'too long to be real');
  });

  test('a homepage may be a bare host, but nothing else gets through', () => {
    assert.equal(safeHomepageUrl('example.org/my-mod'), 'https://example.org/my-mod');
    assert.equal(safeHomepageUrl('http://example.org'), 'http://example.org/');
    assert.equal(safeHomepageUrl('command:workbench.action.quit'), undefined);
    assert.equal(safeHomepageUrl('javascript:alert(1)'), undefined);
    assert.equal(safeHomepageUrl('see my discord'), undefined);
  });

  test('a crafted megabyte is refused before any pattern reads it', () => {
    // A backtracking pattern would take minutes on these; the check refuses them at once.
    assert.equal(safeHomepageUrl(`${'a.'.repeat(500_000)}!`), undefined);
    assert.equal(safeHomepageUrl(`${'a-'.repeat(500_000)}.`), undefined);
    assert.equal(safeLinkUrl(`http://${'a.'.repeat(500_000)}`), undefined);
  });
});

test('markdownEscaped keeps spaces (so text wraps) and escapes Markdown and HTML syntax', () => {
  assert.equal(markdownEscaped('A *bold* [link](command:x) <b>hi</b>'), 'A \\*bold\\* \\[link\\]\\(command:x\\) \\<b\\>hi\\</b\\>');
  assert.ok(!markdownEscaped('many words in a summary').includes('&nbsp;'));
  assert.equal(markdownEscaped('line one\nline two'), 'line one  \nline two');
});

test('unbrokenDate: no hyphen a line may break at', () => {
  assert.equal(unbrokenDate('2025-05-01'), '2025\u201105\u201101');
});
