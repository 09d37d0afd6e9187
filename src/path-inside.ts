/** Whether a path lies inside a folder: the one check behind every "stays inside the checkout" rule. */
import { isAbsolute, relative, sep } from 'node:path';

/**
 * `path` relative to `root` when it lies inside it ('' when it is `root` itself), else null.
 * Compares whole segments: a folder named `..cache` is inside, `../x` is not.
 */
export function relativeInside(root: string, path: string): string | null {
  const inside = relative(root, path);
  if (isAbsolute(inside) || inside === '..' || inside.startsWith(`..${sep}`)) return null;
  return inside;
}
