// A small Markdown renderer for portal text, which is untrusted. Everything is escaped;
// only the constructs below become markup, and only http(s) links and https images
// survive (a `command:` or `javascript:` link becomes plain text). Raw HTML in the
// source is shown as text, never interpreted.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The URL when it is an absolute http(s) URL, normalised; undefined otherwise. */
export function safeLinkUrl(raw: string, schemes: readonly string[] = ['http:', 'https:']): string | undefined {
  const text = raw.trim();
  if (!/^https?:\/\//i.test(text)) return undefined;
  try {
    const url = new URL(text);
    return schemes.includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A homepage as mod authors write it: a URL, or a bare host such as `example.org/mod`. */
export function safeHomepageUrl(raw: string): string | undefined {
  const text = raw.trim();
  return safeLinkUrl(text) ?? (/^[\w-]+(\.[\w-]+)+(\/\S*)?$/.test(text) ? safeLinkUrl(`https://${text}`) : undefined);
}

function findClosing(text: string, from: number, marker: string): number {
  const at = text.indexOf(marker, from);
  return at > from ? at : -1;
}

/** `[label](url)` at `i`: the label, the url and where it ends. */
function readLink(text: string, i: number): { label: string; url: string; end: number } | undefined {
  let depth = 0;
  let j = i;
  for (; j < text.length; j++) {
    if (text[j] === '[') depth++;
    else if (text[j] === ']' && --depth === 0) break;
  }
  if (j >= text.length || text[j + 1] !== '(') return undefined;
  // Parentheses inside the target are balanced, as Markdown does: (javascript:alert(1)).
  let close = -1;
  for (let k = j + 2, open = 1; k < text.length; k++) {
    if (text[k] === '(') open++;
    else if (text[k] === ')' && --open === 0) {
      close = k;
      break;
    }
  }
  if (close < 0) return undefined;
  const target = text.slice(j + 2, close).trim().split(/\s+/)[0] ?? '';
  return { label: text.slice(i + 1, j), url: target.replace(/^<|>$/g, ''), end: close + 1 };
}

export function renderInline(text: string, depth = 0): string {
  if (depth > 8) return escapeHtml(text);
  let out = '';
  let plain = '';
  const flush = (): void => {
    out += escapeHtml(plain);
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const rest = text.slice(i);

    if (c === '\\' && i + 1 < text.length && /[\\`*_[\]()#+\-.!<>]/.test(text[i + 1]!)) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(rest)![0];
      const close = text.indexOf(run, i + run.length);
      if (close > 0) {
        flush();
        out += `<code>${escapeHtml(text.slice(i + run.length, close).trim())}</code>`;
        i = close + run.length;
        continue;
      }
    }
    if (c === '!' && text[i + 1] === '[') {
      const link = readLink(text, i + 1);
      if (link) {
        flush();
        const src = safeLinkUrl(link.url, ['https:']);
        out += src ? `<img src="${escapeHtml(src)}" alt="${escapeHtml(link.label)}">` : escapeHtml(link.label);
        i = link.end;
        continue;
      }
    }
    if (c === '[') {
      const link = readLink(text, i);
      if (link) {
        flush();
        const href = safeLinkUrl(link.url);
        const label = renderInline(link.label, depth + 1);
        out += href ? `<a href="${escapeHtml(href)}" title="${escapeHtml(href)}">${label}</a>` : label;
        i = link.end;
        continue;
      }
    }
    if (c === '<') {
      const auto = /^<(https?:\/\/[^\s<>]+)>/i.exec(rest);
      if (auto) {
        flush();
        const href = safeLinkUrl(auto[1]!);
        out += href ? `<a href="${escapeHtml(href)}">${escapeHtml(auto[1]!)}</a>` : escapeHtml(auto[0]);
        i += auto[0].length;
        continue;
      }
    }
    if ((c === '*' || c === '_') && text[i + 1] === c) {
      const marker = c + c;
      const close = findClosing(text, i + 2, marker);
      if (close > 0) {
        flush();
        out += `<strong>${renderInline(text.slice(i + 2, close), depth + 1)}</strong>`;
        i = close + 2;
        continue;
      }
    }
    if ((c === '*' || c === '_') && text[i + 1] !== undefined && text[i + 1] !== ' ') {
      // `_` inside a word (snake_case names) is not emphasis.
      const wordBefore = c === '_' && i > 0 && /\w/.test(text[i - 1]!);
      const close = findClosing(text, i + 1, c);
      if (!wordBefore && close > 0 && text[close - 1] !== ' ' && !(c === '_' && /\w/.test(text[close + 1] ?? ''))) {
        flush();
        out += `<em>${renderInline(text.slice(i + 1, close), depth + 1)}</em>`;
        i = close + 1;
        continue;
      }
    }
    const bare = /^https?:\/\/[^\s<>()"']+[^\s<>()"'.,;:!?]/i.exec(rest);
    if (bare && (i === 0 || /[\s(]/.test(text[i - 1]!))) {
      const href = safeLinkUrl(bare[0]);
      if (href) {
        flush();
        out += `<a href="${escapeHtml(href)}">${escapeHtml(bare[0])}</a>`;
        i += bare[0].length;
        continue;
      }
    }
    plain += c;
    i++;
  }
  flush();
  return out;
}

type Block =
  | { type: 'heading'; level: number; text: string }
  | { type: 'code'; text: string }
  | { type: 'list'; ordered: boolean; items: string[] }
  | { type: 'quote'; lines: string[] }
  | { type: 'rule' }
  | { type: 'paragraph'; lines: string[] };

function blocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trim().startsWith(fence[1]!)) body.push(lines[i++]!);
      i++;
      out.push({ type: 'code', text: body.join('\n') });
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      out.push({ type: 'heading', level: heading[1]!.length, text: heading[2]! });
      i++;
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push({ type: 'rule' });
      i++;
      continue;
    }
    const bullet = /^\s*([-*+]|\d+[.)])\s+/;
    if (bullet.test(line)) {
      const ordered = /^\s*\d/.test(line);
      const items: string[] = [];
      while (i < lines.length && lines[i]!.trim() !== '') {
        const m = bullet.exec(lines[i]!);
        if (m) items.push(lines[i]!.slice(m[0].length));
        else if (items.length > 0) items[items.length - 1] += ' ' + lines[i]!.trim();
        i++;
      }
      out.push({ type: 'list', ordered, items });
      continue;
    }
    if (/^\s*>/.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i]!)) quoted.push(lines[i++]!.replace(/^\s*>\s?/, ''));
      out.push({ type: 'quote', lines: quoted });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !/^\s*(```|~~~|#{1,6}\s|>)/.test(lines[i]!) && !(para.length > 0 && bullet.test(lines[i]!))) {
      para.push(lines[i++]!.trim());
    }
    if (para.length === 0) para.push(lines[i++]!.trim());
    out.push({ type: 'paragraph', lines: para });
  }
  return out;
}

/** Markdown to HTML that is safe to place in a page with no scripts. */
export function renderMarkdown(source: string, depth = 0): string {
  return blocks(source)
    .map((b) => {
      switch (b.type) {
        case 'heading': {
          // Headings in a mod's text sit under the panel's own headings.
          const level = Math.min(6, b.level + 2);
          return `<h${level}>${renderInline(b.text)}</h${level}>`;
        }
        case 'code':
          return `<pre><code>${escapeHtml(b.text)}</code></pre>`;
        case 'list': {
          const tag = b.ordered ? 'ol' : 'ul';
          return `<${tag}>${b.items.map((item) => `<li>${renderInline(item)}</li>`).join('')}</${tag}>`;
        }
        case 'quote':
          return depth < 4 ? `<blockquote>${renderMarkdown(b.lines.join('\n'), depth + 1)}</blockquote>` : `<blockquote>${escapeHtml(b.lines.join('\n'))}</blockquote>`;
        case 'rule':
          return '<hr>';
        case 'paragraph':
          return `<p>${b.lines.map((l) => renderInline(l)).join('<br>')}</p>`;
      }
    })
    .join('\n');
}
