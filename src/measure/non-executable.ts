/**
 * Lines no compiler or interpreter turns into code: blank lines, comments, and (C family)
 * preprocessor directives with their `\` continuations. A changed source file that no coverage
 * report mentions is "unmeasured" only when one of its changed lines could have been executed;
 * a header whose change is `#define` lines, or a comment-only edit, has nothing to measure.
 *
 * Conservative by construction: a line counts as non-executable only when it is certainly one.
 * A quote before anything else on a line could open a string holding comment markers, so the
 * scan stops trusting the file there (every later line counts as executable). A language it does
 * not know gets blank lines only.
 */
import { extname } from 'node:path';

type Syntax = 'c' | 'c-like' | 'hash';

const SYNTAX: Record<string, Syntax> = {};
for (const ext of ['c', 'h', 'cc', 'cpp', 'cxx', 'c++', 'hh', 'hpp', 'hxx', 'h++', 'inl', 'ipp', 'tcc', 'cu', 'cuh', 'm', 'mm', 'ino']) SYNTAX[ext] = 'c';
for (const ext of ['js', 'jsx', 'mjs', 'cjs', 'ts', 'tsx', 'mts', 'cts', 'java', 'kt', 'kts', 'scala', 'groovy', 'go', 'cs', 'rs', 'swift', 'dart', 'php']) SYNTAX[ext] = 'c-like';
for (const ext of ['py', 'pyi', 'rb', 'sh', 'bash', 'pl', 'pm', 'r', 'ex', 'exs']) SYNTAX[ext] = 'hash';

/**
 * Per line of `text` (index 0 = line 1): true when the line is certainly not executable. For a
 * language it does not know, only blank lines; from a line it cannot classify safely on, none.
 */
export function nonExecutableLines(path: string, text: string): boolean[] {
  const syntax = SYNTAX[extname(path).slice(1).toLowerCase()];
  const lines = text.split(/\r\n|\n|\r/);
  if (syntax === undefined) return lines.map((line) => line.trim() === '');
  const out: boolean[] = new Array<boolean>(lines.length).fill(false);
  let inBlock = false;
  let inDirective = false;
  for (let index = 0; index < lines.length; index += 1) {
    const raw = lines[index] as string;
    const line = raw.trim();
    if (syntax === 'hash') {
      out[index] = line === '' || line.startsWith('#');
      continue;
    }
    if (inDirective) {
      out[index] = true;
      inDirective = line.endsWith('\\');
      continue;
    }
    if (syntax === 'c' && !inBlock && line.startsWith('#')) {
      out[index] = true;
      inDirective = line.endsWith('\\');
      continue;
    }
    const scanned = commentOnly(line, inBlock);
    if (scanned === null) return out.map((value, at) => at < index && value);
    out[index] = scanned.commentOnly;
    inBlock = scanned.inBlock;
  }
  return out;
}

/**
 * Whether `line` (trimmed) is blank or only comment, and whether a block comment is still open
 * at its end; null when a quote appears outside a comment before the line is classified (a
 * string could hold comment markers, so the rest of the file is not trusted).
 */
function commentOnly(line: string, inBlock: boolean): { commentOnly: boolean; inBlock: boolean } | null {
  let at = 0;
  let open = inBlock;
  let code = false;
  while (at < line.length) {
    if (open) {
      const end = line.indexOf('*/', at);
      if (end === -1) return { commentOnly: !code, inBlock: true };
      open = false;
      at = end + 2;
      continue;
    }
    const rest = line.slice(at);
    if (rest.startsWith('//')) return { commentOnly: !code, inBlock: false };
    if (rest.startsWith('/*')) {
      open = true;
      at += 2;
      continue;
    }
    const char = line[at] as string;
    if (char === '"' || char === "'" || char === '`') return code ? { commentOnly: false, inBlock: false } : null;
    if (char !== ' ' && char !== '\t') code = true;
    at += 1;
  }
  return { commentOnly: !code, inBlock: open };
}

/** True when every one of `added` (1-based line numbers) is certainly non-executable in `text`. */
export function onlyNonExecutable(path: string, text: string, added: readonly number[]): boolean {
  if (added.length === 0) return false;
  const flags = nonExecutableLines(path, text);
  return added.every((line) => flags[line - 1] === true);
}
