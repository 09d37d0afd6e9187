/**
 * `comment.md`, the MR comment body, rendered from the view model with the Markdown templates
 * in `report-templates/markdown/` (one partial per section).
 *
 * The one escaping rule: the view model holds raw strings, and every value a Markdown template
 * prints goes through one of four helpers, chosen by where it lands —
 * - `{{md x}}`: running text, list items, link text, table cells (`escapeMarkdownText`);
 * - `{{code x}}` / `{{cellCode x}}`: a code span, outside / inside a table cell (`codeSpan`);
 * - `{{href x}}`: a link destination (http(s) only, parentheses encoded);
 * - `{{html x}}`: text inside raw HTML such as `<summary>` (`escapeHtmlText`).
 * Handlebars' own escaping is HTML escaping, which is the wrong language for Markdown (it lets
 * `@all`, `[x](javascript:…)` and `|` through), so each helper returns a `SafeString` and a bare
 * `{{x}}` or `{{{x}}}` is never right: `test/render/comment.test.ts` walks every template's AST
 * and fails on any mustache that is not one of these helpers. Compiles are `strict` (a renamed
 * field throws) and `knownHelpersOnly` (an unknown helper throws), on an isolated instance.
 *
 * Size: GitLab refuses notes over 1,000,000 characters. The view model's limits keep normal
 * comments far below; `renderCommentFor` re-builds the view with smaller limits until the text
 * fits, so entries are dropped whole and markup is never cut.
 */
import type Handlebars from 'handlebars';
import type { QgateResult } from '../model/result.js';
import { codeSpan, escapeHtmlText, escapeMarkdownText, markdownLinkDestination } from './markdown-escape.js';
import { compileTemplateFolder } from './template-folder.js';
import { MARKDOWN_HELPERS } from './template-sets.js';
import { buildViewModel, DEFAULT_VIEW_LIMITS, type ViewContext, type ViewLimits, type ViewModel } from './view-model.js';

/** The hidden first line the sticky note is found by. */
export const STICKY_MARKER = '<!-- qgate:sticky-note -->';

/** GitLab's note limit is 1,000,000 characters; keep a margin. */
export const MAX_COMMENT_CHARS = 990_000;

export { MARKDOWN_HELPERS };

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new Error(`a Markdown template printed a ${value === null ? 'null' : typeof value} value; the view model must give a string`);
}

/** Compiles `report-templates/markdown/<main>.hbs` with the four escaping helpers and no other. */
export function compileMarkdownTemplate<View>(main: string): (view: View) => string {
  const helpers = (hbs: typeof Handlebars): Record<(typeof MARKDOWN_HELPERS)[number], (value: unknown) => unknown> => ({
    md: (value) => new hbs.SafeString(escapeMarkdownText(text(value))),
    code: (value) => new hbs.SafeString(codeSpan(text(value))),
    cellCode: (value) => new hbs.SafeString(codeSpan(text(value), { tableCell: true })),
    html: (value) => new hbs.SafeString(escapeHtmlText(text(value))),
    href: (value) => {
      const url = markdownLinkDestination(text(value));
      if (url === null) throw new Error(`not an http(s) URL for a Markdown link: ${text(value)}`);
      return new hbs.SafeString(url);
    },
  });
  return compileTemplateFolder<View>('markdown', main, helpers);
}

let renderer: ((view: ViewModel) => string) | null = null;

/** The comment body for a view model. */
export function renderComment(view: ViewModel): string {
  renderer ??= compileMarkdownTemplate<ViewModel>('comment');
  return renderer(view);
}

/** Each retry lists fewer entries per section; the last lists none (counts and the report link only). */
function smaller(limits: ViewLimits): ViewLimits {
  const shrink = (n: number) => Math.floor(n / 4);
  return {
    maxUncoveredFiles: shrink(limits.maxUncoveredFiles),
    maxRangesPerFile: shrink(limits.maxRangesPerFile),
    maxScenarios: shrink(limits.maxScenarios),
    maxMutants: shrink(limits.maxMutants),
    maxMetrics: shrink(limits.maxMetrics),
  };
}

/**
 * The comment body for a result: builds the view, renders it, and if the text is still over
 * `maxChars` (huge reasons or paths in every entry), rebuilds with smaller limits.
 */
export function renderCommentFor(result: QgateResult, context: ViewContext, maxChars = MAX_COMMENT_CHARS): string {
  let limits: ViewLimits = { ...DEFAULT_VIEW_LIMITS, ...context.limits };
  for (;;) {
    const body = renderComment(buildViewModel(result, { ...context, limits }));
    if (body.length <= maxChars || Object.values(limits).every((n) => n === 0)) return body;
    limits = smaller(limits);
  }
}
