import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import type { QgateResult } from '../../src/model/result.js';
import { findTemplatesDir } from '../../src/render/template-folder.js';
import { buildHtmlView, HTML_HELPERS, renderHtmlReport, type HtmlReportContext } from '../../src/render/html-report.js';
import { failingResult, golden as goldenFile, HEAD, hostileResult, hugeResult, noEvidenceResult, passingResult } from './result-fixtures.js';

const CI: HtmlReportContext = { projectUrl: 'https://gitlab.example.com/group/project', commitSha: HEAD, reportUrl: null };

function golden(name: string, html: string): void {
  goldenFile(`${name}.index.html`, html);
}

/** A fake checkout: line n of every file reads `line n of <path>`. */
const fakeSource = (path: string): string => Array.from({ length: 40 }, (_, i) => `line ${i + 1} of ${path}`).join('\n');

/** Every tag's attributes, as [tag, name, value] (the HTML the templates write is well formed: quoted values). */
function attributes(html: string): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  for (const tag of html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    for (const attr of tag[2]!.matchAll(/\s+([^\s=>]+)(?:="([^"]*)")?/g)) out.push([tag[1]!.toLowerCase(), attr[1]!.toLowerCase(), attr[2] ?? '']);
  }
  return out;
}

/** The markup is inert: no script, no event handler, no fetching element, links http(s) or in-page only. */
function expectInert(html: string): void {
  const tags = [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());
  const allowed = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'header', 'main', 'footer', 'nav', 'ul', 'li', 'a', 'section', 'h1', 'h2', 'h3', 'div', 'p', 'span', 'code', 'pre', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'svg', 'g', 'rect', 'text', 'circle', 'br']);
  expect(tags.filter((tag) => !allowed.has(tag))).toEqual([]);
  for (const [tag, name, value] of attributes(html)) {
    expect(name, `<${tag} ${name}>`).not.toMatch(/^on/);
    if (name === 'href') expect(value, `<${tag} href="${value}">`).toMatch(/^(https:\/\/gitlab\.example\.com\/|#[a-z-]+$)/);
    expect(name).not.toBe('src');
  }
  expect(html).not.toMatch(/href="javascript:/i);
  expect(html.match(/<h1[\s>]/g)).toHaveLength(1);
}

function render(result: QgateResult, context: HtmlReportContext = { ...CI, readSource: fakeSource }): string {
  return renderHtmlReport(result, context);
}

describe('renderHtmlReport golden files', () => {
  it('renders a passing MR', () => {
    const html = render(passingResult());
    expectInert(html);
    golden('passing', html);
  });

  it('renders a failing MR with every section, source lines and the k6 chart', () => {
    const html = render(failingResult());
    expectInert(html);
    for (const id of ['gates', 'changed-files', 'scenarios', 'performance', 'unresolved']) expect(html).toContain(`id="${id}"`);
    // Both surviving mutants sit on uncovered lines, which the changed-files view already marks: no mutants section.
    expect(html).not.toContain('id="mutants"');
    // Status chips are CSS and SVG, never emoji (which render as boxes without an emoji font).
    expect(html).not.toMatch(/[\u{1F300}-\u{1FAFF}\u2705\u274C\u23ED\u26A0]/u);
    expect(html).toContain('<tr class="l-uncovered"><td class="num">10</td>');
    expect(html).toContain('line 10 of src/pay/charge.ts');
    expect(html).toContain('<svg role="img"');
    golden('failing', html);
  });

  it('renders an MR without evidence', () => {
    const html = render(noEvidenceResult(), { projectUrl: null, commitSha: null, reportUrl: null });
    expectInert(html);
    expect(html).toContain('not run: overall_coverage, e2e, performance, mutation — no report given.');
    golden('no-evidence', html);
  });

  it('renders hostile strings inert', () => {
    const html = render(hostileResult());
    expectInert(html);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    golden('hostile', html);
  });

  it('shows every bidirectional control as U+FFFD, direction marks included, and keeps joiners', () => {
    const failing = failingResult();
    const path = 'src/a\u200Eb\u200Fc\u061Cd\u202Ee\u2067f\u200Dg.ts';
    const result: QgateResult = { ...failing, coverage: { ...failing.coverage!, newCode: { ...failing.coverage!.newCode, files: [{ ...failing.coverage!.newCode.files[0]!, path }] } } };
    const html = render(result);
    expect(html).toContain('src/a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\u200Dg.ts');
    expect(html).not.toMatch(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/);
  });

  it('escapes attribute breakouts and drops javascript: links', () => {
    const breakout = '"><img src=x onerror=alert(1)>';
    const failing = failingResult();
    const result: QgateResult = {
      ...failing,
      verdictReason: breakout,
      coverage: { ...failing.coverage!, newCode: { ...failing.coverage!.newCode, files: [{ ...failing.coverage!.newCode.files[0]!, path: `src/${breakout}.ts` }] } },
    };
    const source = () => `${breakout}\n'onmouseover='alert(1)\n</td></tr></table><script>alert(1)</script>`;
    for (const context of [
      { ...CI, readSource: source },
      { projectUrl: 'javascript:alert(1)', commitSha: HEAD, reportUrl: 'javascript:alert(1)', readSource: source },
    ]) {
      const html = render(result, context);
      expectInert(html);
      expect(html).not.toMatch(/<script|<img/i);
      expect(html).toContain('&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
      expect(html).not.toContain('javascript:alert(1)"');
    }
  });

  it('shows line numbers with their status when no source may be read', () => {
    const view = buildHtmlView(failingResult(), CI);
    expect(view.sourceNote).toMatch(/not available/);
    const html = render(failingResult(), CI);
    expect(html).toContain('<tr class="l-covered"><td class="num">1</td><td class="lst"><span class="st st-covered"><span aria-hidden="true">✔</span> covered</span></td><td class="src"><span class="muted">—</span></td></tr>');
  });

  it('survives a reader that throws and cuts huge MRs with a notice', () => {
    const html = render(hugeResult(), { ...CI, readSource: () => { throw new Error('EACCES'); } });
    expect(html).toMatch(/and [\d,]+ more (files|changed lines)/);
    expect(html.length).toBeLessThan(15_000_000);
  });
});

describe('HTML templates', () => {
  const dir = join(findTemplatesDir(), 'html');
  const templates = readdirSync(dir).filter((name) => name.endsWith('.hbs'));

  it('has the page and one partial per section', () => {
    expect(templates.sort()).toEqual(['changed-files.hbs', 'gates.hbs', 'index.hbs', 'indirect.hbs', 'mutants.hbs', 'performance.hbs', 'scenarios.hbs', 'summary.hbs', 'unresolved.hbs', 'waivers.hbs']);
  });

  it.each(templates)('%s never prints unescaped (no triple-stash) and calls only known helpers', (name) => {
    const allowed = new Set<string>(HTML_HELPERS);
    const offenders: string[] = [];
    class Check extends Handlebars.Visitor {
      override MustacheStatement(node: hbs.AST.MustacheStatement): void {
        const path = node.path as hbs.AST.PathExpression;
        if (!node.escaped) offenders.push(`unescaped {{{${path.original}}}} at line ${node.loc.start.line}`);
        if (node.params.length > 0 && !allowed.has(path.original)) offenders.push(`helper ${path.original} at line ${node.loc.start.line}`);
        super.MustacheStatement(node);
      }
    }
    const source = readFileSync(join(dir, name), 'utf8');
    new Check().accept(Handlebars.parse(source));
    expect(offenders).toEqual([]);
    // Values never land where HTML escaping is not enough: script, style, event handlers, unquoted attributes.
    expect(source).not.toMatch(/<script/i);
    expect(source).not.toMatch(/\son[a-z]+=/i);
    expect(source).not.toMatch(/=\{\{/);
    expect(source.replace(/<style>[\s\S]*?<\/style>/, '')).not.toMatch(/style="[^"]*\{\{/);
    // Links go through href.
    for (const match of source.matchAll(/href="\{\{([^}]*)\}\}"/g)) expect(match[1]).toMatch(/^href /);
  });
});
