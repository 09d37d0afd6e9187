import { describe, expect, it } from 'vitest';
import {
  buildSuffixIndex,
  createPathResolver,
  matchBySuffix,
  normalizeReportedPath,
} from '../../../src/inputs/coverage/resolve-paths.js';

const repo = {
  root: '/home/ci/checkout',
  files: new Set([
    'src/a.ts',
    'src/util/index.ts',
    'services/billing/src/invoice.ts',
    'services/billing/src/a.ts',
    'services/shipping/src/label.ts',
    'services/shipping/src/index.ts',
    'services/billing/src/index.ts',
    'py/inv/pricing.py',
    'docs/naïve café.md',
    'lib/My File.cs',
  ]),
};
const resolve = createPathResolver(repo);
const none = { reportDir: '', sourceRoots: [] as string[] };

describe('normalizeReportedPath', () => {
  it.each([
    ['./src/a.ts', 'src/a.ts'],
    ['src\\util\\index.ts', 'src/util/index.ts'],
    ['C:\\Users\\me\\proj\\src\\a.ts', 'C:/Users/me/proj/src/a.ts'],
    ['/builds/g/p/./src/../src/a.ts', '/builds/g/p/src/a.ts'],
    ['file:///builds/g/p/src/a.ts', '/builds/g/p/src/a.ts'],
    ['src/', 'src'],
    ['.', ''],
  ])('%s → %s', (input, expected) => {
    expect(normalizeReportedPath(input)).toBe(expected);
  });
});

describe('createPathResolver', () => {
  it('takes a repo-relative path as written', () => {
    expect(resolve('src/a.ts', none)).toEqual({ resolved: true, path: 'src/a.ts', via: 'repo' });
  });

  it('maps an absolute path inside the checkout to its repo path', () => {
    expect(resolve('/home/ci/checkout/src/util/index.ts', none)).toEqual({ resolved: true, path: 'src/util/index.ts', via: 'repo' });
  });

  it('maps another runner’s absolute path by suffix (GitLab /builds/group/project)', () => {
    expect(resolve('/builds/group/project/services/shipping/src/label.ts', none)).toEqual({
      resolved: true,
      path: 'services/shipping/src/label.ts',
      via: 'suffix',
    });
  });

  it('maps Windows absolute paths with spaces by suffix', () => {
    expect(resolve('C:\\Users\\Jane Doe\\work\\proj\\lib\\My File.cs', none)).toMatchObject({ resolved: true, path: 'lib/My File.cs' });
  });

  it('resolves against Cobertura sources, absolute ones from another machine included', () => {
    expect(resolve('inv/pricing.py', { reportDir: '', sourceRoots: ['/builds/demo/inventory/py'] })).toMatchObject({
      resolved: true,
      path: 'py/inv/pricing.py',
    });
    expect(resolve('inv/pricing.py', { reportDir: '', sourceRoots: ['--source', 'py'] })).toEqual({
      resolved: true,
      path: 'py/inv/pricing.py',
      via: 'source',
    });
  });

  it('prefers the report’s sub-package over a same-named file at the root', () => {
    // jest run inside services/billing writes src/a.ts; the repo also has a root src/a.ts.
    expect(resolve('src/a.ts', { reportDir: 'services/billing/coverage', sourceRoots: [] })).toEqual({
      resolved: true,
      path: 'services/billing/src/a.ts',
      via: 'report-dir',
    });
  });

  it('lets a configured root override everything else', () => {
    expect(resolve('src/index.ts', { reportDir: '', sourceRoots: [], root: 'services/shipping' })).toEqual({
      resolved: true,
      path: 'services/shipping/src/index.ts',
      via: 'root',
    });
  });

  it('reports a relative path that fits several sub-packages as ambiguous, with candidates', () => {
    const result = resolve('src/index.ts', { reportDir: null, sourceRoots: [] });
    expect(result).toMatchObject({ resolved: false, reason: 'ambiguous' });
    if (!result.resolved) {
      expect(result.candidates.sort()).toEqual(['services/billing/src/index.ts', 'services/shipping/src/index.ts']);
    }
  });

  it('resolves a relative path that is the suffix of exactly one file', () => {
    expect(resolve('src/invoice.ts', { reportDir: null, sourceRoots: [] })).toEqual({
      resolved: true,
      path: 'services/billing/src/invoice.ts',
      via: 'suffix',
    });
  });

  it('keeps paths that name no repository file unresolved', () => {
    expect(resolve('/usr/include/stdio.h', none)).toMatchObject({ resolved: false, reason: 'not-found' });
    expect(resolve('dist/<define:DATA>', none)).toMatchObject({ resolved: false, reason: 'not-found' });
    expect(resolve('', none)).toMatchObject({ resolved: false });
  });

  it('never lets ../ climb out of the repository', () => {
    expect(resolve('../../etc/passwd', { reportDir: 'services/billing', sourceRoots: [] })).toMatchObject({ resolved: false });
  });

  it('treats an absolute path inside the checkout that is not tracked as not found, not a suffix guess', () => {
    expect(resolve('/home/ci/checkout/build/src/a.ts', none)).toMatchObject({ resolved: false, reason: 'not-found' });
  });

  it('handles non-ASCII names', () => {
    expect(resolve('/builds/x/docs/naïve café.md', none)).toMatchObject({ resolved: true, path: 'docs/naïve café.md' });
  });
});

describe('matchBySuffix', () => {
  it('picks the longest tracked path that ends the reported one', () => {
    const index = buildSuffixIndex(['a.ts', 'x/y/a.ts', 'b.ts']);
    expect(matchBySuffix('/abs/x/y/a.ts', index)).toMatchObject({ resolved: true, path: 'x/y/a.ts' });
    expect(matchBySuffix('/builds/g/p/b.ts', index)).toMatchObject({ resolved: true, path: 'b.ts' });
  });

  it('does not resolve on a file name that several tracked files share', () => {
    const index = buildSuffixIndex(['index.js', 'src/index.js', 'packages/a/index.js']);
    for (const reported of ['/app/node_modules/foo/index.js', '/app/dist/index.js', 'build/generated/index.js']) {
      const result = matchBySuffix(reported, index);
      expect(result, reported).toMatchObject({ resolved: false, reason: 'ambiguous' });
      if (!result.resolved) expect(result.candidates.sort()).toEqual(['index.js', 'packages/a/index.js', 'src/index.js']);
    }
    expect(matchBySuffix('/builds/g/p/src/index.js', index)).toMatchObject({ resolved: true, path: 'src/index.js' });
  });

  it('costs time in the path’s segments, not the repository size', () => {
    const files = Array.from({ length: 50_000 }, (_, i) => `pkg${i % 500}/src/mod${i}/index.ts`);
    const index = buildSuffixIndex(files);
    expect(matchBySuffix('/builds/g/p/pkg7/src/mod4507/index.ts', index)).toMatchObject({ resolved: true, path: 'pkg7/src/mod4507/index.ts' });
    const ambiguous = matchBySuffix('index.ts', index);
    expect(ambiguous).toMatchObject({ resolved: false, reason: 'ambiguous' });
    if (!ambiguous.resolved) expect(ambiguous.candidates).toHaveLength(5);
  });
});
