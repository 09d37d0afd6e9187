import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QGATE_VERSION } from '../src/run.js';

describe('the version constant', () => {
  it('is package.json\'s version (scripts/write-version.mjs regenerates src/version.ts on build)', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(QGATE_VERSION).toBe(pkg.version);
  });
});
