/**
 * A copy of `text` that does not keep a larger string alive. V8 makes `big.slice(a, b)` a view
 * into `big` (a "sliced string"); a parser that keeps a file path sliced from a 1 MB chunk keeps
 * the whole chunk, so 20,000 paths kept the whole report in memory. Concatenating first makes
 * V8 flatten a small new string, which the slice then refers to.
 */
export function detach(text: string): string {
  return (` ${text}`).slice(1);
}
