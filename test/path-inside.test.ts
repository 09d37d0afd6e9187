import { describe, expect, it } from 'vitest';
import { relativeInside } from '../src/path-inside.js';

describe('relativeInside', () => {
  it('gives the relative path inside the root, and null outside it', () => {
    expect(relativeInside('/repo', '/repo/src/a.ts')).toBe('src/a.ts');
    expect(relativeInside('/repo', '/repo')).toBe('');
    expect(relativeInside('/repo', '/other/a.ts')).toBeNull();
    expect(relativeInside('/repo', '/repo/../etc/passwd')).toBeNull();
    expect(relativeInside('/repo/sub', '/repo')).toBeNull();
  });

  it('compares whole segments: a folder whose name starts with .. is inside', () => {
    expect(relativeInside('/repo', '/repo/..cache/x')).toBe('..cache/x');
    expect(relativeInside('/repo', '/repository/x')).toBeNull();
  });
});
