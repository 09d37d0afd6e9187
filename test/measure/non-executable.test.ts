import { describe, expect, it } from 'vitest';
import { nonExecutableLines, onlyNonExecutable } from '../../src/measure/non-executable.js';

const HEADER = [
  '#ifndef STOCK_H', // 1
  '#define STOCK_H', // 2
  '', // 3
  '/* Limits of the', // 4
  ' * warehouse. */', // 5
  '#define MAX_ITEMS 100 // per shelf', // 6
  '#define CLAMP(x) \\', // 7
  '  ((x) > MAX_ITEMS ? MAX_ITEMS : (x))', // 8
  'int restock(int count);', // 9
  'static inline int twice(int x) { return 2 * x; }', // 10
  '#endif', // 11
].join('\n');

describe('nonExecutableLines', () => {
  it('marks directives with their continuations, comments and blank lines of a C header, and nothing else', () => {
    const flags = nonExecutableLines('include/stock.h', HEADER);
    expect(flags.map((flag, index) => (flag ? index + 1 : 0)).filter(Boolean)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 11]);
  });

  it('knows comment syntax per language and only blank lines for an unknown one', () => {
    expect(nonExecutableLines('a.ts', '// x\nconst a = 1; // y\n/* z */\n  \n/** doc\n * more\n */\nf();')).toEqual([true, false, true, true, true, true, true, false]);
    expect(nonExecutableLines('a.py', '# x\nx = 1  # y\n\n')).toEqual([true, false, true, true]);
    expect(nonExecutableLines('a.cobol', '* x\n\nMOVE A TO B.')).toEqual([false, true, false]);
    // `#` is a directive only in the C family.
    expect(nonExecutableLines('a.ts', '#!/usr/bin/env node\n')).toEqual([false, true]);
  });

  it('stops trusting a file at a line that starts with a string, which could hold comment markers', () => {
    const text = ['"/* not a comment";', 'run();', '// later comment'].join('\n');
    expect(nonExecutableLines('a.js', text)).toEqual([false, false, false]);
    // A code line with a string is code, and the scan goes on.
    expect(nonExecutableLines('a.js', 'log("x"); \n// c')).toEqual([false, true]);
    // Code after a closed block comment is code.
    expect(nonExecutableLines('a.c', '/* a */ run();\n/* b */')).toEqual([false, true]);
  });
});

describe('onlyNonExecutable', () => {
  it('is true only when every changed line is non-executable', () => {
    expect(onlyNonExecutable('include/stock.h', HEADER, [6, 7, 8])).toBe(true);
    expect(onlyNonExecutable('include/stock.h', HEADER, [6, 9])).toBe(false);
    expect(onlyNonExecutable('include/stock.h', HEADER, [10])).toBe(false);
    expect(onlyNonExecutable('include/stock.h', HEADER, [])).toBe(false);
    // A line past the end (a stale checkout) is not known to be non-executable.
    expect(onlyNonExecutable('include/stock.h', HEADER, [40])).toBe(false);
  });
});
