/**
 * A small, strict, streaming XML reader shared by the XML formats (Cobertura, Clover, JUnit).
 *
 * Why hand-written: the well-kept library, saxes, was measured at ~33 MB/s here, 4× too slow to
 * read a 60-120 MB monorepo Cobertura report in well under a second (scripts/bench.mjs), and 75%
 * of that time was its tokenizer. Coverage and test reports use a small subset of XML 1.0, so
 * this reader accepts exactly that subset, spelled out below, and refuses everything else.
 *
 * Accepted (https://www.w3.org/TR/xml/):
 * - at the very start only, an XML declaration `<?xml version="1.x" encoding="…" standalone="yes|no"?>`;
 * - before the root, at most one DOCTYPE: `<!DOCTYPE name>`, `… SYSTEM "uri">` or
 *   `… PUBLIC "id" "uri">` (never fetched);
 * - comments and processing instructions (`<?target …?>`) anywhere, whitespace outside the root;
 * - exactly one root element; start, end and empty-element tags whose names follow the Name
 *   production (characters outside the BMP pass as name characters without checking their
 *   plane); attributes `name="value"` or `name='value'`, whitespace allowed around `=`;
 * - text and CDATA sections inside the root;
 * - the five predefined entities (`&lt; &gt; &amp; &quot; &apos;`) and character references
 *   (`&#123; &#x1F;`) to characters XML allows, in text and attribute values.
 * Refused with INPUT_MALFORMED, at the position of the offending character: anything else, in
 * particular other entity references (there is no DTD to define them), a bare `&`, `<` in an
 * attribute value, unquoted or repeated attributes, `--` in a comment, `]]>` in text, characters
 * XML forbids (controls, U+FFFE, U+FFFF, lone surrogates), end tags that do not match, a second
 * root element, text outside the root (reported where that text ends, as saxes did), and a
 * document that ends early (with the catalogue's truncation hint). A DOCTYPE internal subset is
 * INPUT_DTD_FORBIDDEN as soon as its `[` is read; nesting deeper than `maxDepth` is INPUT_TOO_DEEP.
 * Where saxes was lax, this reader follows the specification: DOCTYPE syntax, a PI target
 * followed by `?` but not `?>`, lone surrogates.
 *
 * As XML requires, line ends (CRLF, CR) reach the visitor as `\n` in text, and tabs and line ends
 * become spaces in attribute values (character references excepted). Columns count UTF-16 units.
 *
 * Speed comes from scanning each chunk in place (the text between tags with indexOf), and from
 * matching a start tag first against a pattern of the last tag of its element at that depth:
 * a report is millions of `<line number="…" hits="…"/>`, which one sticky regular expression
 * checks and splits natively. Memory is bounded by the nesting depth and the longest single tag,
 * DOCTYPE or reference, never by the file size: only an unfinished construct is carried over to
 * the next chunk, and comments, CDATA and text are passed on as they arrive.
 */
import { QgateError, type SourcePosition } from '../errors.js';

/** What a format parser does with the parts of a document it cares about. */
export interface XmlVisitor {
  /** Every start tag, attribute values already entity-decoded. A self-closing tag also gets `closeTag`. */
  openTag(name: string, attributes: Readonly<Record<string, string>>): void;
  closeTag?(name: string): void;
  /** Character data (CDATA included) inside the elements named in `textOf`; may arrive in pieces. */
  text?(text: string): void;
  /** The elements whose text the visitor wants. Text elsewhere is checked but never collected (it is most of a report). */
  textOf?: ReadonlySet<string>;
}

export interface XmlSource {
  /** The file as the user named it, for messages. */
  file: string;
  /** The format, as error details name it ("cobertura"). */
  format: string;
  /** Deepest element nesting accepted; real reports stay under 10. */
  maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 256;

/**
 * Reads a whole document from text chunks (BOM already removed) and calls the visitor.
 * A QgateError the visitor throws without a file gets this file, format and the current position.
 */
export async function readXml(chunks: AsyncIterable<string>, source: XmlSource, visitor: XmlVisitor): Promise<void> {
  const reader = new XmlReader(source, visitor);
  try {
    for await (const chunk of chunks) reader.write(chunk);
    reader.end();
  } catch (error) {
    if (error instanceof QgateError && error.file === undefined) {
      throw new QgateError(error.code, error.message, {
        file: source.file,
        format: source.format,
        position: reader.eventPosition(),
        hint: error.hint,
      });
    }
    throw error;
  }
}

const NOT_WELL_FORMED_HINT =
  'Regenerate the report; if it stays broken, the tool that wrote it has a bug worth reporting (XML parsers reject the file, not just qgate).';

/** A construct runs past the end of the buffer: wait for the next chunk. */
const INCOMPLETE = -1;
/** What codeAt reads past the end of the buffer: no character class contains it. */
const END = -1;
/** A start tag does not match the pattern it was tried against. */
const NO_MATCH = -2;

/** What the reader is in the middle of between chunks; tags, DOCTYPEs and references are carried over whole instead. */
const IN_CONTENT = 0;
const IN_COMMENT = 1;
const IN_CDATA = 2;
const IN_PI = 3;

/** What an unfinished tag or DOCTYPE carried over needs before it is worth reading again: a `>`, or for a DOCTYPE also a `[`. */
const AWAITING_NOTHING = 0;
const AWAITING_TAG = 1;
const AWAITING_DOCTYPE = 2;
/** How much of a chunk is put behind a construct carried over from the previous one. */
const HEAD_LENGTH = 4096;

/** Bounds on what the reader remembers of element and attribute names, whatever the document. */
const MAX_SHAPES = 1024;
const MAX_KNOWN_ATTRIBUTES = 64;
const MAX_KNOWN_NAME = 256;
/** Longest start tag that gets a pattern (a Cobertura <class> tag is a few hundred characters). */
const MAX_PATTERN_TAG = 4096;
/** Size of the name cache (a power of two). */
const NAME_SLOTS = 1024;
/** How much of the text found outside the root element is kept for the message (which shows up to 40 characters). */
const STRAY_TEXT_SHOWN = 60;
/** Longest XML declaration accepted: a real one is under 60 characters. */
const MAX_DECLARATION = 1024;

/** An element name and what its last start tag looked like. */
interface ElementShape {
  name: string;
  /** The attribute names of the last start tag, in order (interned). */
  attributes: string[];
  /**
   * A sticky pattern for start tags written like the last one, when it was on one line: from the
   * name on, its text around the values literally (`line number="([^"…]*)" hits="([^"…]*)"/>`).
   */
  pattern: RegExp | undefined;
  /** Whether that tag was an empty-element tag (`/>`). */
  empty: boolean;
}

const SPACE = '[ \\t\\r\\n]';
const XML_DECLARATION = new RegExp(
  `^<\\?xml${SPACE}+version${SPACE}*=${SPACE}*(?:"1\\.[0-9]+"|'1\\.[0-9]+')` +
    `(?:${SPACE}+encoding${SPACE}*=${SPACE}*(?:"[A-Za-z][\\w.-]*"|'[A-Za-z][\\w.-]*'))?` +
    `(?:${SPACE}+standalone${SPACE}*=${SPACE}*(?:"(?:yes|no)"|'(?:yes|no)'))?${SPACE}*\\?>$`,
);
const DOCTYPE = new RegExp(
  `^<!DOCTYPE${SPACE}+[^\\s"'<>[\\]]+(?:${SPACE}+(?:SYSTEM|PUBLIC${SPACE}+(?:"[^"]*"|'[^']*'))${SPACE}+(?:"[^"]*"|'[^']*'))?${SPACE}*>$`,
);

/** The streaming tokenizer behind readXml: `write` each chunk, then `end`. */
class XmlReader {
  private readonly file: string;
  private readonly format: string;
  private readonly maxDepth: number;
  private readonly visitor: XmlVisitor;
  private readonly textOf: ReadonlySet<string> | undefined;

  /** The carried-over rest of the previous chunk followed by the current one. */
  private buffer = '';
  /** Where scanning resumes in `buffer`; everything before it has been handled. */
  private pos = 0;
  /** Characters dropped from the front of `buffer` so far (the stream offset of `buffer[0]`). */
  private base = 0;
  private mode = IN_CONTENT;
  /** How far a search for the `>` of an unfinished tag at `pos` already looked, relative to `pos`. */
  private tagScanned = 0;
  /** What the unfinished construct at `pos` waits for, and the chunks that arrived meanwhile. */
  private awaiting = AWAITING_NOTHING;
  private pending: string[] = [];
  /** How far an unfinished DOCTYPE at `pos` was scanned, relative to `pos`, and the quote it was in. */
  private doctypeScanned = 0;
  private doctypeQuote = 0;

  /** The line of `pos` (1-based), and the buffer index where that line starts (negative once dropped). */
  private line = 1;
  private lineStart = 0;
  /** Buffer index of the `>` (or text end) that completed the event being reported to the visitor. */
  private eventAt = 0;

  /** Names of the open elements, root first. */
  private readonly stack: string[] = [];
  private sawRoot = false;
  private sawDoctype = false;
  /** The depth of the element whose text the visitor collects, 0 when none. */
  private textDepth = 0;
  /**
   * Element and attribute names seen, by first character, last character and length: a report
   * repeats a few names millions of times, and handing out the same (internalized) string
   * spares a substring per name and makes the attribute objects' property stores fast.
   */
  private readonly names: (string | undefined)[] = new Array<string | undefined>(NAME_SLOTS).fill(undefined);
  /** The elements seen, by name (up to MAX_SHAPES of them). */
  private readonly shapes = new Map<string, ElementShape>();
  /**
   * By depth, the element last opened there: its next sibling is most often another one of the
   * same name and attributes (`<line number=… hits=…/>` a million times), which `startTag`
   * then tries first.
   */
  private readonly siblings: (ElementShape | undefined)[] = [];
  /** Where the attribute values of the tag being read start and end (2 entries per attribute). */
  private readonly bounds: number[] = [];
  /**
   * The string the last reading helper produced next to the index it returns: the replacement
   * text of a reference, a decoded attribute value or an attribute name.
   */
  private produced = '';
  /** The start of text found outside the root element, reported (like saxes did) where that text ends. */
  private strayText: string | undefined;

  constructor(source: XmlSource, visitor: XmlVisitor) {
    this.file = source.file;
    this.format = source.format;
    this.maxDepth = source.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.visitor = visitor;
    this.textOf = visitor.textOf;
  }

  write(chunk: string): void {
    // A chunk that cannot end the unfinished tag or DOCTYPE is only kept: appending it to the
    // carried-over text now would copy that text again for every chunk of a long tag.
    if (this.awaiting !== AWAITING_NOTHING && !chunk.includes('>') && (this.awaiting === AWAITING_TAG || !chunk.includes('['))) {
      this.pending.push(chunk);
      return;
    }
    const carry = this.pending.length === 0 ? this.buffer.slice(this.pos) : this.buffer.slice(this.pos) + this.pending.join('');
    this.pending = [];
    const carried = carry.length;
    if (carried === 0) {
      this.moveTo(chunk, this.pos);
      this.scan(false, Infinity);
      return;
    }
    // Copying every chunk behind the carried-over rest would cost more than a tenth of the
    // reading time (a concatenated string is flattened, that is copied, on first access). So
    // the unfinished construct is finished in a small buffer made of the rest and the head of
    // the chunk, and the reader then moves on to the chunk itself.
    const head = Math.min(chunk.length, HEAD_LENGTH);
    this.moveTo(carry + chunk.slice(0, head), this.pos);
    this.scan(false, carried);
    if (this.pos >= carried) {
      this.moveTo(chunk, carried);
      this.scan(false, Infinity);
    } else if (head < chunk.length) {
      // A construct longer than the head: read on in a buffer of the rest and the whole chunk.
      this.moveTo(this.buffer.slice(this.pos) + chunk.slice(head), this.pos);
      this.scan(false, Infinity);
    }
  }

  /** Makes `buffer` the text to read, where its index 0 is index `drop` of the current one. */
  private moveTo(buffer: string, drop: number): void {
    this.buffer = buffer;
    this.base += drop;
    this.lineStart -= drop;
    this.pos -= drop;
    this.eventAt -= drop;
  }

  end(): void {
    // Whatever was carried over is now known to be all there is.
    if (this.pending.length > 0) this.moveTo(this.buffer.slice(this.pos) + this.pending.join(''), this.pos);
    this.scan(true, Infinity);
    if (this.pos < this.buffer.length || this.mode !== IN_CONTENT) {
      throw this.truncated(`the document ends inside ${this.describeUnfinished()}, so the file looks truncated`);
    }
    if (this.strayText !== undefined) throw this.outsideRoot(this.buffer.length);
    const open = this.stack[this.stack.length - 1];
    if (open !== undefined) throw this.truncated(`the document ends before <${open}> is closed, so the file looks truncated`);
    if (!this.sawRoot) throw this.truncated('there is no root element');
  }

  /** The position of the event being reported to the visitor, for the errors it throws. */
  eventPosition(): SourcePosition {
    return this.positionOf(this.eventAt);
  }

  /** Handles `buffer` from `pos` on, up to the first construct that does not end in it (unless `final`). */
  private scan(final: boolean, stopAt: number): void {
    const buffer = this.buffer;
    const length = buffer.length;
    let pos = this.pos;
    this.awaiting = AWAITING_NOTHING;
    while (pos < length && pos < stopAt) {
      if (this.mode !== IN_CONTENT) {
        pos = this.continueSection(pos, final);
        if (this.mode !== IN_CONTENT) break;
        continue;
      }
      let c = buffer.charCodeAt(pos);
      if (c !== 0x3c && this.textDepth === 0 && this.strayText === undefined) {
        // Indentation between tags, most of the text in a report: skipped here, not in `text`.
        while (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) {
          if (c === 0x0a) {
            this.line += 1;
            this.lineStart = pos + 1;
          }
          c = codeAt(buffer, ++pos);
        }
        if (pos === length) break;
      }
      const lt = c === 0x3c ? pos : buffer.indexOf('<', pos);
      if (lt !== pos) {
        const end = lt === -1 ? length : lt;
        pos = this.text(pos, end, lt === -1 && !final);
        if (pos < end || lt === -1) break;
      }
      if (this.strayText !== undefined) throw this.outsideRoot(pos);
      const line = this.line;
      const lineStart = this.lineStart;
      const next = codeAt(buffer, pos + 1);
      const tag = isNameStartChar(next) || next === 0x2f;
      // A tag that did not end in the previous buffer is parsed again only once a `>` arrives,
      // so a long tag split over many chunks is not parsed again for every chunk.
      if (tag && this.tagScanned !== 0 && !final && buffer.indexOf('>', pos + this.tagScanned) === -1) {
        this.tagScanned = length - pos;
        break;
      }
      let after: number;
      if (isNameStartChar(next)) {
        after = this.startTag(pos);
      } else if (next === 0x2f) {
        after = this.endTag(pos);
      } else if (next === 0x21) {
        after = this.markupDeclaration(pos);
      } else if (next === 0x3f) {
        after = this.processingInstruction(pos);
      } else if (pos + 1 >= length) {
        after = INCOMPLETE;
      } else {
        throw this.malformed(pos + 1, 'a < is not followed by an element name (in text, write it as &lt;)');
      }
      if (after === INCOMPLETE) {
        this.line = line;
        this.lineStart = lineStart;
        // An unfinished tag ends past the buffer: its `>` is in chunks still to come.
        if (tag) this.tagScanned = length - pos;
        if (!final) this.awaiting = tag ? AWAITING_TAG : next === 0x21 && buffer.startsWith('<!DOCTYPE', pos) ? AWAITING_DOCTYPE : AWAITING_NOTHING;
        break;
      }
      this.tagScanned = 0;
      pos = after;
    }
    this.pos = pos;
  }

  /**
   * Checks the character data in [from, to), counts its lines and hands it to the visitor when it
   * collects text here. When `open` (the buffer ends at `to` and more may follow), it stops before
   * a reference, `]]>`, CRLF or surrogate pair the buffer cuts, and returns where it stopped.
   */
  private text(from: number, to: number, open: boolean): number {
    const buffer = this.buffer;
    const inside = this.stack.length !== 0;
    const collect = this.textDepth !== 0;
    let collected = '';
    let piece = from;
    let stop = to;
    // Stray text continued from the previous buffer: more of it for the message.
    if (this.strayText !== undefined && this.strayText.length < STRAY_TEXT_SHOWN) this.strayText += buffer.slice(from, Math.min(to, from + STRAY_TEXT_SHOWN));
    for (let k = from; k < to; k += 1) {
      const c = buffer.charCodeAt(k);
      if ((c > 0x26 && c < 0xd800 && c !== 0x5d) || (c > 0x20 && c < 0x26)) {
        if (!inside) this.strayText ??= buffer.slice(k, Math.min(to, k + STRAY_TEXT_SHOWN));
        continue;
      }
      if (c === 0x20 || c === 0x09) continue;
      if (c === 0x0a) {
        this.line += 1;
        this.lineStart = k + 1;
        continue;
      }
      if (c === 0x0d) {
        if (!collect) continue;
        if (k + 1 === to && open) {
          stop = k;
          break;
        }
        collected += `${buffer.slice(piece, k)}\n`;
        if (codeAt(buffer, k + 1) === 0x0a) {
          k += 1;
          this.line += 1;
          this.lineStart = k + 1;
        }
        piece = k + 1;
        continue;
      }
      if (!inside) {
        this.strayText ??= buffer.slice(k, Math.min(to, k + STRAY_TEXT_SHOWN));
        continue;
      }
      if (c === 0x26) {
        const semicolon = this.readReference(k);
        if (semicolon === INCOMPLETE) {
          if (open) {
            stop = k;
            break;
          }
          throw this.bareAmpersand(k);
        }
        if (collect) {
          collected += buffer.slice(piece, k) + this.produced;
          piece = semicolon + 1;
        }
        k = semicolon;
        continue;
      }
      if (c === 0x5d) {
        const next = codeAt(buffer, k + 1);
        if (next === 0x5d && codeAt(buffer, k + 2) === 0x3e) throw this.malformed(k, 'the text contains "]]>", which XML allows only to end a CDATA section');
        if (open && (k + 1 === to || (k + 2 === to && next === 0x5d))) {
          stop = k;
          break;
        }
        continue;
      }
      const end = this.checkSpecialChar(k, to, open);
      if (end === INCOMPLETE) {
        stop = k;
        break;
      }
      k = end;
    }
    if (this.strayText !== undefined && !open) throw this.outsideRoot(stop);
    if (collect) {
      const text = collected + buffer.slice(piece, stop);
      if (text !== '') {
        this.eventAt = stop;
        this.visitor.text?.(text);
      }
    }
    return stop;
  }

  /**
   * Checks a character below U+0020 (other than tab and line ends) or from U+D800 up, at `k`.
   * Returns the index of its last code unit, or INCOMPLETE for a surrogate pair cut by the buffer end.
   */
  private checkSpecialChar(k: number, to: number, open: boolean): number {
    const c = codeAt(this.buffer, k);
    if (c < 0x20) {
      if (c === 0x09 || c === 0x0a || c === 0x0d) return k;
      throw this.disallowedChar(k, c);
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const low = codeAt(this.buffer, k + 1);
      if (low >= 0xdc00 && low <= 0xdfff) return k + 1;
      if (k + 1 >= to && open) return INCOMPLETE;
      throw this.disallowedChar(k, c);
    }
    if ((c >= 0xdc00 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) throw this.disallowedChar(k, c);
    return k;
  }

  /** Checks the characters of a comment, PI or CDATA section in [from, to) and counts their lines. */
  private checkChars(from: number, to: number): void {
    const buffer = this.buffer;
    for (let k = from; k < to; k += 1) {
      const c = buffer.charCodeAt(k);
      if (c >= 0x20 && c < 0xd800) continue;
      if (c === 0x0a) {
        this.line += 1;
        this.lineStart = k + 1;
        continue;
      }
      k = this.checkSpecialChar(k, to, false);
    }
  }

  /** Moves `cut` back so that it does not split a surrogate pair or (when `crlf`) a CRLF. */
  private safeCut(from: number, cut: number, crlf: boolean): number {
    let end = cut;
    const last = codeAt(this.buffer, end - 1);
    if (end > from && ((last >= 0xd800 && last <= 0xdbff) || (crlf && last === 0x0d))) end -= 1;
    return end;
  }

  /** Continues a comment, CDATA section or processing instruction whose end was not in the previous chunk. */
  private continueSection(pos: number, final: boolean): number {
    const buffer = this.buffer;
    const length = buffer.length;
    if (this.mode === IN_COMMENT) {
      const dashes = buffer.indexOf('--', pos);
      if (dashes !== -1 && dashes + 2 < length) {
        this.checkChars(pos, dashes);
        if (codeAt(buffer, dashes + 2) !== 0x3e) throw this.malformed(dashes, 'a comment contains "--", which XML does not allow');
        this.mode = IN_CONTENT;
        return dashes + 3;
      }
      let cut = dashes === -1 ? length : dashes;
      if (dashes === -1 && codeAt(buffer, length - 1) === 0x2d) cut = length - 1;
      cut = final ? cut : this.safeCut(pos, cut, false);
      this.checkChars(pos, cut);
      return cut;
    }
    if (this.mode === IN_CDATA) {
      const close = buffer.indexOf(']]>', pos);
      const end = close !== -1 ? close : this.safeCut(pos, Math.max(pos, length - 2), true);
      this.checkChars(pos, end);
      if (this.textDepth !== 0 && end > pos) {
        this.eventAt = end;
        this.visitor.text?.(normalizeLineEnds(buffer.slice(pos, end)));
      }
      if (close === -1) return end;
      this.mode = IN_CONTENT;
      return close + 3;
    }
    const close = buffer.indexOf('?>', pos);
    if (close !== -1) {
      this.checkChars(pos, close);
      this.mode = IN_CONTENT;
      return close + 2;
    }
    const end = this.safeCut(pos, codeAt(buffer, length - 1) === 0x3f ? length - 1 : length, false);
    this.checkChars(pos, end);
    return end;
  }

  /**
   * A start or empty-element tag at `lt`, whose name starts at `lt + 1`; returns the index after it.
   *
   * Reports repeat one tag shape millions of times (`<line number="…" hits="…"/>`), so the tag is
   * first matched against the pattern of the last tag of its element at this depth: its text
   * around the attribute values, with values of plain characters in between. That one native
   * regular-expression match checks and splits the tag; anything else goes to `parseTag`.
   */
  private startTag(lt: number): number {
    const buffer = this.buffer;
    const depth = this.stack.length;
    const predicted = this.siblings[depth];
    if (predicted !== undefined && !(depth === 0 && this.sawRoot)) {
      const after = this.matchTag(lt, predicted);
      if (after !== NO_MATCH) return after;
    }
    let k = lt + 2;
    while (isNameChar(codeAt(buffer, k))) k += 1;
    if (k >= buffer.length) return INCOMPLETE;
    const shape = this.shapeOf(this.name(lt + 1, k));
    if (depth === 0 && this.sawRoot) throw this.malformed(lt, `a second root element <${shape.name}> follows the first one`);
    this.siblings[depth] = shape;
    if (shape !== predicted) {
      const after = this.matchTag(lt, shape);
      if (after !== NO_MATCH) return after;
    }
    return this.parseTag(lt, shape, k);
  }

  /** The start tag at `lt` if it matches the pattern of `shape`: opens it and returns the index after it, else NO_MATCH. */
  private matchTag(lt: number, shape: ElementShape): number {
    const { pattern } = shape;
    if (pattern === undefined) return NO_MATCH;
    pattern.lastIndex = lt + 1;
    const match = pattern.exec(this.buffer);
    if (match === null) return NO_MATCH;
    const names = shape.attributes;
    const attributes: Record<string, string> = {};
    for (let index = 1; index < match.length; index += 1) setAttribute(attributes, names[index - 1] ?? '', match[index] ?? '');
    const end = pattern.lastIndex;
    this.openElement(shape.name, attributes, end - 1, shape.empty);
    return end;
  }

  /** Parses the start tag at `lt` character by character from `from`, just after its name, and records its pattern. */
  private parseTag(lt: number, shape: ElementShape, from: number): number {
    const buffer = this.buffer;
    const length = buffer.length;
    let k = from;
    const name = shape.name;
    const names = shape.attributes;
    shape.pattern = undefined;
    const attributes: Record<string, string> = {};
    let c = codeAt(buffer, k);
    for (let index = 0; ; index += 1) {
      let spaced = false;
      while (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) {
        if (c === 0x0a) {
          this.line += 1;
          this.lineStart = k + 1;
        }
        spaced = true;
        c = codeAt(buffer, ++k);
      }
      let end = -1;
      if (c === 0x3e) {
        end = k;
      } else if (c === 0x2f) {
        c = codeAt(buffer, k + 1);
        if (c !== 0x3e) {
          if (k + 1 >= length) return INCOMPLETE;
          throw this.malformed(k + 1, `a / inside the tag <${name}> is not followed by >`);
        }
        end = k + 1;
      }
      if (end !== -1) {
        // A tag over several lines gets no pattern: matching it would skip counting its lines.
        if (this.lineStart <= lt && index <= MAX_KNOWN_ATTRIBUTES && end - lt < MAX_PATTERN_TAG) {
          shape.pattern = this.patternOf(lt, index, end);
          shape.empty = end !== k;
        } else {
          // Without a pattern the names are not needed any more; the tag may have been huge.
          names.length = 0;
        }
        this.openElement(name, attributes, end, end !== k);
        return end + 1;
      }
      if (k >= length) return INCOMPLETE;
      if (!isNameStartChar(c)) throw this.malformed(k, `the tag <${name}> contains ${describeChar(c)} where an attribute name or the end of the tag belongs`);
      if (!spaced) throw this.malformed(k, `the attributes of <${name}> are not separated by whitespace`);
      const nameStart = k;
      k = this.attributeOpening(nameStart, name);
      if (k === INCOMPLETE) return INCOMPLETE;
      const attribute = this.produced;
      if (index < MAX_KNOWN_ATTRIBUTES) {
        names[index] = attribute;
        if (index > 0 && names.lastIndexOf(attribute, index - 1) !== -1) throw this.duplicateAttribute(nameStart, attribute, name);
      } else if (Object.hasOwn(attributes, attribute)) {
        throw this.duplicateAttribute(nameStart, attribute, name);
      }
      const quote = buffer.charCodeAt(k);
      const valueStart = k + 1;
      c = codeAt(buffer, ++k);
      while (c !== quote && c >= 0x20 && c < 0xd800 && c !== 0x26 && c !== 0x3c) c = codeAt(buffer, ++k);
      let value: string;
      if (c === quote) {
        value = buffer.slice(valueStart, k);
      } else {
        k = this.attributeValue(valueStart, k, quote);
        if (k === INCOMPLETE) return INCOMPLETE;
        value = this.produced;
      }
      setAttribute(attributes, attribute, value);
      if (index < MAX_KNOWN_ATTRIBUTES) {
        this.bounds[2 * index] = valueStart;
        this.bounds[2 * index + 1] = k;
      }
      c = codeAt(buffer, ++k);
    }
  }

  /**
   * The pattern of the tag at [lt, end] with `count` attribute values, whose bounds are in `bounds`:
   * its text around the values, literally, and values of characters that need no decoding or
   * checking (no reference, `<`, control character, line end, tab or surrogate).
   */
  private patternOf(lt: number, count: number, end: number): RegExp {
    const buffer = this.buffer;
    let source = '';
    let from = lt + 1;
    for (let index = 0; index < count; index += 1) {
      const valueStart = this.bounds[2 * index] ?? from;
      const quote = buffer.charAt(valueStart - 1);
      source += `${escapeRegExp(buffer.slice(from, valueStart))}([^${quote}<&\\u0000-\\u001f\\ud800-\\udfff\\ufffe\\uffff]*)`;
      from = this.bounds[2 * index + 1] ?? from;
    }
    return new RegExp(source + escapeRegExp(buffer.slice(from, end + 1)), 'y');
  }

  /**
   * Reads `name = "` from `nameStart` (a name start character) to the opening quote: leaves the
   * (interned) name in `produced` and returns the index of the quote, or INCOMPLETE.
   */
  private attributeOpening(nameStart: number, element: string): number {
    const buffer = this.buffer;
    const length = buffer.length;
    let k = nameStart + 1;
    let c = codeAt(buffer, k);
    while (isNameChar(c)) c = codeAt(buffer, ++k);
    const attribute = this.name(nameStart, k);
    while (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) {
      if (c === 0x0a) {
        this.line += 1;
        this.lineStart = k + 1;
      }
      c = codeAt(buffer, ++k);
    }
    if (c !== 0x3d) {
      if (k >= length) return INCOMPLETE;
      throw this.malformed(k, `the attribute ${attribute} of <${element}> has no value (XML needs ${attribute}="…")`);
    }
    c = codeAt(buffer, ++k);
    while (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) {
      if (c === 0x0a) {
        this.line += 1;
        this.lineStart = k + 1;
      }
      c = codeAt(buffer, ++k);
    }
    if (c !== 0x22 && c !== 0x27) {
      if (k >= length) return INCOMPLETE;
      throw this.malformed(k, `the value of the attribute ${attribute} of <${element}> is not in quotes`);
    }
    this.produced = attribute;
    return k;
  }

  private duplicateAttribute(at: number, attribute: string, element: string): QgateError {
    return this.malformed(at, `the attribute ${attribute} appears twice in <${element}>`);
  }

  /** What is known of the elements called `name`; a new record once too many names were seen. */
  private shapeOf(name: string): ElementShape {
    let shape = this.shapes.get(name);
    if (shape === undefined) {
      shape = { name, attributes: [], pattern: undefined, empty: false };
      if (this.shapes.size < MAX_SHAPES && name.length <= MAX_KNOWN_NAME) this.shapes.set(name, shape);
    }
    return shape;
  }

  /** The name in [start, end), from `names` when it is there. */
  private name(start: number, end: number): string {
    const buffer = this.buffer;
    const length = end - start;
    const slot = (buffer.charCodeAt(start) * 31 + buffer.charCodeAt(end - 1) * 7 + length) & (NAME_SLOTS - 1);
    const known = this.names[slot];
    if (known !== undefined && known.length === length && isAt(buffer, known, start)) return known;
    const name = internalize(buffer.slice(start, end));
    if (length <= MAX_KNOWN_NAME) this.names[slot] = name;
    return name;
  }

  /**
   * The careful path for an attribute value that starts at `valueStart` (after its opening quote)
   * and has no special character before `from`: decodes references, turns tabs and line ends
   * into spaces and checks every character. Leaves the value in `produced` and returns the index
   * of the closing quote, or INCOMPLETE.
   */
  private attributeValue(valueStart: number, from: number, quote: number): number {
    const buffer = this.buffer;
    const length = buffer.length;
    let value = '';
    let piece = valueStart;
    for (let k = from; ; k += 1) {
      const c = codeAt(buffer, k);
      if (c === quote) {
        this.produced = value + buffer.slice(piece, k);
        return k;
      }
      if (c >= 0x20 && c < 0xd800 && c !== 0x26 && c !== 0x3c) continue;
      if (k >= length) return INCOMPLETE;
      if (c === 0x3c) throw this.malformed(k, 'an attribute value contains <, which XML does not allow (write it as &lt;)');
      if (c === 0x26) {
        const semicolon = this.readReference(k);
        if (semicolon === INCOMPLETE) return INCOMPLETE;
        value += buffer.slice(piece, k) + this.produced;
        piece = semicolon + 1;
        k = semicolon;
        continue;
      }
      if (c === 0x09 || c === 0x0a || c === 0x0d) {
        // Attribute-value normalization: every tab or line end is a space, and a CRLF one line end.
        value += `${buffer.slice(piece, k)} `;
        if (c === 0x0d) {
          if (k + 1 >= length) return INCOMPLETE;
          if (codeAt(buffer, k + 1) === 0x0a) k += 1;
        }
        if (codeAt(buffer, k) === 0x0a) {
          this.line += 1;
          this.lineStart = k + 1;
        }
        piece = k + 1;
        continue;
      }
      const end = this.checkSpecialChar(k, length, true);
      if (end === INCOMPLETE) return INCOMPLETE;
      k = end;
    }
  }

  private openElement(name: string, attributes: Record<string, string>, gt: number, empty: boolean): void {
    const depth = this.stack.length + 1;
    if (depth > this.maxDepth) {
      throw new QgateError('INPUT_TOO_DEEP', `nests elements more than ${this.maxDepth} levels deep.`, {
        file: this.file,
        format: this.format,
        position: this.positionOf(gt),
      });
    }
    this.sawRoot = true;
    this.eventAt = gt;
    this.visitor.openTag(name, attributes);
    if (empty) {
      this.visitor.closeTag?.(name);
      return;
    }
    this.stack.push(name);
    if (this.textDepth === 0 && this.textOf !== undefined && this.textOf.has(name)) this.textDepth = depth;
  }

  /** An end tag at `lt`; returns the index after it. */
  private endTag(lt: number): number {
    const buffer = this.buffer;
    const length = buffer.length;
    const open = this.stack[this.stack.length - 1];
    const nameStart = lt + 2;
    let k: number;
    let c: number;
    if (open !== undefined && isAt(buffer, open, nameStart)) {
      k = nameStart + open.length;
      c = codeAt(buffer, k);
      if (!isNameChar(c)) {
        while (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) {
          if (c === 0x0a) {
            this.line += 1;
            this.lineStart = k + 1;
          }
          c = codeAt(buffer, ++k);
        }
        if (c === 0x3e) {
          if (this.stack.length === this.textDepth) this.textDepth = 0;
          this.stack.pop();
          this.eventAt = k;
          this.visitor.closeTag?.(open);
          return k + 1;
        }
        if (k >= length) return INCOMPLETE;
        throw this.malformed(k, `the closing tag </${open}> contains ${describeChar(c)} before its >`);
      }
    }
    k = nameStart;
    c = codeAt(buffer, k);
    if (!isNameStartChar(c)) {
      if (k >= length) return INCOMPLETE;
      throw this.malformed(lt, 'a closing tag has no element name');
    }
    while (isNameChar(c)) c = codeAt(buffer, ++k);
    if (k >= length) return INCOMPLETE;
    const name = buffer.slice(nameStart, k);
    if (open === undefined) throw this.malformed(lt, `the closing tag </${name}> has no opening tag`);
    throw this.malformed(lt, `the closing tag </${name}> does not match the open element <${open}>`);
  }

  /** `<!`: a comment, a CDATA section or the DOCTYPE. */
  private markupDeclaration(lt: number): number {
    const buffer = this.buffer;
    if (buffer.startsWith('<!--', lt)) {
      this.mode = IN_COMMENT;
      return lt + 4;
    }
    if (buffer.startsWith('<![CDATA[', lt)) {
      if (this.stack.length === 0) throw this.outsideRoot(lt);
      this.mode = IN_CDATA;
      return lt + 9;
    }
    if (buffer.startsWith('<!DOCTYPE', lt)) return this.doctype(lt);
    const start = buffer.slice(lt, lt + 9);
    if (lt + 9 > buffer.length && ['<!--', '<![CDATA[', '<!DOCTYPE'].some((opening) => opening.startsWith(start))) return INCOMPLETE;
    throw this.malformed(lt, '<! starts neither a comment, a CDATA section nor a DOCTYPE');
  }

  /**
   * The DOCTYPE at `lt`. An internal subset fails at its `[`, before the rest is read: its entities
   * could expand without bound or read other files. External DOCTYPEs (`SYSTEM "http://…"`, written
   * by istanbul, gcovr and Cobertura-java) pass, and their DTD is never fetched.
   */
  private doctype(lt: number): number {
    if (this.sawRoot) throw this.malformed(lt, 'a DOCTYPE follows the root element');
    if (this.sawDoctype) throw this.malformed(lt, 'the document has a second DOCTYPE');
    const buffer = this.buffer;
    const length = buffer.length;
    // A long DOCTYPE split over chunks is scanned on from where the previous buffer ended.
    let quote = this.doctypeQuote;
    let k = lt + Math.max(9, this.doctypeScanned);
    for (; k < length; k += 1) {
      const c = buffer.charCodeAt(k);
      if (quote !== 0) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 || c === 0x27) {
        quote = c;
      } else if (c === 0x5b) {
        throw new QgateError(
          'INPUT_DTD_FORBIDDEN',
          'declares a DOCTYPE internal subset ([ ... ]); qgate refuses DTD declarations, whose entities can expand without bound or read other files.',
          { file: this.file, format: this.format, position: this.positionOf(k) },
        );
      } else if (c === 0x3e) {
        break;
      }
    }
    if (k >= length) {
      this.doctypeScanned = k - lt;
      this.doctypeQuote = quote;
      return INCOMPLETE;
    }
    if (!DOCTYPE.test(buffer.slice(lt, k + 1))) throw this.malformed(lt, 'the DOCTYPE is malformed (expected <!DOCTYPE name SYSTEM "…"> or <!DOCTYPE name PUBLIC "…" "…">)');
    this.checkChars(lt, k);
    this.sawDoctype = true;
    return k + 1;
  }

  /** `<?`: a processing instruction, or the XML declaration at the very start of the file. */
  private processingInstruction(lt: number): number {
    const buffer = this.buffer;
    let k = lt + 2;
    let c = codeAt(buffer, k);
    if (!isNameStartChar(c)) {
      if (k >= buffer.length) return INCOMPLETE;
      throw this.malformed(lt, 'a processing instruction (<?…?>) has no valid target name');
    }
    while (isNameChar(c)) c = codeAt(buffer, ++k);
    if (k >= buffer.length) return INCOMPLETE;
    if (k - lt === 5 && buffer.slice(lt + 2, k).toLowerCase() === 'xml') return this.xmlDeclaration(lt);
    if (c === 0x3f) {
      const next = codeAt(buffer, k + 1);
      if (next !== 0x3e) {
        if (k + 1 >= buffer.length) return INCOMPLETE;
        throw this.malformed(k, 'a processing instruction (<?…?>) has a ? right after its target name');
      }
    } else if (c !== 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d) {
      throw this.malformed(k, 'the target name of a processing instruction (<?…?>) contains a character XML does not allow');
    }
    this.mode = IN_PI;
    return k;
  }

  private xmlDeclaration(lt: number): number {
    if (this.base + lt !== 0) {
      throw this.malformed(lt, 'the XML declaration (<?xml …?>) is allowed only at the very start of the file, with nothing before it');
    }
    const buffer = this.buffer;
    const close = buffer.indexOf('?>', lt);
    if (close === -1 || close > MAX_DECLARATION) {
      if (buffer.length < MAX_DECLARATION) return INCOMPLETE;
      throw this.malformed(lt, 'the XML declaration (<?xml …?>) does not end');
    }
    const declaration = buffer.slice(lt, close + 2);
    if (!XML_DECLARATION.test(declaration)) {
      throw this.malformed(lt, `the XML declaration is malformed: ${declaration.length > 80 ? `${declaration.slice(0, 80)}…` : declaration}`);
    }
    this.checkChars(lt, close);
    return close + 2;
  }

  /**
   * Reads the reference at `amp` (an `&`): leaves its replacement text in `produced` and returns
   * the index of its `;`, or INCOMPLETE when the buffer ends first.
   */
  private readReference(amp: number): number {
    const buffer = this.buffer;
    let k = amp + 1;
    let c = codeAt(buffer, k);
    if (c === 0x23) {
      c = codeAt(buffer, ++k);
      const hex = c === 0x78;
      if (hex) c = codeAt(buffer, ++k);
      const digitsStart = k;
      let code = 0;
      for (;;) {
        const lower = c | 0x20;
        let digit: number;
        if (c >= 0x30 && c <= 0x39) digit = c - 0x30;
        else if (hex && lower >= 0x61 && lower <= 0x66) digit = lower - 0x57;
        else break;
        code = Math.min(code * (hex ? 16 : 10) + digit, 0x110000);
        c = codeAt(buffer, ++k);
      }
      if (c !== 0x3b) {
        if (k >= buffer.length) return INCOMPLETE;
        throw this.bareAmpersand(amp);
      }
      if (k === digitsStart || !isXmlChar(code)) {
        throw this.malformed(amp, `the character reference ${buffer.slice(amp, k + 1)} does not name a character XML allows`);
      }
      this.produced = String.fromCodePoint(code);
      return k;
    }
    if (!isNameStartChar(c)) {
      if (k >= buffer.length) return INCOMPLETE;
      throw this.bareAmpersand(amp);
    }
    while (isNameChar(c)) c = codeAt(buffer, ++k);
    if (c !== 0x3b) {
      if (k >= buffer.length) return INCOMPLETE;
      throw this.bareAmpersand(amp);
    }
    const replacement = PREDEFINED_ENTITIES.get(buffer.slice(amp + 1, k));
    if (replacement === undefined) {
      throw this.malformed(
        amp,
        `it uses ${buffer.slice(amp, k + 1)}, an entity reference XML does not predefine (qgate reads no DTD, so only &lt; &gt; &amp; &quot; &apos; and numeric character references work)`,
      );
    }
    this.produced = replacement;
    return k;
  }

  /** What the carried-over rest of the buffer starts, for the truncation message. */
  private describeUnfinished(): string {
    if (this.mode === IN_COMMENT) return 'a comment';
    if (this.mode === IN_CDATA) return 'a CDATA section';
    if (this.mode === IN_PI) return 'a processing instruction';
    const rest = this.buffer.slice(this.pos, this.pos + 200);
    const tag = /^<(\/?)([^\s/>]+)/.exec(rest);
    if (rest.startsWith('<!DOCTYPE')) return 'the DOCTYPE';
    if (tag !== null) return tag[1] === '/' ? `the closing tag </${tag[2] ?? ''}>` : `the tag <${tag[2] ?? ''}>`;
    return 'markup';
  }

  private outsideRoot(at: number): QgateError {
    const where = this.sawRoot ? 'there is content after the root element ends' : 'there is text before the root element';
    const text = (this.strayText ?? '').split(/[\r\n]/, 1)[0] ?? '';
    return this.malformed(at, text === '' ? where : `${where}: "${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`);
  }

  private bareAmpersand(at: number): QgateError {
    return this.malformed(at, 'an & does not start an entity or character reference (a literal & is written &amp;)');
  }

  private disallowedChar(at: number, c: number): QgateError {
    return this.malformed(at, `it contains the character ${describeChar(c)}, which XML does not allow`);
  }

  private malformed(at: number, reason: string): QgateError {
    return new QgateError('INPUT_MALFORMED', `is not well-formed XML: ${reason}.`, {
      file: this.file,
      format: this.format,
      position: this.positionOf(at),
      hint: NOT_WELL_FORMED_HINT,
    });
  }

  /** A document that stops early: the catalogue's hint, which speaks of producers killed mid-write. */
  private truncated(reason: string): QgateError {
    return new QgateError('INPUT_MALFORMED', `is not well-formed XML: ${reason}.`, {
      file: this.file,
      format: this.format,
      position: this.positionOf(this.buffer.length),
    });
  }

  /**
   * The line and column of buffer index `at`. Lines are counted as the scan passes them, so an
   * index behind the current line (or past the scanned part) takes a slower count of the buffer.
   */
  private positionOf(at: number): SourcePosition {
    const buffer = this.buffer;
    let line = this.line;
    let lineStart = this.lineStart;
    if (at < lineStart) {
      for (let k = buffer.indexOf('\n', Math.max(at, 0)); k !== -1 && k < lineStart; k = buffer.indexOf('\n', k + 1)) line -= 1;
      lineStart = at > 0 ? buffer.lastIndexOf('\n', at - 1) + 1 : 0;
    } else {
      for (let k = buffer.indexOf('\n', Math.max(this.pos, lineStart)); k !== -1 && k < at; k = buffer.indexOf('\n', k + 1)) {
        line += 1;
        lineStart = k + 1;
      }
    }
    return { line, column: at - lineStart + 1 };
  }
}

const PREDEFINED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);

/** `text` as a regular expression that matches it literally. */
function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/**
 * The internalized copy of `text`: what V8 uses as a property key, so storing it as one is
 * cheap, and never a slice that keeps a whole chunk alive.
 */
function internalize(text: string): string {
  return Object.keys({ [text]: 0 })[0] ?? text;
}

/** Sets an attribute, also one named `__proto__` (which a plain assignment would take for the prototype). */
function setAttribute(attributes: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') Object.defineProperty(attributes, name, { value, enumerable: true, writable: true, configurable: true });
  else attributes[name] = value;
}

/**
 * Whether `text` occurs in `buffer` at `k`. A short slice compared with === (a native compare)
 * is three times as fast as startsWith in Node 20; a very short text is compared in place.
 */
function isAt(buffer: string, text: string, k: number): boolean {
  const length = text.length;
  if (length > 4) return buffer.slice(k, k + length) === text;
  if (k + length > buffer.length) return false;
  for (let index = 0; index < length; index += 1) if (buffer.charCodeAt(k + index) !== text.charCodeAt(index)) return false;
  return true;
}

/**
 * The code unit at `k`, or END past the end of the buffer. Reading past the end with charCodeAt
 * gives NaN, which makes V8 throw away the optimized code of the reader at every chunk boundary.
 */
function codeAt(buffer: string, k: number): number {
  return k < buffer.length ? buffer.charCodeAt(k) : END;
}

/** NameStartChar of XML 1.0 (5th edition); any surrogate passes for the planes it allows. END is none. */
function isNameStartChar(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a;
  return isNonAsciiNameStartChar(c);
}

function isNameChar(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x3a) || c === 0x5f || c === 0x2d || c === 0x2e;
  return isNonAsciiNameStartChar(c) || c === 0xb7 || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040;
}

function isNonAsciiNameStartChar(c: number): boolean {
  return (
    (c >= 0xc0 && c <= 0xd6) ||
    (c >= 0xd8 && c <= 0xf6) ||
    (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) ||
    (c >= 0x37f && c <= 0x1fff) ||
    c === 0x200c ||
    c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xdfff) ||
    (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd)
  );
}

/** The Char production: what a character reference may name. */
function isXmlChar(code: number): boolean {
  return code === 0x09 || code === 0x0a || code === 0x0d || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

function describeChar(c: number): string {
  if (c === END) return 'the end of the file';
  const code = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return c > 0x20 && c < 0x7f ? `${String.fromCharCode(c)} (${code})` : code;
}

function normalizeLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** The root element of a document as far as the first bytes show it, for format sniffing. */
export interface XmlRootSniff {
  name: string;
  attributes: Record<string, string>;
  /** The first child element's name, when the head reaches it. */
  firstChild: string | undefined;
}

const PROLOG_ITEM = /^\s*(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE(?:[^>"'[]|"[^"]*"|'[^']*'|\[[\s\S]*?\])*>)/;
const START_TAG = /^\s*<([A-Za-z_][\w.:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/;
const ATTRIBUTE = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const FIRST_CHILD = /^(?:[^<]|<!--[\s\S]*?-->|<\?[\s\S]*?\?>)*<([A-Za-z_][\w.:-]*)/;

/** Finds the root element in the head of a file (comments, PIs and DOCTYPE skipped); undefined when there is none. */
export function sniffXmlRoot(head: string): XmlRootSniff | undefined {
  let rest = head;
  for (let match = PROLOG_ITEM.exec(rest); match !== null; match = PROLOG_ITEM.exec(rest)) {
    rest = rest.slice(match[0].length);
  }
  const root = START_TAG.exec(rest);
  if (root === null) return undefined;
  const [whole, name = '', attributeText = ''] = root;
  const attributes: Record<string, string> = {};
  for (const attribute of attributeText.matchAll(ATTRIBUTE)) {
    attributes[attribute[1] ?? ''] = attribute[2] ?? attribute[3] ?? '';
  }
  const selfClosing = attributeText.trimEnd().endsWith('/');
  const child = selfClosing ? null : FIRST_CHILD.exec(rest.slice(whole.length));
  return { name, attributes, firstChild: child?.[1] };
}
