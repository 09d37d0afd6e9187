/**
 * Bad inputs grown from good ones: fast-check arbitraries that damage a real fixture the ways
 * reports are damaged in the wild (a producer killed mid-write, a flipped bit, a merge conflict
 * that duplicated or dropped a line) and the ways a hostile merge request could shape one (markup,
 * a link to `javascript:`, `@all`, a path out of the repository, huge numbers, NUL bytes in names).
 */
import fc from 'fast-check';

/** How text is quoted in the format, so an injected name is still well-formed where it can be. */
export type Syntax = 'json' | 'xml' | 'lines';

/** The content of the secret planted outside the repository: it must never reach an output. */
export const SECRET_CONTENT = 'QGFZ-SECRET-CONTENT-5b1e0c';
/** The secret file's name, in the folder that holds the fuzzed repository. */
export const SECRET_NAME = 'qgate-fuzz-secret.txt';

/** Hostile names; `{secret}` becomes the planted secret's absolute path. */
export const HOSTILE_NAMES: readonly string[] = [
  '<script>qgfz()</script>',
  '<img src=x onerror=qgfz()>',
  '[click](javascript:qgfz())',
  '](javascript:qgfz())',
  'x](javascript:qgfz()) @all',
  '@all',
  'ping @all and @here',
  '../../etc/passwd',
  `../${SECRET_NAME}`,
  `src/../../${SECRET_NAME}`,
  '{secret}',
  '/etc/passwd',
  'C:\\Windows\\win.ini',
  '{{constructor.constructor}}',
  '__proto__',
  'a | b | c\n| --- |',
  '`code` ``` fence',
  '\u0000nul\u0000',
  '\u202eevil\u202c.ts',
  '<!-- qgate-comment -->',
  '&lt;script&gt;qgfz()&lt;/script&gt;',
  '#1 !1 ~label %milestone $1 &1',
];

/** Raw text injected at a random byte: nesting bombs, DTD tricks, stray BOMs, lone CRs, broken UTF-8. */
export const RAW_INJECTIONS: readonly string[] = [
  '['.repeat(20_000),
  '{"a":'.repeat(20_000),
  '<a>'.repeat(20_000),
  `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>`,
  '&e;',
  ']]>',
  '<![CDATA[',
  '\ufeff',
  '\r',
  '\u2028\u2029',
];

/** Raw bytes injected: broken UTF-8 (a lone surrogate, a cut sequence), a BOM mid-file. */
const RAW_BYTES: readonly number[][] = [[0xed, 0xa0, 0x80], [0xc3], [0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb, 0xbf], [0xf4, 0x90, 0x80, 0x80]];

export const HUGE_NUMBERS: readonly string[] = ['1e308', '1e23', '-1', '9007199254740993', '999999999999', '-0', '1.5', '1e-7', 'NaN', 'Infinity', '0x10', '00012'];

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'duplicate-line'; line: number }
  | { kind: 'remove-line'; line: number }
  | { kind: 'inject-raw'; at: number; text: string }
  | { kind: 'rename'; index: number; name: string }
  /** Every name field gets the name appended: the payload is sure to reach whatever is shown. */
  | { kind: 'rename-all'; name: string; replace?: boolean }
  | { kind: 'number'; index: number; value: string }
  | { kind: 'nul'; at: number }
  | { kind: 'inject-bytes'; at: number; bytes: number[] };

/** One mutation, with positions as fractions of the input so they fit any fixture. */
const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const hostile = fc.oneof(fc.constantFrom(...HOSTILE_NAMES), fc.string({ maxLength: 12 }), fc.constant('A'.repeat(70_000)));
const raw = fc.oneof(hostile, fc.constantFrom(...RAW_INJECTIONS));
const rawBytes = fc.oneof(fc.constantFrom(...RAW_BYTES), fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 1, maxLength: 8 }));

export function mutationArbitrary(options: { hostileWeight?: number } = {}): fc.Arbitrary<Mutation> {
  const weight = options.hostileWeight ?? 1;
  return fc.oneof(
    { arbitrary: fraction.map((at) => ({ kind: 'truncate', at }) as const), weight: 2 },
    { arbitrary: fc.record({ at: fraction, mask: fc.integer({ min: 1, max: 255 }) }).map((m) => ({ kind: 'flip', ...m }) as const), weight: 3 },
    { arbitrary: fraction.map((line) => ({ kind: 'duplicate-line', line }) as const), weight: 2 },
    { arbitrary: fraction.map((line) => ({ kind: 'remove-line', line }) as const), weight: 2 },
    { arbitrary: fc.record({ at: fraction, text: raw }).map((m) => ({ kind: 'inject-raw', ...m }) as const), weight: 2 },
    { arbitrary: fc.record({ index: fraction, name: hostile }).map((m) => ({ kind: 'rename', ...m }) as const), weight: 3 * weight },
    { arbitrary: fc.record({ index: fraction, value: fc.constantFrom(...HUGE_NUMBERS) }).map((m) => ({ kind: 'number', ...m }) as const), weight: 2 },
    { arbitrary: fraction.map((at) => ({ kind: 'nul', at }) as const), weight: 1 },
    { arbitrary: fc.record({ at: fraction, bytes: rawBytes }).map((m) => ({ kind: 'inject-bytes', ...m }) as const), weight: 1 },
  );
}

/** Mutations that keep the syntax intact, so the damage reaches the parser's semantics and the outputs. */
export const wellFormedMutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ index: fraction, name: hostile }).map((m) => ({ kind: 'rename', ...m }) as const), weight: 3 },
  { arbitrary: fc.record({ index: fraction, value: fc.constantFrom(...HUGE_NUMBERS) }).map((m) => ({ kind: 'number', ...m }) as const), weight: 1 },
  { arbitrary: fc.record({ name: fc.constantFrom(...HOSTILE_NAMES), replace: fc.boolean() }).map((m) => ({ kind: 'rename-all', ...m }) as const), weight: 2 },
);

/** Hostile names in every name field, with at most one other mutation: for the pipeline families, whose point is the outputs. */
export const hostileMutationsArbitrary: fc.Arbitrary<Mutation[]> = fc
  .tuple(fc.constantFrom(...HOSTILE_NAMES), fc.boolean(), fc.option(mutationArbitrary(), { freq: 2 }))
  .map(([name, replace, other]) => [{ kind: 'rename-all', name, replace } as const, ...(other === null ? [] : [other])]);

/** One to three mutations applied in order: half of the time any, half of the time only well-formed ones. */
export function mutationsArbitrary(options: { hostileWeight?: number } = {}): fc.Arbitrary<Mutation[]> {
  return fc.oneof(
    fc.array(mutationArbitrary(options), { minLength: 1, maxLength: 3 }),
    fc.array(wellFormedMutationArbitrary, { minLength: 1, maxLength: 3 }),
  );
}

function quoted(name: string, syntax: Syntax): string {
  if (syntax === 'json') return JSON.stringify(name).slice(1, -1);
  if (syntax === 'xml') return name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return name.replace(/\n/g, ' ');
}

/** Offsets of the line starts in `bytes`. */
function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (let index = bytes.indexOf(10); index !== -1; index = bytes.indexOf(10, index + 1)) starts.push(index + 1);
  return starts;
}

/** The spans a rename may replace: JSON string values / XML attribute values, or the value after `SF:`-style prefixes. */
const NAME_SPANS: Record<Syntax, RegExp> = {
  json: /"(?:name|uri|file|path|id|feature|keyword|description|mutatorName|replacement|statusReason|source|filename|message|value)"\s*:\s*"((?:[^"\\\n]|\\.)*)"/g,
  xml: /\b(?:name|classname|filename|path|file|package|message)="([^"]*)"/g,
  lines: /^(?:SF:|TN:|FN:\d+,|FNDA:\d+,|\+\+\+ b\/|--- a\/|diff --git a\/)(.*)$/gm,
};

function replaceNth(text: string, pattern: RegExp, index: number, replace: (match: RegExpExecArray) => [number, number, string]): string {
  const matches = [...text.matchAll(pattern)];
  if (matches.length === 0) return text;
  const match = matches[Math.floor(index * matches.length)]!;
  const [start, end, value] = replace(match);
  return text.slice(0, start) + value + text.slice(end);
}

export function applyMutation(bytes: Buffer, mutation: Mutation, syntax: Syntax, secretPath: string): Buffer {
  const at = (fractionOf: number): number => Math.floor(fractionOf * bytes.length);
  switch (mutation.kind) {
    case 'truncate':
      return bytes.subarray(0, at(mutation.at));
    case 'flip': {
      const copy = Buffer.from(bytes);
      if (copy.length > 0) copy[at(mutation.at)]! ^= mutation.mask;
      return copy;
    }
    case 'nul':
      return Buffer.concat([bytes.subarray(0, at(mutation.at)), Buffer.from([0]), bytes.subarray(at(mutation.at))]);
    case 'duplicate-line':
    case 'remove-line': {
      const starts = lineStarts(bytes);
      const line = Math.floor(mutation.line * starts.length);
      const start = starts[line]!;
      const end = starts[line + 1] ?? bytes.length;
      const keep = mutation.kind === 'duplicate-line' ? bytes.subarray(start, end) : Buffer.alloc(0);
      return Buffer.concat([bytes.subarray(0, start), keep, mutation.kind === 'duplicate-line' ? bytes.subarray(start) : bytes.subarray(end)]);
    }
    case 'inject-bytes':
      return Buffer.concat([bytes.subarray(0, at(mutation.at)), Buffer.from(mutation.bytes), bytes.subarray(at(mutation.at))]);
    case 'inject-raw': {
      const text = mutation.text.replace('{secret}', secretPath);
      return Buffer.concat([bytes.subarray(0, at(mutation.at)), Buffer.from(text), bytes.subarray(at(mutation.at))]);
    }
    case 'rename': {
      const name = mutation.name.replace('{secret}', secretPath);
      const text = bytes.toString('utf8');
      return Buffer.from(
        replaceNth(text, NAME_SPANS[syntax], mutation.index, (match) => {
          const value = match[1]!;
          const start = match.index + match[0].length - value.length - (syntax === 'lines' ? 0 : 1);
          return [start, start + value.length, quoted(name, syntax)];
        }),
      );
    }
    case 'rename-all': {
      const name = mutation.name.replace('{secret}', secretPath);
      if (syntax === 'lines') {
        // A path is named in several places (a diff's `diff --git`, `---` and `+++` lines): every
        // occurrence of each path is renamed alike, so the file stays consistent.
        let text = bytes.toString('utf8');
        const paths = new Set([...text.matchAll(/^(?:SF:|\+\+\+ b\/)(.+)$/gm)].map((match) => match[1]!));
        // `replace`: the path becomes the hostile name itself (`../qgate-fuzz-secret.txt`, an absolute path).
        for (const path of paths) text = text.replaceAll(path, mutation.replace === true ? quoted(name, syntax) : `${path}${quoted(name, syntax)}`);
        return Buffer.from(text);
      }
      const pattern = NAME_SPANS[syntax];
      return Buffer.from(
        bytes.toString('utf8').replace(pattern, (whole: string, value: string) => {
          const start = whole.length - value.length - 1;
          return whole.slice(0, start) + value + quoted(` ${name}`, syntax) + whole.slice(start + value.length);
        }),
      );
    }
    case 'number': {
      const text = bytes.toString('utf8');
      return Buffer.from(replaceNth(text, /(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])/g, mutation.index, (match) => [match.index, match.index + match[0].length, mutation.value]));
    }
  }
}

export function applyMutations(bytes: Buffer, mutations: readonly Mutation[], syntax: Syntax, secretPath: string): Buffer {
  return mutations.reduce((current, mutation) => applyMutation(current, mutation, syntax, secretPath), bytes);
}

/** A mutation list as a short line for failure messages (long injected text shortened). */
export function describeMutations(mutations: readonly Mutation[]): string {
  return JSON.stringify(mutations, (_key, value: unknown) => (typeof value === 'string' && value.length > 40 ? `${value.slice(0, 20)}…(${value.length} chars)` : value));
}

export type FuzzEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

/** The fixture as a Windows tool might write it, before the damage (so a cut can split a UTF-16 unit). */
export const encodingArbitrary: fc.Arbitrary<FuzzEncoding> = fc.constantFrom('utf-8', 'utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be');

export function encodeAs(bytes: Buffer, encoding: FuzzEncoding): Buffer {
  if (encoding === 'utf-8') return bytes;
  if (encoding === 'utf-8-bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
  const utf16 = Buffer.from(`\ufeff${bytes.toString('utf8')}`, 'utf16le');
  return encoding === 'utf-16le' ? utf16 : utf16.swap16();
}

const NAMING: ReadonlySet<Mutation['kind']> = new Set(['rename', 'rename-all', 'number']);

/** Names and numbers are changed in the text, then the text is encoded, then the bytes are damaged. */
export function damage(bytes: Buffer, encoding: FuzzEncoding, mutations: readonly Mutation[], syntax: Syntax, secretPath: string): Buffer {
  const named = applyMutations(bytes, mutations.filter((mutation) => NAMING.has(mutation.kind)), syntax, secretPath);
  return applyMutations(encodeAs(named, encoding), mutations.filter((mutation) => !NAMING.has(mutation.kind)), syntax, secretPath);
}
