/**
 * mutation-testing-report-schema JSON: the report StrykerJS (`json` reporter), Stryker.NET,
 * stryker4s, Infection, cargo-mutants, the PIT elements plugin and converters write
 * (https://github.com/stryker-mutator/mutation-testing-elements/tree/master/packages/report-schema).
 *
 * The document is read whole (JSON cannot be parsed in pieces without a streaming parser, and
 * real reports are at most a few MB: 1.2 MB for cargo-mutants' 1016 mutants with their
 * sources), then checked in this order, so each mistake gets the message that fits it:
 * 1. JSON syntax, with the line and column (`readJsonDocument`);
 * 2. is it a mutation report at all? A coverage map, a Cucumber array or a k6 summary passed
 *    by mistake is named as such (INPUT_UNKNOWN_FORMAT);
 * 3. `schemaVersion`: versions 1 and 2 by the schema's own pattern; anything else is refused,
 *    since a version 3 may mean something else by the same words;
 * 4. the published schema, compiled once with ajv.
 *
 * How strict step 4 is — a decision. The schema is enforced in full where qgate's figures
 * depend on it: `files`, every mutant's `id`, `mutatorName`, `location`, `status`,
 * `replacement`, `description`, and `projectRoot` (used to resolve paths). A problem there is
 * INPUT_MALFORMED naming the first few JSON paths: a mutant with an unknown status or no line
 * would silently change the score or the new-code match. Everywhere else (`thresholds`,
 * `framework`, `system`, `performance`, `testFiles`, a file's `language` and `source`, the
 * mutants' test links and timings) a problem is only a warning: qgate never reads those
 * parts, and a converter that writes no `source` or a bad `homepageUrl` still measured its
 * mutants correctly.
 *
 * Three quirks of real reports break the schema and are read on purpose, each with a warning
 * (all three occur in fixtures/mutation/stryker/, see docs/formats.md, "Mutation"):
 * - `schemaVersion` as the NUMBER 1 (Infection, pitest-mutation-testing-elements-plugin);
 * - numeric mutant ids (PIT plugin, early Stryker.NET);
 * - Stryker.NET's legacy statuses `BuildError` and `Skipped` (see `MutantStatus`).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { schema as publishedSchema } from 'mutation-testing-report-schema';
import { QgateError } from '../../errors.js';
import type { Mutant, MutantStatus, MutationReport } from '../../model/mutation.js';
import { describeJsonValue, isJsonObject, quoteKey, readJsonDocument } from '../json-document.js';
import type { MutationParser } from './parser.js';
import { plural } from '../../text/plural.js';

/** The format id used in messages and by the registry. */
export const MUTATION_FORMAT = 'mutation-testing-report';

/** What to do when a file is no mutation report at all. */
export const MUTATION_REPORT_HINT =
  'Pass the JSON report of a mutation testing tool to --mutation: StrykerJS writes reports/mutation/mutation.json with its `json` reporter; Stryker.NET, stryker4s, Infection and cargo-mutants write the same schema.';

/** What to do about a report that breaks the schema where qgate relies on it. */
const SCHEMA_HINT =
  'Regenerate the report with the mutation tool; a hand-edited or converted report must follow https://github.com/stryker-mutator/mutation-testing-elements/tree/master/packages/report-schema.';

type JsonObject = Record<string, unknown>;

/** The schema's own `schemaVersion` pattern: major 1 or 2, up to two numeric parts after it. */
const SUPPORTED_VERSION = new RegExp((publishedSchema.properties.schemaVersion as { pattern: string }).pattern);

/** Stryker.NET's names from before it adopted the schema's vocabulary (stryker-mutator/stryker-net#963). */
export const LEGACY_STATUSES: Readonly<Record<string, MutantStatus>> = { BuildError: 'CompileError', Skipped: 'Ignored' };

/** How many schema problems an error message names before "and N more". */
const PROBLEMS_SHOWN = 3;

let validator: ValidateFunction | undefined;

/**
 * The published schema, compiled once. One change: `uniqueItems` on a file's mutants is
 * checked by `findDuplicateMutant` instead, with the same meaning (deep equality) in one pass —
 * ajv compares every pair, which takes seconds on a report with tens of thousands of mutants.
 */
function schemaValidator(): ValidateFunction {
  if (validator === undefined) {
    const schema = structuredClone(publishedSchema) as unknown as JsonObject;
    const mutants = ((((schema.properties as JsonObject).files as JsonObject).additionalProperties as JsonObject).properties as JsonObject)
      .mutants as JsonObject;
    delete mutants.uniqueItems;
    // validateFormats: false — the schema's only format is `framework.branding.homepageUrl: uri`,
    // which qgate does not read; strict stays on so a schema typo would fail loudly here.
    validator = new Ajv({ allErrors: true, strict: true, validateFormats: false }).compile(schema);
  }
  return validator;
}

/** Decodes an ajv JSON pointer (`/files/src~1a.js/mutants/0`) into its segments. */
function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `$.files["src/a.js"].mutants[3].status`: the JSON path of a problem, as a reader would type it. */
export function formatJsonPath(segments: readonly string[], document: unknown): string {
  let path = '$';
  let current: unknown = document;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      path += `[${segment}]`;
      current = current[Number(segment)];
    } else {
      path += /^[A-Za-z_$][\w$]*$/.test(segment) ? `.${segment}` : `[${quoteKey(segment)}]`;
      current = isJsonObject(current) ? current[segment] : undefined;
    }
  }
  return path;
}

function valueAt(document: unknown, segments: readonly string[]): unknown {
  let current = document;
  for (const segment of segments) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isJsonObject(current) && Object.hasOwn(current, segment)) current = current[segment];
    else return undefined;
  }
  return current;
}

/** The mutant fields qgate reads; a schema problem in any of them is fatal. */
const MUTANT_FIELDS_READ = new Set(['id', 'mutatorName', 'location', 'status', 'replacement', 'description']);

/**
 * Whether a schema problem is in a part of the report qgate's figures depend on.
 * `segments` is where the problem is; `missing` the property a `required` error names.
 */
function isReliedOn(segments: readonly string[], missing: string | undefined): boolean {
  const [top, fileKey, fileField, , mutantField] = segments;
  if (top === undefined) return missing === 'files' || missing === 'schemaVersion';
  if (top === 'schemaVersion' || top === 'projectRoot') return true;
  if (top !== 'files') return false;
  if (fileKey === undefined) return true;
  if (fileField === undefined) return missing === undefined || missing === 'mutants';
  if (fileField !== 'mutants') return false;
  // The mutants array itself, a mutant that is no object or lacks a required field, or a field qgate reads.
  return mutantField === undefined || MUTANT_FIELDS_READ.has(mutantField);
}

/** "an object", "a string": JSON Schema type names for a sentence. */
function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** One schema problem in words: where, and what is wrong with the value found there. */
function describeProblem(error: ErrorObject, document: unknown): string {
  const segments = pointerSegments(error.instancePath);
  const where = formatJsonPath(segments, document);
  const value = valueAt(document, segments);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${where} has no "${String(params.missingProperty)}"`;
    case 'type':
      return `${where} is ${describeJsonValue(value)}, expected ${withArticle(String(params.type))}`;
    case 'enum':
      return `${where} is ${describeJsonValue(value)}, expected one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'minimum':
    case 'maximum':
      return `${where} is ${describeJsonValue(value)}, expected ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}`;
    default:
      return `${where} ${error.message ?? 'does not match the schema'}`;
  }
}

function summarizeProblems(problems: readonly string[]): string {
  const shown = problems.slice(0, PROBLEMS_SHOWN).join('; ');
  const more = problems.length > PROBLEMS_SHOWN ? `; and ${problems.length - PROBLEMS_SHOWN} more` : '';
  return `${shown}${more}`;
}

/** What a JSON document that is no mutation report looks like, for the message. */
function describeLookalike(root: unknown): string {
  if (Array.isArray(root)) {
    const first: unknown = root[0];
    if (isJsonObject(first) && ('elements' in first || 'uri' in first)) return 'a JSON array (this looks like a Cucumber JSON report)';
    return 'a JSON array';
  }
  if (!isJsonObject(root)) return describeJsonValue(root);
  const values = Object.values(root);
  if (values.some((value) => isJsonObject(value) && ('statementMap' in value || 'fnMap' in value))) {
    return 'an object of file coverage (this looks like an istanbul coverage-final.json; pass it with --coverage)';
  }
  if (isJsonObject(root.total) && isJsonObject(root.total.lines)) {
    return 'coverage totals (this looks like an istanbul coverage-summary.json; pass it with --coverage)';
  }
  if (isJsonObject(root.metrics)) return 'a "metrics" object (this looks like a k6 summary; pass it with --k6)';
  if ('files' in root) return 'an object whose "files" list no mutants, without "schemaVersion"';
  return 'an object with neither "schemaVersion" nor "files"';
}

/** A file entry of a report that has `mutants` (or is shaped like one), to tell a version-less report from other JSON. */
function hasMutantLists(files: unknown): boolean {
  return isJsonObject(files) && Object.values(files).some((entry) => isJsonObject(entry) && Array.isArray(entry.mutants));
}

/**
 * Deep-equality key of a JSON value: objects with their keys sorted, so two mutants the
 * schema's `uniqueItems` would call equal get the same key whatever their key order.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The schema's `uniqueItems` on a file's mutants: the first repeated mutant, as [file key, index, earlier index]. */
function findDuplicateMutant(files: JsonObject): [string, number, number] | null {
  for (const [key, entry] of Object.entries(files)) {
    const seen = new Map<string, number>();
    const mutants = (entry as { mutants: unknown[] }).mutants;
    for (let index = 0; index < mutants.length; index++) {
      const canonical = canonicalJson(mutants[index]);
      const earlier = seen.get(canonical);
      if (earlier !== undefined) return [key, index, earlier];
      seen.set(canonical, index);
    }
  }
  return null;
}


/**
 * Rewrites the three known schema-breaking quirks in place (the document is our own parse),
 * returning one warning per quirk found. Runs before validation, so the schema judges the rest.
 */
function readLegacyQuirks(root: JsonObject): string[] {
  const warnings: string[] = [];
  if (!isJsonObject(root.files)) return warnings;
  let numericIds = 0;
  const legacy = new Map<string, number>();
  for (const entry of Object.values(root.files)) {
    if (!isJsonObject(entry) || !Array.isArray(entry.mutants)) continue;
    for (const mutant of entry.mutants as unknown[]) {
      if (!isJsonObject(mutant)) continue;
      if (typeof mutant.id === 'number' && Number.isFinite(mutant.id)) {
        mutant.id = String(mutant.id);
        numericIds++;
      }
      if (typeof mutant.status === 'string' && Object.hasOwn(LEGACY_STATUSES, mutant.status)) {
        legacy.set(mutant.status, (legacy.get(mutant.status) ?? 0) + 1);
        mutant.status = LEGACY_STATUSES[mutant.status];
      }
    }
  }
  if (numericIds > 0) {
    warnings.push(`${plural(numericIds, 'mutant id is a number', 'mutant ids are numbers')}, not strings as the schema says (PIT plugin, early Stryker.NET); read as strings.`);
  }
  for (const [status, count] of legacy) {
    warnings.push(`${plural(count, 'mutant has', 'mutants have')} the legacy Stryker.NET status "${status}", read as "${LEGACY_STATUSES[status]}".`);
  }
  return warnings;
}

/** Reads the validated document into the model. */
function toReport(root: JsonObject, schemaVersion: string, warnings: string[]): MutationReport {
  const files: MutationReport['files'] = [];
  for (const [path, entry] of Object.entries(root.files as JsonObject)) {
    const mutants: Mutant[] = [];
    for (const raw of (entry as { mutants: JsonObject[] }).mutants) {
      const location = raw.location as Mutant['location'];
      mutants.push({
        id: raw.id as string,
        file: path,
        mutatorName: raw.mutatorName as string,
        replacement: typeof raw.replacement === 'string' ? raw.replacement : null,
        description: typeof raw.description === 'string' ? raw.description : null,
        status: raw.status as MutantStatus,
        location: {
          start: { line: location.start.line, column: location.start.column },
          end: { line: location.end.line, column: location.end.column },
        },
      });
    }
    files.push({ path, mutants });
  }
  if (files.length === 0) warnings.push('The report lists no mutated file: the mutation tool found nothing to mutate.');
  return { schemaVersion, files, projectRoot: typeof root.projectRoot === 'string' ? root.projectRoot : null, warnings };
}

/**
 * Checks a parsed JSON document and reads it into a `MutationReport`. Pure; throws QgateError
 * naming `file` for every way the document can be wrong. Exported for tests and callers that
 * already hold the parsed document.
 */
export function readMutationDocument(root: unknown, file: string): MutationReport {
  const format = MUTATION_FORMAT;
  const malformed = (sentence: string, hint = SCHEMA_HINT): QgateError => new QgateError('INPUT_MALFORMED', sentence, { file, format, hint });
  const notMutation = (what: string): QgateError =>
    new QgateError('INPUT_UNKNOWN_FORMAT', `holds ${what}, not a mutation testing report (an object with "schemaVersion" and "files").`, {
      file,
      format,
      hint: MUTATION_REPORT_HINT,
    });

  if (!isJsonObject(root)) throw notMutation(describeLookalike(root));
  const warnings: string[] = [];

  const version = root.schemaVersion;
  if (version === undefined) {
    if (!hasMutantLists(root.files)) throw notMutation(describeLookalike(root));
    throw malformed('has mutants but no "schemaVersion"; mutation-testing-report-schema requires it, so which version of the format this is cannot be told.');
  }
  const unsupported = (shown: string): QgateError =>
    malformed(`has schemaVersion ${shown}; qgate reads versions 1 and 2 of mutation-testing-report-schema ("1", "1.0", "1.5", "2", "2.0").`, 'Write the report with a producer of schema version 1 or 2 (every StrykerJS, Stryker.NET and stryker4s release so far), or use a qgate release that knows the newer version.');
  let schemaVersion: string;
  if (typeof version === 'number') {
    if (version !== 1 && version !== 2) throw unsupported(String(version));
    // Infection and the PIT elements plugin write the number; the schema says string.
    schemaVersion = String(version);
    root.schemaVersion = schemaVersion;
    warnings.push(`schemaVersion is the number ${version}, not the string "${version}" the schema asks for (Infection, PIT plugin); read as "${version}".`);
  } else if (typeof version === 'string') {
    if (!SUPPORTED_VERSION.test(version)) throw unsupported(JSON.stringify(version.length > 40 ? `${version.slice(0, 37)}...` : version));
    schemaVersion = version;
  } else {
    throw malformed(`has schemaVersion ${describeJsonValue(version)}; expected a version string such as "1.0".`);
  }

  warnings.push(...readLegacyQuirks(root));

  const validate = schemaValidator();
  if (!validate(root)) {
    const fatal: string[] = [];
    const tolerated: string[] = [];
    for (const error of validate.errors ?? []) {
      const segments = pointerSegments(error.instancePath);
      const missing = error.keyword === 'required' ? String((error.params as { missingProperty: unknown }).missingProperty) : undefined;
      (isReliedOn(segments, missing) ? fatal : tolerated).push(describeProblem(error, root));
    }
    if (fatal.length > 0) {
      throw malformed(`does not follow mutation-testing-report-schema (${plural(fatal.length, 'problem')} in the mutants qgate counts): ${summarizeProblems(fatal)}.`);
    }
    if (tolerated.length > 0) {
      warnings.push(`${plural(tolerated.length, 'part', 'parts')} that qgate does not use ${tolerated.length === 1 ? 'does' : 'do'} not follow the schema (ignored): ${summarizeProblems(tolerated)}.`);
    }
  }

  const duplicate = findDuplicateMutant(root.files as JsonObject);
  if (duplicate !== null) {
    const [key, index, earlier] = duplicate;
    throw malformed(
      `lists the same mutant twice: ${formatJsonPath(['files', key, 'mutants', String(index)], root)} repeats mutants[${earlier}] (the schema requires unique mutants; counting both would skew the score).`,
    );
  }

  return toReport(root, schemaVersion, warnings);
}

async function parseStrykerReport(chunks: AsyncIterable<string>, file: string): Promise<MutationReport> {
  const root = await readJsonDocument(chunks, file, MUTATION_FORMAT);
  return readMutationDocument(root, file);
}

/**
 * Sniffing by content: a JSON object naming the schema's keys in its first bytes. StrykerJS 9
 * writes `files` first, so `schemaVersion` may come last; a mutant's `mutatorName` then shows.
 */
function sniffStrykerReport(head: string): boolean {
  const text = head.trimStart();
  return text.startsWith('{') && /"(?:schemaVersion|mutatorName)"\s*:/.test(text);
}

export const strykerReportParser: MutationParser = {
  format: MUTATION_FORMAT,
  label: 'mutation-testing-report-schema JSON',
  sniff: sniffStrykerReport,
  parse: parseStrykerReport,
};
