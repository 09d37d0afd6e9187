/** Path helpers shared by the steps of `qgate check`. */
import { sep } from 'node:path';
import { relativeInside } from '../path-inside.js';

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** `path` relative to the repository root when inside it (as messages should show it), else absolute. */
export function fromRoot(repoRoot: string, path: string): string {
  const inside = relativeInside(repoRoot, path);
  return inside === null || inside === '' ? path : inside;
}
