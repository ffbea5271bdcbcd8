// Portal text crafted against naive parsers: the shapes that make a backtracking regex or
// a scan-to-the-end-per-opener loop take quadratic (or worse) time. The local portal
// serves one such mod; unit tests and the bench feed the same shapes, so a parser that
// regresses hangs the suite instead of passing it.

/** One adversarial shape: a name and a builder that makes about `size` characters of it. */
export interface AdversarialShape {
  name: string;
  build(size: number): string;
}

function times(unit: string, size: number): string {
  return unit.repeat(Math.max(1, Math.floor(size / unit.length)));
}

/** Backtick runs of every length, none closed: a scan per opener reads to the end each time. */
function backtickRuns(size: number): string {
  let out = '';
  for (let run = 1; out.length + run + 1 <= size; run++) out += '`'.repeat(run) + ' ';
  return out;
}

export const MARKDOWN_SHAPES: readonly AdversarialShape[] = [
  // `#`, spaces, `#`, spaces…: the old heading regex backtracked cubically on this.
  { name: 'spaces between heading markers', build: (size) => `#${times(' '.repeat(64) + '#', size - 2)}x` },
  { name: 'heading of spaces and no end', build: (size) => `# a${' '.repeat(size - 5)}#x` },
  { name: 'unmatched [', build: (size) => times('[', size) },
  { name: 'unmatched ![', build: (size) => times('![', size) },
  { name: 'link openers [a](', build: (size) => times('[a](', size) },
  { name: 'pattern [ (](', build: (size) => times('[ (](', size) },
  { name: 'nested brackets', build: (size) => `${'['.repeat(size / 2)}a${']'.repeat(size / 2)}` },
  { name: 'unmatched backticks', build: (size) => times('`', size) },
  { name: 'backtick runs of every length', build: backtickRuns },
  { name: 'emphasis openers', build: (size) => times('*a ', size) },
  { name: 'emphasis closers', build: (size) => times('a* ', size) },
  { name: 'mixed ** and _', build: (size) => times('**_a', size) },
  { name: 'autolink openers', build: (size) => times('<http://', size) },
  { name: 'bare URLs joined', build: (size) => times('http://a.b/', size) },
  { name: 'bare URLs of refused schemes', build: (size) => times('ftp://a.b/mailto:a@b.c/', size) },
  { name: 'bare URLs with a bad port', build: (size) => times('http://a.b:99999/', size) },
  { name: 'refused link targets', build: (size) => times('[a](javascript:a) ![b](http://b) ', size) },
  { name: 'reference definitions', build: (size) => times('[a]: javascript:a\n[a]\n', size) },
  { name: 'entity-like runs', build: (size) => times('&#', size) },
  { name: 'backslashes', build: (size) => times('\\', size) },
  { name: 'nested lists on one line', build: (size) => `${times('- ', size)}a` },
  { name: 'nested lists by indent', build: (size) => nestedListLines(size) },
  { name: 'nested block quotes', build: (size) => `${times('>', size)} a` },
  { name: 'quote marker per line', build: (size) => times('> a\n', size) },
  { name: 'table with many columns', build: (size) => wideTable(size) },
  { name: 'unclosed fence', build: (size) => `\`\`\`\n${times('a\n', size)}` },
  { name: 'NUL characters', build: (size) => times('a\u0000', size) },
];

function nestedListLines(size: number): string {
  let out = '';
  for (let depth = 0; out.length < size; depth = (depth + 1) % 200) out += `${'  '.repeat(depth)}- a\n`;
  return out;
}

function wideTable(size: number): string {
  const columns = 1000;
  const header = `|${'a|'.repeat(columns)}\n|${'-|'.repeat(columns)}\n`;
  return header + times('x\n', size - header.length);
}

/** All shapes, each about `size / shapes` characters, separated by blank lines. */
export function adversarialMarkdown(size: number): string {
  const each = Math.floor(size / MARKDOWN_SHAPES.length);
  return MARKDOWN_SHAPES.map((shape) => shape.build(each)).join('\n\n');
}

/**
 * A description of about `size` characters in which every stretch of `block` characters
 * holds each shape once, so that the part a viewer keeps (its first 100,000 characters)
 * still has them all.
 */
export function adversarialDescription(size: number, block = 96_000): string {
  const one = adversarialMarkdown(block);
  return Array.from({ length: Math.max(1, Math.round(size / (one.length + 2))) }, () => one).join('\n\n');
}

const ORDINARY = `## Features

This mod adds **new machines**, _better_ belts and a few \`remote\` interfaces. See the [wiki](https://example.org/wiki) or https://example.org/forum for help.

- Faster inserters
  - with a stack bonus
  - and filters
- Bigger chests
1. Research it
2. Build it

> Tip: hold shift to rotate.

| Item | Speed | Cost |
| :--- | ---: | :---: |
| Belt | 15/s | 1 |
| Fast belt | 30/s | 2 |

\`\`\`lua
script.on_event(defines.events.on_tick, function(event) end)
\`\`\`

![screenshot](https://example.org/screenshot.png)

---
`;

/** A description as mod authors write them, repeated to about `size` characters. */
export function ordinaryMarkdown(size: number): string {
  return times(ORDINARY, size);
}

/** A changelog whose `Date:` line is `spaces` spaces long, then a normal entry. */
export function adversarialChangelog(spaces: number): string {
  return [
    '-'.repeat(99),
    'Version: 1.0.1',
    `Date: 2024-01-01${' '.repeat(spaces)}x`,
    '  Bugfixes:',
    '    - Fixed a crash.',
    `${'-'.repeat(spaces)}x`,
    `Version:${' '.repeat(spaces)}`,
    `Date:${' '.repeat(spaces)}`,
    '-'.repeat(99),
    'Version: 1.0.0',
    'Date: 2023-12-01',
    '  Features:',
    '    - First release.',
  ].join('\n');
}
