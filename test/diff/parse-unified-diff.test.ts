import { describe, expect, it } from 'vitest';
import { QgateError } from '../../src/errors.js';
import { parseUnifiedDiff, unquoteC, type ParsedDiff } from '../../src/diff/parse-unified-diff.js';

async function* chunked(text: string, size: number): AsyncIterable<string> {
  for (let at = 0; at < text.length; at += size) yield text.slice(at, at + size);
}

function parse(text: string, size = 1 << 16): Promise<ParsedDiff> {
  return parseUnifiedDiff(chunked(text, size), 'change.diff');
}

/** Lines joined with LF (and a final LF), so the diffs below read like the real thing. */
function diff(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

async function failure(text: string): Promise<QgateError> {
  try {
    await parse(text);
  } catch (error) {
    if (error instanceof QgateError) return error;
    throw error;
  }
  throw new Error('expected DIFF_MALFORMED');
}

const modified = diff(
  'diff --git a/src/app.ts b/src/app.ts',
  'index 83db48f..bf269f4 100644',
  '--- a/src/app.ts',
  '+++ b/src/app.ts',
  '@@ -2,3 +2,4 @@ export function main() {',
  ' const a = 1;',
  '-const b = 2;',
  '+const b = 3;',
  '+const c = 4;',
  ' return a;',
  '@@ -10 +11,0 @@',
  '-gone();',
  '@@ -20,0 +21,2 @@',
  '+one();',
  '+two();',
);

describe('parseUnifiedDiff: hunk arithmetic', () => {
  it('counts only + lines from the new start, with context and with -U0 hunks', async () => {
    expect(await parse(modified)).toEqual({
      files: [{ path: 'src/app.ts', oldPath: null, status: 'modified', addedLines: [3, 4, 21, 22], binary: false }],
      deletedFiles: 0,
      // Line 3 replaces the deleted `const b = 2;`; 4, 21 and 22 are added outright.
      details: new Map([['src/app.ts', { modifiedLines: [3], waivers: [] }]]),
    });
  });

  it('pairs added with deleted lines per change block, and finds the waivers added lines hold', async () => {
    const text = diff(
      'diff --git a/src/a.ts b/src/a.ts',
      '--- a/src/a.ts',
      '+++ b/src/a.ts',
      '@@ -1,4 +1,5 @@',
      '-one();',
      '-two();',
      '+ONE();',
      '+/* c8 ignore next */',
      '+three();',
      ' keep();',
      '-four();',
      '+it.skip("later", () => {});',
    );
    expect((await parse(text)).details).toEqual(
      new Map([
        [
          'src/a.ts',
          {
            modifiedLines: [1, 2, 5],
            waivers: [
              { line: 2, kind: 'coverage-exclusion', marker: 'c8 ignore next' },
              { line: 5, kind: 'skipped-test', marker: 'it.skip(' },
            ],
          },
        ],
      ]),
    );
  });

  it('gives the same result whatever the chunk size', async () => {
    for (const size of [1, 2, 3, 7, 64]) {
      expect((await parse(modified, size)).files[0]?.addedLines).toEqual([3, 4, 21, 22]);
    }
  });

  it('reads a CRLF diff file, and a \\r at the end of content lines changes nothing', async () => {
    const crlf = modified.replace(/\n/g, '\r\n');
    expect((await parse(crlf)).files).toEqual((await parse(modified)).files);
    const crContent = diff('--- a/w.txt', '+++ b/w.txt', '@@ -1,2 +1,2 @@', ' one\r', '-two\r', '+TWO\r');
    expect((await parse(crContent)).files[0]?.addedLines).toEqual([2]);
  });

  it('accepts an empty context line whose leading space was stripped', async () => {
    const text = diff('--- a/x', '+++ b/x', '@@ -1,3 +1,3 @@', ' a', '', '-c', '+C');
    expect((await parse(text)).files[0]?.addedLines).toEqual([3]);
  });

  it('counts whitespace-only edits', async () => {
    const text = diff('--- a/x.py', '+++ b/x.py', '@@ -4 +4 @@', '-  return 1', '+    return 1');
    expect((await parse(text)).files[0]?.addedLines).toEqual([4]);
  });

  it('does not count a last line whose only change is the newline added at its end', async () => {
    const text = diff(
      'diff --git a/x.txt b/x.txt',
      '--- a/x.txt',
      '+++ b/x.txt',
      '@@ -2 +2,2 @@',
      '-last',
      '\\ No newline at end of file',
      '+last',
      '+more',
      '\\ No newline at end of file',
    );
    expect((await parse(text)).files[0]?.addedLines).toEqual([3]);
  });

  it('does not count a last line whose only change is the newline removed from its end', async () => {
    const text = diff('--- a/x.txt', '+++ b/x.txt', '@@ -3 +3 @@', '-last', '+last', '\\ No newline at end of file');
    expect((await parse(text)).files[0]).toMatchObject({ addedLines: [] });
  });

  it('counts a changed last line without newline', async () => {
    const text = diff('--- a/x.txt', '+++ b/x.txt', '@@ -3 +3 @@', '-last', '\\ No newline at end of file', '+LAST', '\\ No newline at end of file');
    expect((await parse(text)).files[0]?.addedLines).toEqual([3]);
  });

  it('handles a file that becomes empty and one that was empty', async () => {
    const text = diff(
      'diff --git a/e b/e',
      '--- a/e',
      '+++ b/e',
      '@@ -1,2 +0,0 @@',
      '-x',
      '-y',
      'diff --git a/f b/f',
      '--- a/f',
      '+++ b/f',
      '@@ -0,0 +1 @@',
      '+z',
    );
    const { files } = await parse(text);
    expect(files.map((file) => [file.path, file.addedLines])).toEqual([
      ['e', []],
      ['f', [1]],
    ]);
  });

  it('is linear: 300k added lines over 20k files', async () => {
    const parts: string[] = [];
    for (let file = 0; file < 20_000; file += 1) {
      parts.push(`diff --git a/pkg/f${file}.ts b/pkg/f${file}.ts\nindex 1111111..2222222 100644\n--- a/pkg/f${file}.ts\n+++ b/pkg/f${file}.ts\n`);
      parts.push('@@ -1,0 +1,15 @@\n' + '+line\n'.repeat(15));
    }
    const text = parts.join('');
    const started = performance.now();
    const result = await parse(text);
    const elapsed = performance.now() - started;
    expect(result.files).toHaveLength(20_000);
    expect(result.files.reduce((sum, file) => sum + file.addedLines.length, 0)).toBe(300_000);
    expect(elapsed).toBeLessThan(5_000);
  });
});

describe('parseUnifiedDiff: git headers', () => {
  it('lists a pure rename with no lines and a rename with edits with only its + lines', async () => {
    const text = diff(
      'diff --git a/old.ts b/new.ts',
      'similarity index 100%',
      'rename from old.ts',
      'rename to new.ts',
      'diff --git a/lib/a.ts b/src/a.ts',
      'similarity index 90%',
      'rename from lib/a.ts',
      'rename to src/a.ts',
      'index 1..2 100644',
      '--- a/lib/a.ts',
      '+++ b/src/a.ts',
      '@@ -3 +3 @@',
      '-x',
      '+y',
      '@@ -7,0 +8 @@',
      '+z',
    );
    expect((await parse(text)).files).toEqual([
      { path: 'new.ts', oldPath: 'old.ts', status: 'renamed', addedLines: [], binary: false },
      { path: 'src/a.ts', oldPath: 'lib/a.ts', status: 'renamed', addedLines: [3, 8], binary: false },
    ]);
  });

  it('lists copies with their + lines', async () => {
    const text = diff(
      'diff --git a/a.ts b/b.ts',
      'similarity index 80%',
      'copy from a.ts',
      'copy to b.ts',
      '--- a/a.ts',
      '+++ b/b.ts',
      '@@ -1 +1 @@',
      '-a',
      '+b',
    );
    expect((await parse(text)).files).toEqual([{ path: 'b.ts', oldPath: 'a.ts', status: 'copied', addedLines: [1], binary: false }]);
  });

  it('counts deleted files without listing them, lists added and empty files, drops mode-only changes', async () => {
    const text = diff(
      'diff --git a/gone.ts b/gone.ts',
      'deleted file mode 100644',
      'index 1..0',
      '--- a/gone.ts',
      '+++ /dev/null',
      '@@ -1,2 +0,0 @@',
      '-a',
      '-b',
      'diff --git a/gone-empty b/gone-empty',
      'deleted file mode 100644',
      'index e69de29..0000000',
      'diff --git a/new.ts b/new.ts',
      'new file mode 100644',
      'index 0..1',
      '--- /dev/null',
      '+++ b/new.ts',
      '@@ -0,0 +1,2 @@',
      '+a',
      '+b',
      'diff --git a/empty file.txt b/empty file.txt',
      'new file mode 100644',
      'index 0000000..e69de29',
      'diff --git a/run.sh b/run.sh',
      'old mode 100644',
      'new mode 100755',
    );
    expect(await parse(text)).toEqual({
      files: [
        { path: 'new.ts', oldPath: null, status: 'added', addedLines: [1, 2], binary: false },
        { path: 'empty file.txt', oldPath: null, status: 'added', addedLines: [], binary: false },
      ],
      deletedFiles: 2,
    });
  });

  it('marks binary files (both git forms) and symlinks as binary with no lines', async () => {
    const text = diff(
      'diff --git a/img.png b/img.png',
      'index 1..2 100644',
      'Binary files a/img.png and b/img.png differ',
      'diff --git a/font.woff b/font.woff',
      'new file mode 100644',
      'index 0000000000000000000000000000000000000000..4a3f1d0c3d1b2a0e9f8c7b6a5d4e3f2a1b0c9d8e',
      'GIT binary patch',
      'literal 12',
      'zcmZ?wbhEHbRA3NcU|?Wi_{+e+z{nuZ00A9l',
      '',
      'literal 0',
      'HcmV?d00001',
      '',
      'diff --git a/link b/link',
      'new file mode 120000',
      'index 0000000..e69de29',
      '--- /dev/null',
      '+++ b/link',
      '@@ -0,0 +1 @@',
      '+target.txt',
      '\\ No newline at end of file',
      'diff --git a/vendor/lib b/vendor/lib',
      'index 1234567..89abcde 160000',
      '--- a/vendor/lib',
      '+++ b/vendor/lib',
      '@@ -1 +1 @@',
      '-Subproject commit 1234567',
      '+Subproject commit 89abcde',
    );
    expect((await parse(text)).files).toEqual([
      { path: 'img.png', oldPath: null, status: 'modified', addedLines: [], binary: true },
      { path: 'font.woff', oldPath: null, status: 'added', addedLines: [], binary: true },
      { path: 'link', oldPath: null, status: 'added', addedLines: [], binary: true },
      { path: 'vendor/lib', oldPath: null, status: 'modified', addedLines: [], binary: true },
    ]);
  });

  it('decodes C-quoted names: octal UTF-8 bytes, escaped quotes and tabs', async () => {
    const text = diff(
      'diff --git "a/caf\\303\\251/na\\303\\257ve \\"x\\"\\t.txt" "b/caf\\303\\251/na\\303\\257ve \\"x\\"\\t.txt"',
      'index 1..2 100644',
      '--- "a/caf\\303\\251/na\\303\\257ve \\"x\\"\\t.txt"',
      '+++ "b/caf\\303\\251/na\\303\\257ve \\"x\\"\\t.txt"',
      '@@ -1 +1 @@',
      '-a',
      '+b',
      'diff --git "a/\\346\\227\\245\\346\\234\\254\\350\\252\\236.py" "b/\\346\\227\\245\\346\\234\\254\\350\\252\\236.py"',
      'new file mode 100644',
      'index 0000000..e69de29',
      'diff --git a/plain.ts "b/\\360\\237\\230\\200.ts"',
      'similarity index 100%',
      'rename from plain.ts',
      'rename to "\\360\\237\\230\\200.ts"',
    );
    expect((await parse(text)).files.map((file) => [file.path, file.oldPath, file.addedLines])).toEqual([
      ['café/naïve "x"\t.txt', null, [1]],
      ['日本語.py', null, []],
      ['😀.ts', 'plain.ts', []],
    ]);
  });

  it('takes names with spaces and " b/" inside from ---/+++ (git adds a TAB after such names)', async () => {
    const text = diff(
      'diff --git a/x b/y b/x b/y',
      'index 1..2 100644',
      '--- a/x b/y\t',
      '+++ b/x b/y\t',
      '@@ -1 +1 @@',
      '-a',
      '+b',
      'diff --git a/dir b/new file.ts b/dir b/new file.ts',
      'new file mode 100644',
      'index 0000000..e69de29',
      'diff --git a/with space.ts b/with space.ts',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/with space.ts\t',
      '@@ -0,0 +1 @@',
      '+x',
    );
    expect((await parse(text)).files.map((file) => file.path)).toEqual(['x b/y', 'dir b/new file.ts', 'with space.ts']);
  });

  it('strips only the prefixes the header shows: none, mnemonic, and a folder named a/', async () => {
    const noPrefix = diff('diff --git src/a.ts src/a.ts', 'index 1..2 100644', '--- src/a.ts', '+++ src/a.ts', '@@ -1 +1 @@', '-a', '+b');
    expect((await parse(noPrefix)).files[0]?.path).toBe('src/a.ts');
    const folderA = diff('diff --git a/b.ts a/b.ts', 'new file mode 100644', '--- /dev/null', '+++ a/b.ts', '@@ -0,0 +1 @@', '+x');
    expect((await parse(folderA)).files[0]?.path).toBe('a/b.ts');
    const mnemonic = diff('diff --git c/src/a.ts w/src/a.ts', 'index 1..2 100644', '--- c/src/a.ts', '+++ w/src/a.ts', '@@ -1 +1 @@', '-a', '+b');
    expect((await parse(mnemonic)).files[0]?.path).toBe('src/a.ts');
    const nested = diff('diff --git a/a/x.ts b/a/x.ts', 'deleted file mode 100644', 'index e69de29..0000000');
    expect(await parse(nested)).toEqual({ files: [], deletedFiles: 1 });
  });

  it('reads git format-patch mail and composes a series patch by patch', async () => {
    const mail = (n: number, body: string[]): string[] => [
      `From ${String(n).repeat(40)} Mon Sep 17 00:00:00 2001`,
      'From: Dev <dev@example.com>',
      `Subject: [PATCH ${n}/2] step ${n}`,
      '',
      'Message text --- with dashes',
      '---',
      ' a.ts | 2 +-',
      ' 1 file changed',
      '',
      ...body,
      '-- ',
      '2.39.5',
      '',
    ];
    const text = diff(
      ...mail(1, [
        'diff --git a/a.ts b/a.ts',
        'index 1..2 100644',
        '--- a/a.ts',
        '+++ b/a.ts',
        '@@ -5 +5,2 @@',
        '-old',
        '+new5',
        '+new6',
      ]),
      ...mail(2, [
        'diff --git a/a.ts b/lib/a.ts',
        'similarity index 90%',
        'rename from a.ts',
        'rename to lib/a.ts',
        '--- a/a.ts',
        '+++ b/lib/a.ts',
        '@@ -2,0 +3 @@',
        '+inserted',
        '@@ -6 +7 @@',
        '-new6',
        '+changed6',
      ]),
    );
    // Patch 1 added 5 and 6; patch 2 inserts line 3 (moving them to 6 and 7) and rewrites 7.
    expect((await parse(text)).files).toEqual([
      { path: 'lib/a.ts', oldPath: 'a.ts', status: 'renamed', addedLines: [3, 6, 7], binary: false },
    ]);
  });
});

describe('parseUnifiedDiff: diff -u / diff -ruN output', () => {
  it('reads names with timestamps, strips the folder prefixes, and reads -N additions and deletions', async () => {
    const text = diff(
      'Only in a: stale.txt',
      'diff -ruN a/src/x.ts b/src/x.ts',
      '--- a/src/x.ts\t2024-01-01 10:00:00.000000000 +0100',
      '+++ b/src/x.ts\t2024-01-02 10:00:00.000000000 +0100',
      '@@ -1,2 +1,2 @@',
      ' keep',
      '-old',
      '+new',
      'diff -ruN a/src/new.ts b/src/new.ts',
      '--- a/src/new.ts\t1970-01-01 01:00:00.000000000 +0100',
      '+++ b/src/new.ts\t2024-01-02 10:00:00.000000000 +0100',
      '@@ -0,0 +1 @@',
      '+x',
      'diff -ruN a/src/gone.ts b/src/gone.ts',
      '--- a/src/gone.ts\t2024-01-01 10:00:00.000000000 +0100',
      '+++ b/src/gone.ts\t1969-12-31 19:00:00.000000000 -0500',
      '@@ -1 +0,0 @@',
      '-x',
      'Binary files a/img.png and b/img.png differ',
      'diff -ruN "a/caf\\303\\251.txt" "b/caf\\303\\251.txt"',
      '--- "a/caf\\303\\251.txt"\t2024-01-01 10:00:00.000000000 +0000',
      '+++ "b/caf\\303\\251.txt"\t2024-01-01 10:00:00.000000000 +0000',
      '@@ -1 +1 @@',
      '-x',
      '+y',
    );
    expect(await parse(text)).toEqual({
      files: [
        { path: 'src/x.ts', oldPath: null, status: 'modified', addedLines: [2], binary: false },
        { path: 'src/new.ts', oldPath: null, status: 'added', addedLines: [1], binary: false },
        { path: 'img.png', oldPath: null, status: 'modified', addedLines: [], binary: true },
        { path: 'café.txt', oldPath: null, status: 'modified', addedLines: [1], binary: false },
      ],
      deletedFiles: 1,
      details: new Map([
        ['src/x.ts', { modifiedLines: [2], waivers: [] }],
        ['café.txt', { modifiedLines: [1], waivers: [] }],
      ]),
    });
  });

  it('keeps a single-file diff -u name when the two names have nothing in common', async () => {
    const text = diff('--- src/x.ts.orig', '+++ src/x.ts', '@@ -1 +1 @@', '-a', '+b');
    expect((await parse(text)).files[0]?.path).toBe('src/x.ts');
  });

  it('strips b/ from a lone +++ name after --- /dev/null', async () => {
    const text = diff('--- /dev/null', '+++ b/docs/new.md', '@@ -0,0 +1,2 @@', '+a', '+b');
    expect((await parse(text)).files).toEqual([
      { path: 'docs/new.md', oldPath: null, status: 'added', addedLines: [1, 2], binary: false },
    ]);
  });

  it('treats a deleted line that reads "-- x" as content, not as a new header', async () => {
    const text = diff('--- a/x.sql', '+++ b/x.sql', '@@ -1,2 +1,1 @@', '--- comment', ' select 1;', '--- a/y', '+++ b/y', '@@ -1 +1 @@', '-a', '+b');
    expect((await parse(text)).files.map((file) => [file.path, file.addedLines])).toEqual([
      ['x.sql', []],
      ['y', [1]],
    ]);
  });
});

describe('parseUnifiedDiff: bad input', () => {
  it('returns nothing for an empty diff', async () => {
    expect(await parse('')).toEqual({ files: [], deletedFiles: 0 });
    expect(await parse('\n\n')).toEqual({ files: [], deletedFiles: 0 });
  });

  it.each([
    ['not a diff at all', 'hello\nworld\n', 1, /not a unified diff/],
    ['a JSON file', '{"files": []}\n', 1, /not a unified diff/],
    ['a hunk header that does not parse', diff('--- a/x', '+++ b/x', '@@ -1,2 +1 @', '+a'), 3, /cannot be read/],
    ['a git hunk header that does not parse', diff('diff --git a/x b/x', '--- a/x', '+++ b/x', '@@ -a +1 @@'), 4, /cannot be read/],
    ['too many added lines', diff('--- a/x', '+++ b/x', '@@ -1 +1 @@', '-a', '+b', '+c'), 6, /more added lines/],
    ['too many context lines', diff('--- a/x', '+++ b/x', '@@ -1 +1,2 @@', ' a', '+b', ' c'), 6, /more context lines/],
    ['too many deleted lines', diff('--- a/x', '+++ b/x', '@@ -1 +1 @@', '-a', '+b', '-c'), 6, /more deleted lines/],
    ['a hunk cut short by the next file', diff('diff --git a/x b/x', '--- a/x', '+++ b/x', '@@ -1,3 +1,3 @@', ' a', 'diff --git a/y b/y'), 6, /ends early/],
    ['a truncated diff', diff('--- a/x', '+++ b/x', '@@ -1,3 +1,3 @@', ' a', '-b'), 5, /truncated/],
    ['a hunk before any header', diff('@@ -1 +1 @@', '-a', '+b'), 1, /before any file header/],
    ['a combined diff', diff('diff --cc merged.ts', 'index 1,2..3', '@@@ -1,1 -1,1 +1,1 @@@'), 1, /combined diff/],
    ['hunks out of order', diff('--- a/x', '+++ b/x', '@@ -5 +5 @@', '-a', '+b', '@@ -3 +3 @@', '-c', '+d'), 6, /previous hunk/],
    ['a range starting at line 0', diff('--- a/x', '+++ b/x', '@@ -0,1 +0,1 @@', '-a', '+b'), 3, /line 0/],
    ['a bad quoted name', diff('diff --git "a/x\\9" "b/x\\9"', '--- "a/x\\9"'), 2, /quoted file name/],
  ])('%s → DIFF_MALFORMED at the right line', async (_name, text, line, message) => {
    const error = await failure(text);
    expect(error.code).toBe('DIFF_MALFORMED');
    expect(error.file).toBe('change.diff');
    expect(error.position).toEqual({ line });
    expect(error.message).toMatch(message);
  });
});

describe('unquoteC', () => {
  it('decodes escapes and multi-byte sequences, and rejects bad escapes', () => {
    expect(unquoteC('"a\\tb\\\\c\\"d\\303\\251"', 0)).toEqual({ value: 'a\tb\\c"dé', end: 20 });
    expect(unquoteC('"caf\u00e9"', 0)?.value).toBe('café');
    expect(unquoteC('"x\\q"', 0)).toBeNull();
    expect(unquoteC('"unterminated', 0)).toBeNull();
  });
});
