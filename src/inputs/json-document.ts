/**
 * Reading a JSON report: every JSON format (istanbul, Cucumber JSON, k6 summaries, mutation
 * reports) is gathered from its chunks and parsed once, and a syntax error becomes a
 * positioned INPUT_MALFORMED instead of V8's message. Plus small helpers to describe values
 * in those messages.
 */
import { QgateError } from '../errors.js';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A JSON number as it is, or null for anything else (a string "100", NaN, Infinity). */
export function finiteNumberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A short description of a JSON value for messages: `an array`, `"10"`, `-1`, `null`. */
export function describeJsonValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  return String(value);
}

/** 1-based line and column of a UTF-16 offset. */
function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  let index = text.indexOf('\n');
  while (index !== -1 && index < offset) {
    line++;
    lineStart = index + 1;
    index = text.indexOf('\n', lineStart);
  }
  return { line, column: offset - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Offset of the first JSON syntax error in `text` (text.length when it ends too early), or -1.
 * Only used when V8's message carries no position ("Unexpected token 'x', ... is not valid
 * JSON"). Iterative, so a deeply nested document cannot overflow the stack.
 */
export function findJsonSyntaxError(text: string): number {
  const length = text.length;
  const stack: number[] = [];
  const OBJECT = 0;
  const ARRAY = 1;
  let i = 0;
  const skipSpace = (): void => {
    while (i < length) {
      const code = text.charCodeAt(i);
      if (code === 32 || code === 9 || code === 10 || code === 13) i++;
      else return;
    }
  };
  const readString = (): boolean => {
    if (text.charCodeAt(i) !== 34) return false;
    i++;
    while (i < length) {
      const code = text.charCodeAt(i);
      if (code === 34) {
        i++;
        return true;
      }
      if (code < 32) return false;
      i += code === 92 ? 2 : 1;
    }
    i = length;
    return false;
  };
  const readKey = (): boolean => {
    skipSpace();
    if (!readString()) return false;
    skipSpace();
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    return true;
  };
  let expectValue = true;
  for (;;) {
    skipSpace();
    if (expectValue) {
      if (i >= length) return length;
      const code = text.charCodeAt(i);
      if (code === 123 || code === 91) {
        i++;
        skipSpace();
        const close = code === 123 ? 125 : 93;
        if (text.charCodeAt(i) === close) {
          i++;
          expectValue = false;
          continue;
        }
        stack.push(code === 123 ? OBJECT : ARRAY);
        if (code === 123 && !readKey()) return i;
        continue;
      }
      if (code === 34) {
        if (!readString()) return i;
      } else if (text.startsWith('true', i)) i += 4;
      else if (text.startsWith('false', i)) i += 5;
      else if (text.startsWith('null', i)) i += 4;
      else {
        NUMBER.lastIndex = i;
        if (!NUMBER.test(text)) return i;
        i = NUMBER.lastIndex;
      }
      expectValue = false;
      continue;
    }
    const top = stack.at(-1);
    if (top === undefined) return i < length ? i : -1;
    if (i >= length) return length;
    const code = text.charCodeAt(i);
    if (code === 44) {
      i++;
      if (top === OBJECT && !readKey()) return i;
      expectValue = true;
    } else if ((top === OBJECT && code === 125) || (top === ARRAY && code === 93)) {
      i++;
      stack.pop();
    } else {
      return i;
    }
  }
}

/**
 * Gathers the chunks into one string and parses it; a syntax error becomes INPUT_MALFORMED with
 * the line and column of the offending character. Shared with the summary parser.
 */
export async function readJsonDocument(chunks: AsyncIterable<string>, file: string, format: string): Promise<unknown> {
  let text = '';
  try {
    for await (const chunk of chunks) text += chunk;
  } catch (error) {
    if (error instanceof RangeError) {
      throw new QgateError('INPUT_MALFORMED', `is too large to read as one JSON document (${format}).`, { file, format });
    }
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const stated = /at position (\d+)/.exec(reason);
    const offset = stated?.[1] !== undefined ? Number(stated[1]) : findJsonSyntaxError(text);
    // V8 quotes the text around an unexpected token, line breaks included; the position says more.
    const cleanReason = reason
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/^(Unexpected token '.+?'), .* is not valid JSON$/s, '$1');
    const atEnd = offset >= text.trimEnd().length;
    const position = offset >= 0 ? positionAt(text, Math.min(offset, text.length)) : undefined;
    const tail = atEnd ? ' The document ends too early: the file looks truncated.' : '';
    throw new QgateError('INPUT_MALFORMED', `is not valid JSON (${cleanReason}).${tail}`, { file, format, position });
  }
}

/** "1 entry", "3 entries". */

/** Quotes an entry key (a file path) for a message; only absurdly long keys are shortened. */
export function quoteKey(key: string): string {
  return JSON.stringify(key.length > 500 ? `${key.slice(0, 497)}...` : key);
}
