/**
 * Escaping of user-controlled strings (paths, scenario names, error messages, metric names,
 * mutator replacements) for GitLab-flavoured Markdown, so that a hostile test name renders as
 * the text it is and never as markup, a mention or a reference.
 *
 * How GitLab reads a note: CommonMark + GFM tables/autolinks, then its own reference filters
 * (`@user`, `#1`, `!1`, `~label`, `%milestone`, `$snippet`, `&epic`) on the text of the result,
 * then an HTML sanitizer. So each kind of danger is neutralised where it arises:
 * - Markdown syntax (`[x](javascript:…)`, `![](…)`, emphasis, headings, lists, code spans,
 *   table pipes): every significant ASCII punctuation character gets a backslash, which
 *   CommonMark defines as "this character is literal" (spec §2.4). `\|` is also how GFM keeps a
 *   pipe inside a table cell (GFM spec, tables extension).
 * - Raw HTML (`<script>`, `<img>`): `<` and `>` become `&lt;` / `&gt;`. An entity is decoded to
 *   plain text, so no tag can open, and the raw comment never contains `<script`.
 * - References and mentions: GitLab (since 14.0, "Escaped markdown not interpreted as
 *   shortcuts", gitlab-org/gitlab#16827) skips a reference character preceded by a backslash.
 *   Older or differently configured instances did not (gitlab-org/gitlab#33716), so a WORD
 *   JOINER (U+2060, invisible, no width) is also put after each reference character: GitLab's
 *   reference patterns need the name or number right after the character, and the joiner
 *   breaks that match on every version. The cost: copying `@all` from the comment copies the
 *   invisible joiner too; a mention that notifies a whole group is worse.
 * - Line breaks would end a table row or a list item: they become a space (callers that want
 *   several lines split the text first and let the template join them with `<br>`).
 * - Control and invisible format characters (NUL, bidi overrides, zero-width marks) could hide
 *   or reorder text: each becomes U+FFFD, visibly.
 * Plain-text URLs are still autolinked by GitLab; that yields an ordinary link (never an image,
 * never a `javascript:` link, which GitLab's sanitizer drops anyway).
 */

/** Line breaks CommonMark or a browser would honour. */
const LINE_BREAKS = /\r\n|[\n\r\u0085\u2028\u2029]/g;
/** C0/C1 controls (tab aside) and invisible format characters (bidi controls, zero-width marks). */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\p{Cf}]/gu;
/** `<`, `>` (as entities) and the ASCII punctuation that means something to CommonMark, GFM or GitLab (`.`, `,`, `/`, `;`, `?`, quotes mean nothing inline). */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-!|~@$%:^=&<>]/g;
/** GitLab reference characters: each gets a word joiner after it (see the module comment). */
const REFERENCE_CHARS = new Set(['@', '#', '!', '~', '%', '$', '&']);
const WORD_JOINER = '\u2060';
/** What a GitLab reference name or number can start with: a letter, a digit, `_`, or a quoted name (`~"my label"`). */
const REFERENCE_START = /[\p{L}\p{N}_"]/u;

/** Control characters, invisible characters and line breaks out, tabs as spaces: the text a reader should see. */
export function toPlainLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(/\t/g, ' ').replace(INVISIBLE, '\uFFFD');
}

/**
 * Any user-controlled string as inert inline Markdown, safe in running text, list items, link
 * text and table cells alike.
 */
export function escapeMarkdownText(text: string): string {
  const line = toPlainLine(text).replace(MARKDOWN_SPECIAL, (char, offset: number, whole: string) => {
    if (char === '<') return '&lt;';
    if (char === '>') return '&gt;';
    // A reference needs something right after its character (`@all`, `#1`, `~"label"`).
    const joiner = REFERENCE_CHARS.has(char) && REFERENCE_START.test(whole.charAt(offset + 1)) ? WORD_JOINER : '';
    return `\\${char}${joiner}`;
  });
  // "1. x" at the start of a list item would open an ordered list.
  return line.replace(/^(\d+)\.(?=\s|$)/, '$1\\.');
}

/**
 * A user-controlled string (e.g. a mutator's replacement code) as a code span: verbatim, no
 * mention or reference inside (GitLab skips code). The fence is one backtick longer than the
 * longest run of backticks in the text, so the text cannot close it (CommonMark §6.1).
 * In a table cell a pipe still ends the cell even inside a code span, so pass `tableCell` to
 * get `\|` (GFM turns it back into `|` inside the span).
 */
export function codeSpan(text: string, options: { tableCell?: boolean } = {}): string {
  let body = toPlainLine(text);
  if (options.tableCell) body = body.replace(/\|/g, '\\|');
  if (body.trim() === '') return '*(blank)*';
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // A space on each side is stripped by CommonMark; it keeps a leading or trailing backtick off the fence.
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * A URL for a Markdown link destination: only http(s), with the characters that would end or
 * unbalance the destination percent-encoded. Anything else gives null (the caller shows text only).
 */
export function markdownLinkDestination(url: string): string | null {
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return null;
  return url.replace(/[()<>"'\\`]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * Text for a raw-HTML context of the comment (a `<details><summary>` line is an HTML block, where
 * Markdown escapes would show as backslashes): HTML-escaped, one line, and with the same word
 * joiner after reference characters, since GitLab's reference filters also read HTML text.
 */
export function escapeHtmlText(text: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  return toPlainLine(text).replace(/[&<>"'@#!~%$]/g, (char, offset: number, whole: string) => {
    const joiner = REFERENCE_CHARS.has(char) && REFERENCE_START.test(whole.charAt(offset + 1)) ? WORD_JOINER : '';
    return `${entities[char] ?? char}${joiner}`;
  });
}
