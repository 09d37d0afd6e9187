/** What every parser suite needs: text as a chunk stream, and the QgateError a parse rejects with. */
import { isQgateError, type QgateError } from '../../src/errors.js';

/** The text as a chunk stream, cut every `size` characters (whole by default): parsers must not care where. */
export async function* chunksOf(text: string, size = text.length): AsyncIterable<string> {
  for (let start = 0; start < text.length; start += Math.max(size, 1)) yield text.slice(start, start + Math.max(size, 1));
}

/** The QgateError a promise rejects with; resolving, or rejecting with anything else, fails the test. */
export async function errorOf(promise: Promise<unknown>): Promise<QgateError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isQgateError(error)) throw new Error(`expected a QgateError, got ${String(error)}`);
  return error;
}
