/**
 * What the build generates ahead of time must behave as what it replaces: the precompiled
 * templates (scripts/build-templates.mjs) render exactly the text the run-time compile renders,
 * and the standalone config validators (scripts/build-validators.mjs) report exactly the errors
 * ajv's run-time compile reports. dist/ is built by `npm run test:e2e` / `test:all` first.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderComment as renderFromSource } from '../../src/render/comment.js';
import { buildViewModel } from '../../src/render/view-model.js';
import { renderHtmlReport as renderHtmlFromSource } from '../../src/render/html-report.js';
import { loadConfigValidators } from '../../src/config/load-config.js';
import { failingResult, hostileResult, noEvidenceResult, passingResult } from '../render/result-fixtures.js';

const DIST = join(process.cwd(), 'dist');

describe('the build’s generated modules', () => {
  it('are there', () => {
    expect(existsSync(join(DIST, 'render', 'templates.generated.js'))).toBe(true);
    expect(existsSync(join(DIST, 'config', 'config-validators.generated.js'))).toBe(true);
  });

  it('precompiled templates render what the run-time compile renders', async () => {
    const built = (await import(join(DIST, 'render', 'comment.js'))) as { renderComment: typeof renderFromSource };
    const builtHtml = (await import(join(DIST, 'render', 'html-report.js'))) as { renderHtmlReport: typeof renderHtmlFromSource };
    const builtView = (await import(join(DIST, 'render', 'view-model.js'))) as { buildViewModel: typeof buildViewModel };
    for (const result of [failingResult(), passingResult(), noEvidenceResult(), hostileResult()]) {
      const context = { projectUrl: 'https://gitlab.example.com/acme/x', commitSha: 'c'.repeat(40), reportUrl: null };
      expect(built.renderComment(builtView.buildViewModel(result, context))).toBe(renderFromSource(buildViewModel(result, context)));
      expect(builtHtml.renderHtmlReport(result, context)).toBe(renderHtmlFromSource(result, context));
    }
  });

  it('standalone config validators report what ajv compiled at run time reports', async () => {
    const generated = (await import(join(DIST, 'config', 'config-validators.generated.js'))) as Awaited<ReturnType<typeof loadConfigValidators>>;
    const compiled = await loadConfigValidators(false);
    const samples: unknown[] = [
      {},
      { gates: { new_code_coverage: { min: 80 } } },
      { gates: { new_code_coverage: { min: 180, lines: 'some', maxNewExclusions: -1 } } },
      { coverage: { expect: 'parallel' } },
      { coverage: { expect: [] } },
      { coverage: { reports: [{ path: '' }], sources: 'src/**' } },
      { gatez: {} },
      { gitlab: { comment: { enabled: 'yes' } } },
      [],
      'text',
    ];
    for (const sample of samples) {
      for (const kind of ['file', 'complete'] as const) {
        const a = generated[kind](sample);
        const b = compiled[kind](sample);
        expect(a, JSON.stringify(sample)).toBe(b);
        expect(generated[kind].errors ?? null).toEqual(compiled[kind].errors ?? null);
      }
    }
  });
});
