/**
 * A small streaming XML reader shared by the XML formats (Cobertura, Clover, JUnit).
 *
 * It drives a visitor from `saxes` events and turns every way a document can be unusable into a
 * QgateError that names the file and the position: malformed or truncated XML (INPUT_MALFORMED),
 * a DOCTYPE internal subset (INPUT_DTD_FORBIDDEN) and absurd nesting (INPUT_TOO_DEEP).
 * Memory is bounded by the nesting depth and the longest single tag or text, never by the file size.
 */
import { SaxesParser } from 'saxes';
import { QgateError, type SourcePosition } from '../errors.js';

/** What a format parser does with the parts of a document it cares about. */
export interface XmlVisitor {
  /** Every start tag, attribute values already entity-decoded. A self-closing tag also gets `closeTag`. */
  openTag(name: string, attributes: Readonly<Record<string, string>>): void;
  closeTag?(name: string): void;
  /** Character data (CDATA included) directly inside the elements named in `textOf`; may arrive in pieces. */
  text?(text: string): void;
  /** The elements whose text the visitor wants. Text elsewhere is not even collected (it is most of a report). */
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
  const { file, format } = source;
  const maxDepth = source.maxDepth ?? DEFAULT_MAX_DEPTH;
  // `position: false` only keeps saxes from prefixing its messages; it still counts lines and columns.
  const parser = new SaxesParser({ xmlns: false, position: false } as const);
  const prolog = createPrologGuard(source);
  let depth = 0;
  let sawRoot = false;
  let lastClosed = '';
  let textDepth = 0;
  const { textOf } = visitor;
  const onText = (text: string): void => visitor.text?.(text);

  // saxes' column is zero-based and points past the character just read: that is the one-based
  // column of the character that completed the event or the error.
  const here = (): SourcePosition => ({ line: parser.line, column: Math.max(parser.column, 1) });

  parser.on('error', (error) => {
    const { reason, truncated } = describeSaxesError(error.message, { sawRoot, depth, lastClosed });
    throw new QgateError('INPUT_MALFORMED', `${file} is not well-formed XML: ${reason}.`, {
      file,
      format,
      position: here(),
      ...(truncated ? {} : { hint: NOT_WELL_FORMED_HINT }),
    });
  });
  parser.on('doctype', (doctype) => {
    // Backstop for the prolog guard: saxes never expands declared entities, but nothing inside
    // an internal subset is something a coverage or test report needs.
    if (doctype.replace(/"[^"]*"|'[^']*'/g, '').includes('[')) throw dtdForbidden(source, here());
  });
  parser.on('opentag', (tag) => {
    depth += 1;
    sawRoot = true;
    if (depth > maxDepth) {
      throw new QgateError('INPUT_TOO_DEEP', `${file} nests elements more than ${maxDepth} levels deep.`, { file, format, position: here() });
    }
    visitor.openTag(tag.name, tag.attributes);
    if (textOf !== undefined && textDepth === 0 && !tag.isSelfClosing && textOf.has(tag.name)) {
      textDepth = depth;
      parser.on('text', onText);
    }
  });
  parser.on('closetag', (tag) => {
    if (depth === textDepth) {
      textDepth = 0;
      parser.off('text');
    }
    depth -= 1;
    lastClosed = tag.name;
    visitor.closeTag?.(tag.name);
  });
  parser.on('cdata', (cdata) => {
    if (textDepth !== 0) onText(cdata);
  });

  try {
    for await (const chunk of chunks) {
      if (!prolog.done) prolog.scan(chunk);
      parser.write(chunk);
    }
    parser.close();
  } catch (error) {
    if (error instanceof QgateError && error.file === undefined) {
      throw new QgateError(error.code, error.message, { file, format, position: here(), hint: error.hint });
    }
    throw error;
  }
}

interface SaxesErrorContext {
  sawRoot: boolean;
  depth: number;
  lastClosed: string;
}

const NOT_WELL_FORMED_HINT =
  'Regenerate the report; if it stays broken, the tool that wrote it has a bug worth reporting (XML parsers reject the file, not just qgate).';

/** Rewords saxes' terse messages as the end of a sentence a CI user can act on. */
function describeSaxesError(raw: string, context: SaxesErrorContext): { reason: string; truncated: boolean } {
  const message = raw.replace(/\.$/, '');
  let match: RegExpMatchArray | null;
  if ((match = /^unclosed tag: (.+)$/.exec(message)) !== null) {
    return { reason: `the document ends before <${match[1]}> is closed, so the file looks truncated`, truncated: true };
  }
  if (message === 'unexpected end') {
    return { reason: 'the document ends in the middle of markup, so the file looks truncated', truncated: true };
  }
  if (message === 'document must contain a root element') return { reason: 'there is no root element', truncated: true };
  return { reason: describeBrokenMarkup(message, context), truncated: false };
}

function describeBrokenMarkup(message: string, context: SaxesErrorContext): string {
  let match: RegExpMatchArray | null;
  // saxes pops the open element before it notices the mismatch, so the last element reported
  // as closed is the one the stray closing tag should have matched.
  if (message === 'unexpected close tag') return `a closing tag does not match the open element <${context.lastClosed}>`;
  if ((match = /^unmatched closing tag: (.+)$/.exec(message)) !== null) return `the closing tag </${match[1]}> has no opening tag`;
  if (message === 'text data outside of root node') {
    return context.sawRoot && context.depth === 0 ? 'there is content after the root element ends' : 'there is text before the root element';
  }
  if (message === 'documents may contain only one root') return 'a second root element follows the first one';
  if (message === 'undefined entity') {
    return 'it uses an entity reference XML does not predefine (qgate reads no DTD, so only &lt; &gt; &amp; &quot; &apos; and numeric references work)';
  }
  return message;
}

function dtdForbidden(source: XmlSource, position: SourcePosition): QgateError {
  return new QgateError(
    'INPUT_DTD_FORBIDDEN',
    `${source.file} declares a DOCTYPE internal subset ([ ... ]); qgate refuses DTD declarations, whose entities can expand without bound or read other files.`,
    { file: source.file, format: source.format, position },
  );
}

interface PrologGuard {
  done: boolean;
  scan(chunk: string): void;
}

/**
 * Watches the prolog (everything before the root element) for the `[` that opens a DOCTYPE
 * internal subset, and fails as soon as it appears: saxes would otherwise buffer the whole subset
 * before reporting it, however large an attacker makes it. External DOCTYPEs (`SYSTEM "http://…"`,
 * written by istanbul, gcovr and Cobertura-java) pass: their DTD is never fetched.
 * Gives up (done) at the root element or at anything it does not recognise, which saxes then judges.
 */
function createPrologGuard(source: XmlSource): PrologGuard {
  type State = 'misc' | 'lt' | 'bang' | 'pi' | 'comment' | 'doctype';
  let state: State = 'misc';
  let bang = '';
  let quote = '';
  let previous = '';
  let beforePrevious = '';
  let line = 1;
  let column = 0;
  const guard: PrologGuard = {
    done: false,
    scan(chunk) {
      for (let index = 0; index < chunk.length && !guard.done; index += 1) {
        const char = chunk.charAt(index);
        if (char === '\n') {
          line += 1;
          column = 0;
        } else {
          column += 1;
        }
        switch (state) {
          case 'misc':
            if (char === '<') state = 'lt';
            else if (!/\s/.test(char)) guard.done = true;
            break;
          case 'lt':
            if (char === '?') state = 'pi';
            else if (char === '!') {
              state = 'bang';
              bang = '';
            } else guard.done = true;
            break;
          case 'bang':
            bang += char;
            if (bang === '--') state = 'comment';
            else if (bang === 'DOCTYPE') {
              state = 'doctype';
              quote = '';
            } else if (!'--'.startsWith(bang) && !'DOCTYPE'.startsWith(bang)) guard.done = true;
            break;
          case 'pi':
            if (char === '>' && previous === '?') state = 'misc';
            break;
          case 'comment':
            if (char === '>' && previous === '-' && beforePrevious === '-') state = 'misc';
            break;
          case 'doctype':
            if (quote !== '') {
              if (char === quote) quote = '';
            } else if (char === '"' || char === "'") quote = char;
            else if (char === '[') throw dtdForbidden(source, { line, column });
            else if (char === '>') state = 'misc';
            break;
        }
        beforePrevious = previous;
        previous = char;
      }
    },
  };
  return guard;
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
