// Descriptions and FAQs are Markdown written for the portal's renderer, and untrusted.
// markdown-it (the parser VS Code's own Markdown preview uses) renders tables, fenced code,
// nested lists and headings as the portal shows them, in time linear in the text (it is
// tested against CommonMark's pathological inputs, and caps nesting). On top of it:
// raw HTML stays text, links are only http(s), images only https, and nothing it emits
// needs a script or an inline style (the page's policy allows neither).

import MarkdownIt from 'markdown-it';
import { safeLinkUrl } from '../core/portalText';

type RenderEnv = {
  /** Added to each heading level, so the text's headings sit under the page's own. */
  headingOffset: number;
};

const ALIGN_CLASSES: Readonly<Record<string, string>> = {
  'text-align:left': 'align-left',
  'text-align:center': 'align-center',
  'text-align:right': 'align-right',
};

function isHttpUrl(url: string): boolean {
  const scheme = url.slice(0, 8).toLowerCase();
  return scheme.startsWith('http://') || scheme.startsWith('https://');
}

function createRenderer(): MarkdownIt.MarkdownIt {
  const md = new MarkdownIt('default', {
    html: false,
    linkify: true,
    typographer: false,
    // Twenty levels of lists or quotes are more than any real description has; deeper
    // input is cut there rather than recursed into.
    maxNesting: 20,
  });
  // Bare links are recognised only for http(s). A bare link that validateLink refused
  // would be looked for again from each later `://` up to the end of the text (quadratic
  // on `ftp://a/ftp://a/…`), so the refused schemes are not recognised in the first place.
  md.linkify.set({ fuzzyEmail: false });
  for (const schema of ['ftp:', 'mailto:', '//']) md.linkify.add(schema, null);
  // A link whose target fails this stays plain text: no `command:`, `javascript:`, `file:`
  // or relative target reaches the page. It only checks the scheme, for the same reason:
  // every bare http(s) link passes, whatever its length or shape.
  md.validateLink = isHttpUrl;

  const rules = md.renderer.rules;
  const renderImage = rules.image!;
  rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const src = safeLinkUrl(String(token.attrGet('src') ?? ''), ['https:']);
    if (!src) return md.utils.escapeHtml(self.renderInlineAsText(token.children ?? [], options, env));
    token.attrSet('src', src);
    return renderImage(tokens, idx, options, env, self);
  };
  const shiftHeading: NonNullable<typeof rules.heading_open> = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const offset = (env as RenderEnv | undefined)?.headingOffset ?? 0;
    token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + offset)}`;
    return self.renderToken(tokens, idx, options);
  };
  rules.heading_open = shiftHeading;
  rules.heading_close = shiftHeading;
  // Table alignment comes as a style attribute, which the policy blocks: a class instead.
  const alignByClass: NonNullable<typeof rules.td_open> = (tokens, idx, options, _env, self) => {
    const token = tokens[idx]!;
    const style = token.attrGet('style');
    if (style !== null) {
      token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
      const align = ALIGN_CLASSES[style];
      if (align) token.attrJoin('class', align);
    }
    return self.renderToken(tokens, idx, options);
  };
  rules.th_open = alignByClass;
  rules.td_open = alignByClass;
  return md;
}

const renderer = createRenderer();

/**
 * Portal Markdown as HTML that is safe in a page without scripts. The caller bounds the
 * text's size (markdown-it is linear, but a page of megabytes helps nobody).
 */
export function renderPortalMarkdown(source: string, options: { headingOffset?: number } = {}): string {
  const env: RenderEnv = { headingOffset: options.headingOffset ?? 0 };
  return renderer.render(source, env);
}
