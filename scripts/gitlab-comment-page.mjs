// The MR comment as GitLab shows it, for screenshots and the browser tests: comment.md through
// markdown-it (CommonMark + GFM tables, strikethrough, linkify; raw HTML on, as GitLab allows
// `<details>`, `<summary>`, `<sub>` and comments), then GitLab's sanitiser rule that matters for
// qgate (no `<script>`, no `<style>`, no event handlers, no `javascript:` links), in a page with a
// stylesheet close to GitLab's note styles (gitlab-org/gitlab app/assets/stylesheets/framework/
// typography.scss: 14px system font, bordered tables, grey code spans). Not GitLab itself — its
// reference filters (`@user`, `#1`) are not run — but the same block and inline structure.
import MarkdownIt from 'markdown-it';

const gfm = new MarkdownIt({ html: true, linkify: true });

/** What GitLab's HTML sanitiser removes that markdown-it with `html: true` keeps. */
function sanitise(html) {
  return html
    .replace(/<(script|style|iframe|object|embed)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<(script|style|iframe|object|embed)\b[^>]*>/gi, '')
    .replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/href\s*=\s*"\s*javascript:[^"]*"/gi, 'href="#"');
}

export function renderCommentHtml(markdown) {
  return sanitise(gfm.render(markdown));
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fbfafd; color: #333238; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Noto Sans", Ubuntu, Cantarell, "Helvetica Neue", sans-serif; }
main { padding: 16px; }
.note { background: #fff; border: 1px solid #dcdcde; border-radius: 4px; max-width: 1000px; }
.note-header { padding: 8px 16px; border-bottom: 1px solid #ececef; color: #626168; }
.note-header strong { color: #333238; }
.md { padding: 8px 16px 16px; overflow-wrap: anywhere; }
.md h3 { font-size: 1.25em; margin: 16px 0 8px; font-weight: 600; }
.md p, .md ul, .md table, .md details { margin: 0 0 16px; }
.md ul { padding-left: 28px; }
.md a { color: #1068bf; text-decoration: none; }
.md code { font-family: "GitLab Mono", "JetBrains Mono", Menlo, "DejaVu Sans Mono", monospace; font-size: 90%; background: #ececef; border-radius: 4px; padding: 2px 4px; }
.md table { display: block; width: max-content; max-width: 100%; overflow-x: auto; border-collapse: collapse; }
.md th, .md td { border: 1px solid #dcdcde; padding: 8px 16px; text-align: left; vertical-align: top; }
.md th { background: #ececef; font-weight: 600; }
.md tr:nth-child(even) td { background: #fbfafd; }
.md details summary { cursor: pointer; font-weight: 600; }
.md sub { color: #626168; }
`;

/** A whole page: the comment in a GitLab-like note. */
export function commentPage(markdown, title = 'qgate comment') {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title.replace(/[<&]/g, '')}</title><style>${STYLE}</style></head>
<body><main><article class="note" aria-label="qgate comment"><div class="note-header"><strong>qgate bot</strong> commented</div>
<div class="md">${renderCommentHtml(markdown)}</div></article></main></body></html>
`;
}
