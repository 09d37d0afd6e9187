/**
 * Repository-local references only: no source, test, script or doc points at the design notes
 * outside the repository (`../shared/`, PRODUCT.md, STYLE.md), and every `docs/*.md` a source,
 * script or doc names exists (tests and benchmarks use such paths as data, and URLs name other projects' docs),
 * so a reader of the repository alone can follow every pointer.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const FOLDERS = ['src', 'test', 'scripts', 'docs'];
const TEXT = /\.(ts|mts|js|mjs|cjs|sh|md|yml|yaml)$/;

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (TEXT.test(name)) out.push(path);
  }
  return out;
}

const files = [...FOLDERS.flatMap((folder) => walk(join(ROOT, folder), [])), ...readdirSync(ROOT).filter((name) => name.endsWith('.md')).map((name) => join(ROOT, name))];
const SELF = relative(ROOT, new URL(import.meta.url).pathname);

describe('references in comments and docs', () => {
  it('never point outside the repository', () => {
    const outside = /\.\.\/shared\b|\bPRODUCT\.md\b|\bSTYLE\.md\b/;
    const offenders = files.map((path) => relative(ROOT, path)).filter((path) => path !== SELF && outside.test(readFileSync(join(ROOT, path), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('name only docs files that exist', () => {
    const missing: string[] = [];
    // Tests and benchmarks build synthetic repositories, so their docs/ paths are data.
    for (const path of files.filter((file) => !/^(test\/|scripts\/bench-)/.test(relative(ROOT, file)))) {
      for (const match of readFileSync(path, 'utf8').matchAll(/(?<![\w/.-])docs\/[\w./-]+?\.md\b/g)) {
        if (!existsSync(join(ROOT, match[0]))) missing.push(`${relative(ROOT, path)}: ${match[0]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
