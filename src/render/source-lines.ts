/**
 * A changed file's lines, from the reader the caller was given (publish.ts decides what may be
 * read: tracked files in the checkout, never through a symlink); null when there is no reader
 * or the file cannot be read. Shared by the HTML report's source view and codequality.json's
 * content fingerprints.
 */
export function sourceLines(path: string, readSource: ((path: string) => string | null) | undefined): string[] | null {
  if (!readSource) return null;
  let text: string | null;
  try {
    text = readSource(path);
  } catch {
    text = null;
  }
  return text === null ? null : text.split(/\r\n|\n|\r/);
}
