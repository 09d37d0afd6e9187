/**
 * Opening a report file: the checks every format shares (missing, directory, empty,
 * binary) and a chunked text stream for the parsers, so no report is ever read whole.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { QgateError } from '../errors.js';

/** How many bytes are read up front for format sniffing and the binary check. */
export const HEAD_BYTES = 64 * 1024;

/** How a report's bytes were decoded: by its byte order mark, its XML declaration, or UTF-8. */
export type InputEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'latin1' | 'windows-1252';

export interface OpenedInput {
  /** The path as the user gave it, for messages. */
  file: string;
  /** What the bytes were decoded from; `head` and `chunks()` are always plain text. */
  encoding: InputEncoding;
  /** The first bytes of the file as text (BOM removed), for sniffing. */
  head: string;
  size: number;
  /** The whole file as text chunks (BOM removed), streamed. */
  chunks(): AsyncIterable<string>;
}

function hasBinaryBytes(buffer: Buffer): boolean {
  // A NUL byte never occurs in a UTF-8 text report; compressed files, images and
  // UTF-16 text all have them in their first kilobytes.
  return buffer.includes(0);
}

/**
 * The encoding of a report, from its first bytes: a UTF-16 or UTF-8 byte order mark (Windows
 * PowerShell 5.1 writes UTF-16LE with a BOM by default), else an XML declaration naming
 * ISO-8859-1/Latin-1 or windows-1252 (https://www.w3.org/TR/xml/#sec-guessing), else UTF-8.
 * Latin-1 is decoded as the ISO standard says (0x80–0x9F are C1 controls), not as the WHATWG
 * `TextDecoder('latin1')` alias for windows-1252: a file is read as it declares itself.
 */
export function detectEncoding(head: Uint8Array): InputEncoding {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  const declaration = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(Buffer.from(head.subarray(0, 200)).toString('latin1'));
  if (declaration && /^(iso-?8859-1|latin-?1|l1|iso_8859-1|cp819|ibm819)$/i.test(declaration[1]!)) return 'latin1';
  if (declaration && /^(windows-1252|cp-?1252|x-cp1252)$/i.test(declaration[1]!)) return 'windows-1252';
  return 'utf-8';
}

/**
 * windows-1252's 0x80–0x9F (https://www.unicode.org/Public/MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT);
 * the five bytes it leaves undefined stay the C1 control of the same number, as WHATWG decodes them.
 * Written out because Node's `TextDecoder('windows-1252')` decodes those bytes as Latin-1 in some builds.
 */
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  return /[\u0080-\u009f]/.test(text) ? text.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!) : text;
}

/** A streaming decoder for `encoding`, BOM dropped. */
function decoderFor(encoding: InputEncoding): { write(bytes: Buffer): string; end(): string } {
  if (encoding === 'latin1') return { write: (bytes) => bytes.toString('latin1'), end: () => '' };
  if (encoding === 'windows-1252') return { write: decodeWindows1252, end: () => '' };
  const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
  // ignoreBOM false: TextDecoder drops the BOM itself.
  const decoder = new TextDecoder(label, { fatal: false, ignoreBOM: false });
  return { write: (bytes) => decoder.decode(bytes, { stream: true }), end: () => decoder.decode() };
}

async function* streamText(path: string, encoding: InputEncoding): AsyncIterable<string> {
  const decoder = decoderFor(encoding);
  let first = true;
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
    let text = decoder.write(chunk as Buffer);
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}

/** Opens a report for reading; throws a QgateError (exit 3) for every way the file itself can be unusable. */
export async function openInput(file: string, absolutePath: string = file, format?: string): Promise<OpenedInput> {
  let size: number;
  try {
    const info = await stat(absolutePath);
    if (info.isDirectory()) {
      throw new QgateError('INPUT_IS_DIRECTORY', 'is a directory, not a report file.', { file, format });
    }
    size = info.size;
  } catch (error) {
    if (error instanceof QgateError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new QgateError('INPUT_NOT_FOUND', 'does not exist.', { file, format });
    }
    throw new QgateError('INPUT_UNREADABLE', `cannot be read (${code ?? 'unknown error'}).`, { file, format });
  }
  let headBuffer: Buffer;
  try {
    const handle = await open(absolutePath, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(HEAD_BYTES, Math.max(size, 1)));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      headBuffer = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new QgateError('INPUT_UNREADABLE', `cannot be read (${code ?? 'unknown error'}).`, { file, format });
  }
  if (headBuffer.length === 0) {
    throw new QgateError('INPUT_EMPTY', 'is empty (0 bytes).', { file, format });
  }
  const encoding = detectEncoding(headBuffer);
  const utf16 = encoding === 'utf-16le' || encoding === 'utf-16be';
  // UTF-16 text has NUL bytes in every other byte: the check applies to the decoded text.
  let head = decoderFor(encoding).write(headBuffer);
  if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
  if (utf16 ? head.includes('\u0000') : hasBinaryBytes(headBuffer)) {
    throw new QgateError('INPUT_BINARY', 'is not a text file (it contains NUL bytes).', { file, format });
  }
  if (head.trim().length === 0 && size <= HEAD_BYTES) {
    throw new QgateError('INPUT_EMPTY', 'contains only whitespace.', { file, format });
  }
  return { file, encoding, head, size, chunks: () => streamText(absolutePath, encoding) };
}

/** What `forEachLine` hands over per line: `text.slice(start, end)` is the line without its `\n`. */
export type LineTaker = (text: string, start: number, end: number, lineNumber: number, lastLine: boolean) => void;

/**
 * `readLines` for the hot parsers (lcov, k6 streams): calls `take` for every line without
 * slicing or yielding, so millions of lines cost one call each. A `\r` before the `\n` is left
 * to `take`; `lastLine` is true only for a final line without a line break. A line still open
 * at a chunk's end that is longer than `limit.maxLineChars` calls `limit.tooLong` with its
 * number, which throws.
 */
export async function forEachLine(
  chunks: AsyncIterable<string>,
  take: LineTaker,
  limit?: { maxLineChars: number; tooLong: (lineNumber: number) => never },
): Promise<{ lines: number; endsWithLineBreak: boolean }> {
  let carry = '';
  let lineNumber = 0;
  for await (const chunk of chunks) {
    const text = carry.length > 0 ? carry + chunk : chunk;
    let start = 0;
    let newline: number;
    while ((newline = text.indexOf('\n', start)) !== -1) {
      lineNumber++;
      take(text, start, newline, lineNumber, false);
      start = newline + 1;
    }
    carry = start === 0 ? text : text.slice(start);
    if (limit !== undefined && carry.length > limit.maxLineChars) limit.tooLong(lineNumber + 1);
  }
  const endsWithLineBreak = carry.length === 0;
  if (!endsWithLineBreak) {
    lineNumber++;
    take(carry, 0, carry.length, lineNumber, true);
  }
  return { lines: lineNumber, endsWithLineBreak };
}

/** Splits a chunk stream into lines (without their `\n` or `\r\n`), yielding [line, 1-based number]. */
export async function* readLines(chunks: AsyncIterable<string>): AsyncIterable<[string, number]> {
  let carry = '';
  let number = 0;
  for await (const chunk of chunks) {
    const text = carry + chunk;
    let start = 0;
    let index: number;
    while ((index = text.indexOf('\n', start)) !== -1) {
      let end = index;
      if (end > start && text.charCodeAt(end - 1) === 13) end -= 1;
      number += 1;
      yield [text.slice(start, end), number];
      start = index + 1;
    }
    carry = text.slice(start);
  }
  if (carry.length > 0) {
    number += 1;
    yield [carry.endsWith('\r') ? carry.slice(0, -1) : carry, number];
  }
}
