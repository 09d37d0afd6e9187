import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { MARKDOWN_HELPERS, MAX_COMMENT_CHARS, renderComment, renderCommentFor, STICKY_MARKER } from '../../src/render/comment.js';
import { findTemplatesDir } from '../../src/render/template-folder.js';
import { buildViewModel, type ViewContext } from '../../src/render/view-model.js';
import { failingResult, golden as goldenFile, HEAD, hostileResult, hugeResult, noEvidenceResult, passingResult } from './result-fixtures.js';

const CI: ViewContext = {
  projectUrl: 'https://gitlab.example.com/group/project',
  commitSha: HEAD,
  reportUrl: 'https://gitlab.example.com/group/project/-/jobs/42/artifacts/file/qgate-report/index.html',
};

/**
 * The comment as GitLab shows it, near enough: CommonMark + GFM tables, strikethrough and
 * autolinks (linkify), raw HTML allowed (GitLab keeps <details>, <summary>, <sub>, <br>).
 */
const gfm = new MarkdownIt({ html: true, linkify: true });

/** What a reader sees: the rendered HTML's text, tags dropped, entities decoded. */
function visibleText(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** The rendered comment holds no live markup from user strings and shows no escaping backslash. */
function expectRendersClean(markdown: string, hostile = false): void {
  const html = gfm.render(markdown);
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<img/i);
  for (const href of html.matchAll(/href="([^"]*)"/g)) expect(href[1]).toMatch(/^https:\/\/gitlab\.example\.com\/group\/project\//);
  const text = visibleText(html);
  // Without hostile input no user string has a backslash: any one shown would be a stray escape.
  if (!hostile) expect(text).not.toContain('\\');
  // A mention or reference needs the name right after its character: never so in what is shown.
  // GitLab reads no reference inside code, so only the text outside <code> counts.
  const live = visibleText(html.replace(/<code>[\s\S]*?<\/code>/g, ' '));
  expect(live).not.toMatch(/(^|[^\w])@(all|user)\b/);
  expect(live).not.toMatch(/(^|\s)[#!]\d/);
}

function golden(name: string, text: string): void {
  goldenFile(`${name}.comment.md`, text);
}

/** The comment with every code span removed (code spans are inert by definition: GitLab renders them as literal text). */
function outsideCodeSpans(markdown: string): string {
  return markdown.replace(/(?<![\\`])(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, ' ');
}

/** Rows of each GFM table, as column counts (split on pipes not preceded by a backslash). */
function tableColumnCounts(markdown: string): number[][] {
  const tables: number[][] = [];
  let current: number[] | null = null;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|')) {
      const cells = line.replace(/\\\|/g, '').split('|').length - 2;
      if (!current) tables.push((current = []));
      current.push(cells);
    } else current = null;
  }
  return tables;
}

function expectBalancedDetails(markdown: string): void {
  let depth = 0;
  for (const match of markdown.matchAll(/<(\/?)details>/g)) {
    depth += match[1] ? -1 : 1;
    expect(depth).toBeGreaterThanOrEqual(0);
  }
  expect(depth).toBe(0);
  expect(markdown.match(/<summary>/g)?.length ?? 0).toBe(markdown.match(/<\/summary>/g)?.length ?? 0);
}

function expectWellFormed(markdown: string): void {
  expect(markdown.startsWith(`${STICKY_MARKER}\n`)).toBe(true);
  expectBalancedDetails(markdown);
  for (const table of tableColumnCounts(markdown)) expect(new Set(table).size).toBe(1);
  // Markdown needs a blank line after <summary>…</summary> and before </details> to render the inside.
  expect(markdown).not.toMatch(/<\/summary>\n[^\n]/);
  expect(markdown).not.toMatch(/[^\n]\n<\/details>/);
}

describe('renderComment golden files', () => {
  it('renders a passing MR', () => {
    const markdown = renderComment(buildViewModel(passingResult(), CI));
    expectWellFormed(markdown);
    expectRendersClean(markdown);
    expect(markdown).toContain('### ✅ 100 % of new lines covered (19 of 19); 2 other gates passed');
    expect(markdown).toContain('| ✅ passed | New-code coverage | 100 % (19 of 19 new lines) | — |');
    // The threshold appears only where it decided a failure.
    expect(markdown).not.toContain('needs');
    // A gate with nothing to check is one line, not a row.
    expect(markdown).toContain('\nnot run: mutation — no report given.\n');
    expect(markdown).not.toContain('Uncovered new lines');
    golden('passing', markdown);
  });

  it('renders a failing MR with every section', () => {
    const markdown = renderComment(buildViewModel(failingResult(), CI));
    expectWellFormed(markdown);
    expectRendersClean(markdown);
    expect(markdown.split('\n')[2]).toBe('### ❌ 63.2 % of new lines covered (12 of 19) — needs 80 %; 7 lines to cover in 2 files; also failed: e2e scenarios, performance (k6)');
    expect(markdown).toContain('| ❌ failed | New-code coverage | 63.2 % (12 of 19 new lines) — needs 80 %; 1 changed source file in no coverage report | — |');
    // Few ranges: shown open, each linked to the line at the commit.
    expect(markdown).toContain('**Uncovered new lines: 7 lines in 2 files**');
    expect(markdown).toContain('[10-12](https://gitlab.example.com/group/project/-/blob/' + HEAD + '/src/pay/charge.ts#L10-12)');
    // Both surviving mutants are on uncovered lines: listing them would repeat the uncovered list.
    expect(markdown).not.toContain('Surviving mutants');
    // Each path segment is encoded, the slashes are not.
    expect(markdown).toContain(`/-/blob/${HEAD}/src/pay/refund%20handler.ts#L7)`);
    expect(markdown).toContain('Compared `a1b2c3d4e5f6` → `0f9e8d7c6b5a`');
    expect(markdown).toContain('Pay with an expired card');
    expect(markdown).toContain('AssertionError');
    expect(markdown).toContain('[Full report](https://gitlab.example.com/group/project/-/jobs/42/artifacts/file/qgate-report/index.html)');
    golden('failing', markdown);
  });

  it('renders an MR without evidence as "not applicable", never as a pass', () => {
    const markdown = renderComment(buildViewModel(noEvidenceResult(), { projectUrl: null, commitSha: null, reportUrl: null }));
    expectWellFormed(markdown);
    expectRendersClean(markdown);
    expect(markdown).toContain('### ❌ no coverage report was given — new-code coverage needs one (onMissing: fail)');
    expect(markdown).toContain('not run: overall_coverage, e2e, performance, mutation — no report given.');
    expect(markdown).toContain('Compared `unknown` →');
    expect(markdown).toContain("Full report: `qgate-report/index.html` in the job's artifacts");
    expect(markdown).not.toContain('<details><summary>Uncovered');
    golden('no-evidence', markdown);
  });

  it('keeps an MR with thousands of uncovered lines in 5,000 files under the note limit, with a truncation notice', () => {
    const markdown = renderCommentFor(hugeResult(), CI);
    expect(markdown.length).toBeLessThan(1_000_000);
    expectWellFormed(markdown);
    expect(markdown).toContain('[and 4,950 more files — see the full report](https://gitlab.example.com/');
    expect(markdown).toContain('and 250 more files');
    expect(markdown).toContain('some lists above are shortened');
    golden('huge', markdown);
  });

  it('renders hostile strings inert', () => {
    const markdown = renderComment(buildViewModel(hostileResult(), CI));
    expectWellFormed(markdown);
    const live = outsideCodeSpans(markdown);
    expect(live).not.toMatch(/<script/i);
    expect(live).not.toMatch(/<img/i);
    expectRendersClean(markdown, true);
    expect(gfm.render(markdown)).not.toMatch(/<a href="(?!https:\/\/gitlab\.example\.com)/);
    expect(live).not.toMatch(/!\[/);
    expect(live).not.toContain('\u0000');
    expect(live).not.toContain('\u202E');
    // A mention or reference needs the name or number right after the character: never so here.
    expect(live).not.toMatch(/@all/);
    expect(live).not.toMatch(/(^|[^\\])[#!]\d/m);
    // No user text starts a heading or breaks a row: every line that starts with '#' is ours.
    expect(live.split('\n').filter((line) => /^#/.test(line))).toEqual([expect.stringMatching(/^### ❌ /)]);
    // The code span of the mutant's replacement is fenced longer than the text's longest backtick run.
    // The hostile text is shown, as text: the reader sees `<script>`, the browser gets no tag.
    expect(visibleText(gfm.render(markdown))).toContain('<script>alert(1)</script>');
    golden('hostile', markdown);
  });
});

describe('renderCommentFor', () => {
  it('rebuilds with smaller limits until the comment fits, dropping whole entries', () => {
    // Long non-ASCII paths: each link's URL is ~9 characters per path character once encoded.
    const result = hugeResult((i) => `src/${'описание'.repeat(36)}/${i}.ts`);
    const unguarded = renderComment(buildViewModel(result, CI));
    expect(unguarded.length).toBeGreaterThan(MAX_COMMENT_CHARS);
    const markdown = renderCommentFor(result, CI);
    expect(markdown.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expectWellFormed(markdown);
    expect(markdown).toContain('see the full report');
  });

  it('falls back to counts only when even one entry is too big', () => {
    const markdown = renderCommentFor(failingResult(), CI, 6_000);
    expectWellFormed(markdown);
    expect(markdown.length).toBeLessThanOrEqual(6_000);
  });
});

describe('Markdown templates', () => {
  const dir = join(findTemplatesDir(), 'markdown');
  const templates = readdirSync(dir).filter((name) => name.endsWith('.hbs'));

  it('has the comment, one partial per section, and the error report\'s comment', () => {
    expect(templates.sort()).toEqual(['comment.hbs', 'error.hbs', 'gates.hbs', 'indirect.hbs', 'link.hbs', 'more.hbs', 'mutants.hbs', 'performance.hbs', 'scenarios.hbs', 'uncovered.hbs', 'unresolved.hbs', 'waivers.hbs']);
  });

  it.each(templates)('%s prints values only through an escaping helper', (name) => {
    const allowed = new Set<string>(MARKDOWN_HELPERS);
    const offenders: string[] = [];
    class Check extends Handlebars.Visitor {
      override MustacheStatement(node: hbs.AST.MustacheStatement): void {
        const path = node.path as hbs.AST.PathExpression;
        if (node.params.length === 0 || !allowed.has(path.original)) offenders.push(`{{${path.original}}} at line ${node.loc.start.line}`);
        super.MustacheStatement(node);
      }
    }
    new Check().accept(Handlebars.parse(readFileSync(join(dir, name), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
