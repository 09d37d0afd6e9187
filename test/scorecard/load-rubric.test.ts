import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRubric } from '../../src/scorecard/load-rubric.js';
import { csvCell } from '../../src/scorecard/render-csv.js';

function problems(text: string): string {
  try {
    parseRubric(text, 'rubric.yml');
  } catch (error) {
    return `${(error as { code: string }).code}: ${(error as Error).message}`;
  }
  throw new Error('expected the rubric to be refused');
}

describe('scorecard rubric', () => {
  it('loads the shipped gates/scorecard.yml with its defaults', () => {
    const rubric = parseRubric(readFileSync(join(process.cwd(), 'gates', 'scorecard.yml'), 'utf8'), 'gates/scorecard.yml');
    expect(rubric.levels.map((level) => level.id)).toEqual(['bronze', 'silver', 'gold']);
    expect(rubric.source).toEqual({ job: 'qgate', artifactPath: 'qgate-report/result.json', pipelines: 20, mergeRequests: 20 });
    expect(rubric.levels.flatMap((level) => level.checks).every((check) => check.rationale.length > 10)).toBe(true);
  });

  it('reports every problem at once with file:line:col and a did-you-mean', () => {
    const text = [
      'trend:',
      '  result: 5',
      'levels:',
      '  - id: bronze',
      '    checks:',
      '      - id: cov',
      '        type: overall_coverag',
      '        min: 120',
      '        rationale: x',
      '      - id: readme',
      '        type: readme',
      '        rationale: docs',
      '        minFiles: 2',
    ].join('\n');
    expect(problems(text)).toBe(
      [
        'RUBRIC_INVALID: The scorecard rubric has 3 problems:',
        '  rubric.yml:2:3: trend.result: unknown key; did you mean `results`?',
        '  rubric.yml:7:9: levels[0].checks[0].type: must be one of `qgate_runs`, `new_code_gate`, `overall_coverage`, `e2e`, `performance`, `mutation`, `readme`, `adr`, `codeowners`, `protected_branch`, `branch_naming`, `release_cadence`, `pipeline_health`, `deployments`, `feature_flags`, `readme_fresh`, `monitoring`; got the text "overall_coverag"; did you mean `overall_coverage`?',
        '  rubric.yml:8:9: levels[0].checks[0].min: must be at most 100; got the number 120.',
      ].join('\n'),
    );
  });

  it('checks the bars each check type takes and that ids are unique', () => {
    const text = [
      'levels:',
      '  - id: bronze',
      '    checks:',
      '      - { id: readme, type: readme, rationale: docs, minFiles: 2 }',
      '      - { id: readme, type: overall_coverage, rationale: tests }',
      '  - id: bronze',
      '    checks: [{ id: owners, type: codeowners, rationale: reviews }]',
    ].join('\n');
    const message = problems(text);
    expect(message).toContain('rubric.yml:4:54: levels[0].checks[0].minFiles: does not apply to a check of type `readme`, which takes `minBytes`.');
    expect(message).toContain('levels[0].checks[0].type: a check of type `readme` needs `minBytes`.');
    expect(message).toContain('levels[0].checks[1].id: `readme` is already a check id (at levels[0].checks[0]); check ids must be unique across levels, they name the CSV columns.');
    expect(message).toContain('levels[0].checks[1].type: a check of type `overall_coverage` needs `min`.');
    expect(message).toContain('rubric.yml:6:5: levels[1].id: `bronze` is already the id of levels[0]; level ids must be unique.');
  });

  it('refuses broken YAML and an empty level list', () => {
    expect(problems('levels: [\n')).toMatch(/^RUBRIC_YAML: is not valid YAML/);
    expect(problems('levels: []\n')).toBe('RUBRIC_INVALID: The scorecard rubric has 1 problem:\n  rubric.yml:1:1: levels: must not be an empty list.');
    expect(problems('{}\n')).toContain('levels: is required here.');
  });
});

describe('CSV cells', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1+1', "'=1+1"],
    ['+SUM(A1)', "'+SUM(A1)"],
    ['-2', "'-2"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['=HYPERLINK("u","x")', '"\'=HYPERLINK(""u"",""x"")"'],
  ])('%j → %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});
