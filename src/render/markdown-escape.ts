/**
 * Escaping of user-controlled strings (paths, scenario names, error messages, metric names,
 * mutator replacements) for GitLab-flavoured Markdown, so that a hostile test name renders as
 * the text it is and never as markup, a link, a mention or a reference — with as few escapes as
 * that takes, so the source of the comment stays readable and no backslash ever shows.
 *
 * How GitLab reads a note: CommonMark + GFM tables/autolinks/strikethrough, then its own
 * reference filters (`@user`, `@all`, `#1`, `!1`, `~label`, `%milestone`, `$snippet`, `&epic`)
 * on the text of the result, then an HTML sanitizer. What each context needs:
 * - Running text, list items, link text, table cells (`escapeMarkdownText`): a backslash before
 *   the characters that can open inline markup — `\` `` ` `` `*` `[` `]` `|` (cells) `~`
 *   (strikethrough), and `_` only at a word edge (GFM ignores intraword underscores, so
 *   `new_code_coverage` stays as it is); `<` `>` `&` as entities, so no tag or entity forms; a
 *   leading `# `, `- `, `+ `, `1. `, `---` or `===` (a heading, a list item or a break when it starts a
 *   line; `+6.9 pts` keeps its `+`). Nothing
 *   else: `(`, `)`, `:`, `.`, `!` mean nothing without an opening `[`. CommonMark defines a
 *   backslash before ASCII punctuation as "this character is literal" (spec §2.4) and `\|` is
 *   how GFM keeps a pipe inside a table cell.
 * - References and mentions: a WORD JOINER (U+2060, invisible, no width) after each reference
 *   character that is followed by a name or number. GitLab's reference patterns need the name
 *   right after the character, so the joiner breaks the match on every GitLab version (a
 *   backslash alone is only honoured since 14.0, gitlab-org/gitlab#16827). The cost: copying
 *   `@all` from the comment copies the invisible joiner too; a mention that notifies a whole
 *   group is worse.
 * - Autolinks: GFM links bare `https://…`, `www.…` and e-mail addresses. A word joiner after
 *   `:` in `://` and after `www` breaks the link (an address is already broken at its `@`).
 * - Code spans (`codeSpan`): nothing inside — the fence is longer than any backtick run in the
 *   text. In a table cell a pipe would still end the cell, so there a text with `|` is written
 *   as escaped text instead of a code span (renderers disagree on `\|` inside code spans).
 * - Raw HTML such as `<summary>` (`escapeHtmlText`): HTML entities, no Markdown escapes.
 * - Line breaks would end a table row or a list item: they become a space.
 * - Control and invisible format characters (NUL, bidi overrides, zero-width marks) could hide
 *   or reorder text: each becomes U+FFFD, visibly.
 */

/** Line breaks CommonMark or a browser would honour. */
const LINE_BREAKS = /\r\n|[\n\r\u0085\u2028\u2029]/g;
/** C0/C1 controls (tab aside) and invisible format characters (bidi controls, zero-width marks). */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\p{Cf}]/gu;
/** GitLab reference characters: each gets a word joiner after it (see the module comment). */
const REFERENCE_CHARS = new Set(['@', '#', '!', '~', '%', '$', '&']);
const WORD_JOINER = '\u2060';
/** What a GitLab reference name or number can start with: a letter, a digit, `_`, or a quoted name (`~"my label"`). */
const REFERENCE_START = /[\p{L}\p{N}_"]/u;

/** Control characters, invisible characters and line breaks out, tabs as spaces: the text a reader should see. */
export function toPlainLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(/\t/g, ' ').replace(INVISIBLE, '\uFFFD');
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Any user-controlled string as inert inline Markdown, safe in running text, list items, link
 * text and table cells alike.
 */
export function escapeMarkdownText(text: string): string {
  const chars = Array.from(toPlainLine(text));
  let out = '';
  chars.forEach((char, i) => {
    const next = chars[i + 1] ?? '';
    const previous = chars[i - 1] ?? '';
    const joiner = REFERENCE_CHARS.has(char) && REFERENCE_START.test(next) ? WORD_JOINER : '';
    switch (char) {
      case '<': out += '&lt;'; return;
      case '>': out += '&gt;'; return;
      case '&': out += `&amp;${joiner}`; return;
      case '\\': case '`': case '*': case '[': case ']': case '|':
        out += `\\${char}`; return;
      case '~': out += `\\~${joiner}`; return;
      case '_':
        out += WORD_CHAR.test(previous) && WORD_CHAR.test(next) ? '_' : '\\_'; return;
      case ':':
        // `https://…`: the joiner stops GFM's autolink (and GitLab's) from making a link.
        out += next === '/' && chars[i + 2] === '/' ? `:${WORD_JOINER}` : ':'; return;
      default:
        out += `${char}${joiner}`;
    }
  });
  // `www.example.com` is autolinked too.
  out = out.replace(/\b(www)\./gi, `$1${WORD_JOINER}.`);
  // At the start of a line these open a heading (`# `), a list item (`- `, `+ `, `1. `), a thematic
  // break or a setext underline (`---`, `===`); anything else (`+6.9 pts`, `-0.5`, `#1`) needs no backslash.
  return out
    .replace(/^([#+-])(?=\s|$)/, '\\$1')
    .replace(/^([=-])(?=[=\-\s]*$)/, '\\$1')
    .replace(/^(#{2,6})(?=\s|$)/, '\\$1')
    .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
}

/**
 * A user-controlled string (e.g. a mutator's replacement code) as a code span: verbatim, no
 * mention or reference inside (GitLab skips code). The fence is one backtick longer than the
 * longest run of backticks in the text, so the text cannot close it (CommonMark §6.1).
 * In a table cell a pipe still ends the cell even inside a code span, so with `tableCell` a text
 * holding `|` is written as escaped text instead.
 */
export function codeSpan(text: string, options: { tableCell?: boolean } = {}): string {
  const body = toPlainLine(text);
  // In a table cell a pipe ends the cell even inside a code span; escaped text is unambiguous.
  if (options.tableCell && body.includes('|')) return escapeMarkdownText(body);
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
