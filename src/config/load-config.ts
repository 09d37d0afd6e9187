/**
 * Loading the configuration: the project's `.qgate.yml` on top of a chain of presets read
 * from qgate's own top-level `gates/` folder, each file parsed with positions, validated
 * against the schema with every problem collected, then merged.
 *
 * Merge rule: mappings merge key by key; lists and single values REPLACE. A project that
 * lists `sources` means exactly those globs; appending to a preset's list would leave no
 * way to remove an entry, and a list that silently grows under you is harder to read.
 *
 * Everything but {@link loadConfig} and {@link findPresetsDir} is pure (text in, data or a
 * {@link QgateError} out), so the rules are tested without touching the disk.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import { formatLocation, QgateError, type SourcePosition } from '../errors.js';
import { COMPLETE_CONFIG_SCHEMA, CONFIG_AJV_OPTIONS, CONFIG_FILE_SCHEMA, KNOWN_KEYS } from './schema.js';
import type { QgateConfig } from './types.js';
import { suggestName } from '../text/suggest-name.js';

/** Re-exported for callers that imported it from here; new code imports src/text/suggest-name.ts. */
export { suggestName };

/** The project config files looked for in `cwd`, in this order, when no `--config` is given. */
export const PROJECT_CONFIG_NAMES = ['.qgate.yml', '.qgate.yaml'] as const;

/** The preset every chain ends on when nothing else is named. */
export const DEFAULT_PRESET = 'default';

/**
 * What a preset name may look like. It is also a file name in the presets folder, so this
 * is what keeps `--preset ../../etc/passwd` from reading anything outside that folder.
 */
export const PRESET_NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** A config file is a few hundred bytes; anything past this is not one. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * How many YAML aliases (`*name`) a file may expand. This is the `yaml` package's own
 * default, written out so it stays put: it is what stops a "billion laughs" file, whose
 * nested aliases would expand to gigabytes.
 */
export const MAX_ALIAS_COUNT = 100;

export interface LoadConfigOptions {
  /** The directory `.qgate.yml` is looked up in and `configPath` is relative to (the repository root). */
  cwd: string;
  /** `--config`: a file that must exist. Without it `.qgate.yml`, then `.qgate.yaml`, are used when present. */
  configPath?: string;
  /** `--preset`: the preset to build on; it overrides the file's `extends`. */
  preset?: string;
  /** Where presets are read from. qgate's own `gates/` folder when absent; tests point it elsewhere. */
  presetsDir?: string;
}

export interface LoadedConfig {
  config: QgateConfig;
  /** Absolute paths of the YAML files read, in merge order: the base preset first, the project's file last. */
  files: string[];
}

/** A segment of a key path: a mapping key, or a list index. */
export type KeyPathSegment = string | number;

/** One parsed config file. */
export interface ConfigLayer {
  /** The file as messages name it: `--config` as given, `.qgate.yml`, or a preset's absolute path. */
  file: string;
  /** The absolute path. */
  path: string;
  /** The file's content as plain data; `{}` for an empty file. */
  data: Record<string, unknown>;
  /** Where a key path is written in this file (the key, or the list item), or its nearest written ancestor. */
  locate(path: readonly KeyPathSegment[]): SourcePosition | undefined;
}

/** One thing wrong with a config file, reported with all the others. */
export interface ConfigProblem {
  file: string;
  position?: SourcePosition;
  /** The key the problem is about, e.g. `gates.new_code_coverage.min`; `''` for the file as a whole. */
  keyPath: string;
  /** What is wrong, as a sentence fragment that follows the key path. */
  message: string;
}

type PresetOrigin = { via: 'cli' } | { via: 'default' } | { via: 'extends'; file: string; position?: SourcePosition };

// ---------------------------------------------------------------------------------------
// Entry point (the only part that reads the disk).
// ---------------------------------------------------------------------------------------

/**
 * Reads, validates and merges the configuration. Throws a {@link QgateError}:
 * CONFIG_NOT_FOUND (the `--config` file is missing), CONFIG_YAML (not YAML),
 * CONFIG_INVALID (every schema problem at once, or a preset cycle), PRESET_UNKNOWN.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const presetsDir = options.presetsDir ?? (await findPresetsDir());
  const project = await readProjectLayer(options);

  const extendsValue = project?.data['extends'];
  let presetName = DEFAULT_PRESET;
  let origin: PresetOrigin = { via: 'default' };
  if (options.preset !== undefined) {
    presetName = options.preset;
    origin = { via: 'cli' };
  } else if (project !== undefined && typeof extendsValue === 'string') {
    presetName = extendsValue;
    origin = { via: 'extends', file: project.file, position: project.locate(['extends']) };
  }

  const presets = await readPresetChain(presetName, origin, presetsDir);
  const layers = project === undefined ? presets : [...presets, project];
  return { config: resolveConfig(layers, presetName), files: layers.map((layer) => layer.path) };
}

/**
 * The `gates/` folder shipped with qgate: the first `gates/default.yml` found going up from
 * this module, which finds the package root both from `src/config/` (tests) and from
 * `dist/config/` (the built package).
 */
export async function findPresetsDir(from: string = dirname(fileURLToPath(import.meta.url))): Promise<string> {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'gates');
    if (await isFile(join(candidate, `${DEFAULT_PRESET}.yml`))) return candidate;
    if (dirname(dir) === dir) {
      throw new QgateError('PRESET_UNKNOWN', `qgate's gates/ folder (with ${DEFAULT_PRESET}.yml) was not found above ${from}.`, {
        hint: 'Reinstall qgate: its package is incomplete.',
      });
    }
  }
}

/** Files in gates/ that are data of another kind, not gate presets. */
const NOT_PRESETS = new Set(['scorecard']);

/** The names of the presets in a folder (`strict` for `strict.yml`), sorted. */
export async function listPresets(presetsDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(presetsDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new QgateError('PRESET_UNKNOWN', `the presets folder ${presetsDir} cannot be read (${code}).`, {
      hint: 'Reinstall qgate: its package is incomplete.',
    });
  }
  return names
    .filter((name) => name.endsWith('.yml'))
    .map((name) => name.slice(0, -'.yml'.length))
    .filter((name) => PRESET_NAME_PATTERN.test(name) && !NOT_PRESETS.has(name))
    .sort();
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function readProjectLayer(options: LoadConfigOptions): Promise<ConfigLayer | undefined> {
  let file: string;
  if (options.configPath !== undefined) {
    file = options.configPath;
  } else {
    const present: string[] = [];
    for (const name of PROJECT_CONFIG_NAMES) {
      if (await exists(resolve(options.cwd, name))) present.push(name);
    }
    if (present.length > 1) {
      throw new QgateError(
        'CONFIG_INVALID',
        `both ${present.join(' and ')} exist; qgate reads only one config file and would silently ignore the other.`,
        { file: present[1], hint: `Merge the two files into ${PROJECT_CONFIG_NAMES[0]} and delete the other.` },
      );
    }
    if (present[0] === undefined) return undefined;
    file = present[0];
  }
  const path = resolve(options.cwd, file);
  const { layer, problems } = parseConfigLayer(await readConfigText(path, file), file, path);
  if (problems.length > 0) throw new QgateError('CONFIG_INVALID', formatConfigProblems(problems));
  return layer;
}

/** Reads presets from the named one down its `extends` chain; returns them base first. */
async function readPresetChain(name: string, origin: PresetOrigin, presetsDir: string): Promise<ConfigLayer[]> {
  const available = await listPresets(presetsDir);
  const chain: ConfigLayer[] = [];
  const seen: string[] = [];
  for (let next: string | undefined = name; next !== undefined; ) {
    if (seen.includes(next)) {
      const closing = chain[chain.length - 1];
      throw new QgateError(
        'CONFIG_INVALID',
        formatConfigProblems([
          {
            file: closing?.file ?? presetsDir,
            position: closing?.locate(['extends']),
            keyPath: 'extends',
            message: `presets extend each other in a cycle: ${[...seen, next].join(' → ')}.`,
          },
        ]),
        { hint: PRESET_BUG_HINT },
      );
    }
    seen.push(next);
    if (!PRESET_NAME_PATTERN.test(next) || !available.includes(next)) throw unknownPresetError(next, available, origin);

    const path = join(presetsDir, `${next}.yml`);
    const { layer, problems } = parseConfigLayer(await readConfigText(path, path), path, path);
    if (problems.length > 0) {
      throw new QgateError('CONFIG_INVALID', formatConfigProblems(problems), { hint: PRESET_BUG_HINT });
    }
    chain.push(layer);
    const parent = layer.data['extends'];
    next = typeof parent === 'string' ? parent : undefined;
    origin = { via: 'extends', file: layer.file, position: layer.locate(['extends']) };
  }
  return chain.reverse();
}

const PRESET_BUG_HINT = 'Presets ship with qgate, so this is a qgate bug: please report it, and use another preset meanwhile.';

function unknownPresetError(name: string, available: readonly string[], origin: PresetOrigin): QgateError {
  const quoted = name === '' ? 'an empty name' : `\`${truncate(name)}\``;
  const problem = PRESET_NAME_PATTERN.test(name)
    ? `there is no preset ${quoted}.`
    : `${quoted} is not a preset name: presets are named with lowercase letters, digits and hyphens, and are read only from qgate's own gates/ folder.`;
  const suggestion = suggestName(name.replace(/\.ya?ml$/i, ''), available);
  const message = [
    origin.via === 'cli' ? `--preset: ${problem}` : origin.via === 'extends' ? `extends: ${problem}` : problem,
    suggestion === undefined ? '' : ` Did you mean \`${suggestion}\`?`,
    ` The presets are ${available.map((preset) => `\`${preset}\``).join(', ')}.`,
  ].join('');
  return origin.via === 'extends'
    ? new QgateError('PRESET_UNKNOWN', message, { file: origin.file, position: origin.position })
    : new QgateError('PRESET_UNKNOWN', message);
}

async function readConfigText(path: string, file: string): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new QgateError('CONFIG_NOT_FOUND', 'is a directory, not a config file.', { file });
    if (info.size > MAX_CONFIG_BYTES) {
      throw new QgateError(
        'CONFIG_INVALID',
        `is ${info.size} bytes long; a qgate config file is a few hundred bytes and at most ${MAX_CONFIG_BYTES}.`,
        { file, hint: 'Point --config at the qgate configuration file.' },
      );
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof QgateError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new QgateError('CONFIG_NOT_FOUND', 'does not exist.', { file });
    throw new QgateError('CONFIG_NOT_FOUND', `cannot be read (${code ?? 'unknown error'}).`, {
      file,
      hint: 'Check the file permissions.',
    });
  }
}

// ---------------------------------------------------------------------------------------
// Parsing one file (pure).
// ---------------------------------------------------------------------------------------

const YAML_MAP_TAG = 'tag:yaml.org,2002:map';
const YAML_SEQ_TAG = 'tag:yaml.org,2002:seq';

/**
 * Parses one config file and checks it against the schema. Throws CONFIG_YAML when the
 * text is not YAML (syntax, duplicate key, unknown tag, alias bomb); returns every other
 * problem, so the caller can report them all at once.
 *
 * @param file the name messages use; @param path the absolute path (defaults to `file`).
 */
export function parseConfigLayer(text: string, file: string, path: string = file): { layer: ConfigLayer; problems: ConfigProblem[] } {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    // uniqueKeys is checked below, where the key path and both lines can be named.
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  } catch (error) {
    throw new QgateError('CONFIG_YAML', `cannot be parsed as YAML: ${errorMessage(error)}`, { file });
  }
  const positionAt = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(line, 1), column: col };
  };

  // Warnings too: an unknown tag (`!reference`, `!!js/function`) is never meant in a qgate config.
  const yamlErrors = [...doc.errors, ...doc.warnings];
  const firstYamlError = yamlErrors[0];
  if (firstYamlError !== undefined) {
    const rest = yamlErrors.slice(1).map((error) => {
      const { line, column } = positionAt(error.pos[0]);
      return `\n  also at ${line}:${column}: ${describeYamlError(error)}`;
    });
    throw new QgateError('CONFIG_YAML', `is not valid YAML: ${describeYamlError(firstYamlError)}${rest.join('')}`, {
      file,
      position: positionAt(firstYamlError.pos[0]),
    });
  }

  const locate = (segments: readonly KeyPathSegment[]): SourcePosition | undefined =>
    locateInDocument(doc, segments, positionAt);
  const { duplicate, problems } = inspectTree(doc, file, positionAt);
  if (duplicate !== undefined) {
    throw new QgateError('CONFIG_YAML', duplicate.message, { file, position: duplicate.position });
  }
  const empty: Record<string, unknown> = {};
  // A file with odd keys or tagged values is not turned into data at all (a list used as
  // a key would be stringified, with a warning from the yaml package); those problems
  // are reported on their own.
  if (problems.length > 0) return { layer: { file, path, data: empty, locate }, problems: sortProblems(problems) };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = errorMessage(error);
    throw new QgateError(
      'CONFIG_YAML',
      /alias count/i.test(message)
        ? `expands YAML aliases (\`*name\`) more than ${MAX_ALIAS_COUNT} times; qgate stops there, because nested aliases can expand to gigabytes (a "billion laughs" file).`
        : `cannot be read as YAML: ${sentence(message)}`,
      { file },
    );
  }

  if (value === null || value === undefined) return { layer: { file, path, data: empty, locate }, problems };
  if (!isPlainMapping(value)) {
    problems.push({
      file,
      position: locate([]),
      keyPath: '',
      message: `the file must be a mapping of keys such as \`gates:\`, but it is ${describeValue(value)}.`,
    });
    return { layer: { file, path, data: empty, locate }, problems };
  }

  const layer: ConfigLayer = { file, path, data: value, locate };
  const schemaProblems = validateData(fileValidator(), value, { file, layer, missing: 'is required here.' });
  return { layer, problems: sortProblems(schemaProblems) };
}

/** The yaml package's message, reworded where it speaks to programmers rather than users. */
function describeYamlError(error: YAMLError): string {
  switch (error.code) {
    case 'MULTIPLE_DOCS':
      return 'the file holds more than one YAML document (a second `---` line); a qgate config is one document.';
    case 'TAG_RESOLVE_FAILED': {
      const tag = /tag: (.*)$/.exec(error.message)?.[1] ?? '';
      return `the tag \`${shortTag(tag.trim())}\` is not supported: a qgate config uses plain YAML values only.`;
    }
    default:
      return sentence(error.message);
  }
}

/**
 * Walks the YAML tree for what the schema cannot see: a key written twice (the first one
 * found is returned), keys that are not plain names, and values a tag turned into
 * something other than text, numbers, booleans, lists and mappings (`!!binary`, `!!set`).
 * Iterative, so a deeply nested file cannot overflow the stack.
 */
function inspectTree(
  doc: Document.Parsed,
  file: string,
  positionAt: (offset: number) => SourcePosition,
): { duplicate?: { message: string; position?: SourcePosition }; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const at = (node: unknown): SourcePosition | undefined => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range === undefined ? undefined : positionAt(range[0]);
  };
  // Each entry carries where its key (or list item) is written: problems point there.
  const pending: [unknown, KeyPathSegment[], SourcePosition | undefined][] = [[doc.contents, [], at(doc.contents)]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, path, written] = next;
    const keyPath = formatKeyPath(path);
    const where = written ?? at(node);
    if (isMap(node)) {
      if (node.tag !== undefined && node.tag !== YAML_MAP_TAG) {
        problems.push({ file, position: where, keyPath, message: `the tag \`${shortTag(node.tag)}\` is not allowed here; write a plain mapping.` });
        continue;
      }
      const seen = new Map<string, SourcePosition | undefined>();
      for (const pair of node.items) {
        const key = pair.key;
        if (!isScalar(key) || !['string', 'number', 'boolean'].includes(typeof key.value)) {
          problems.push({
            file,
            position: at(key) ?? where,
            keyPath,
            message: 'has a key that is not a plain name (a list, mapping or empty key); write keys as plain words.',
          });
          continue;
        }
        const name = String(key.value);
        const first = seen.get(name);
        if (seen.has(name)) {
          const where = first === undefined ? '' : ` (first on line ${first.line})`;
          return {
            duplicate: {
              message: `${formatKeyPath([...path, name])} is written twice in the same mapping${where}; YAML keys must be unique, so keep one.`,
              position: at(key),
            },
            problems,
          };
        }
        seen.set(name, at(key));
        pending.push([pair.value, [...path, name], at(key)]);
      }
    } else if (isSeq(node)) {
      if (node.tag !== undefined && node.tag !== YAML_SEQ_TAG) {
        problems.push({ file, position: where, keyPath, message: `the tag \`${shortTag(node.tag)}\` is not allowed here; write a plain list.` });
        continue;
      }
      node.items.forEach((item, index) => pending.push([item, [...path, index], at(item)]));
    } else if (isScalar(node)) {
      const value: unknown = node.value;
      if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
        problems.push({
          file,
          position: where,
          keyPath,
          message: `is ${describeValue(value)}, made by the tag \`${shortTag(node.tag ?? '?')}\`; a qgate config holds only text, numbers, true/false, lists and mappings.`,
        });
      }
    } else if (!isAlias(node) && node !== null && node !== undefined) {
      problems.push({ file, position: where, keyPath, message: 'is not a YAML value qgate understands.' });
    }
  }
  return { problems };
}

/** `!!binary` for `tag:yaml.org,2002:binary`, as the user wrote it. */
function shortTag(tag: string): string {
  return tag.replace(/^tag:yaml\.org,2002:/, '!!');
}

/** The position of a key path in a parsed YAML document: the deepest part of it that exists. */
export function locateInDocument(
  doc: Document.Parsed,
  segments: readonly KeyPathSegment[],
  positionAt: (offset: number) => SourcePosition,
): SourcePosition | undefined {
  let node: unknown = doc.contents;
  const rangeOf = (value: unknown): [number, number, number] | undefined =>
    (value as { range?: [number, number, number] } | null)?.range;
  const start = rangeOf(node);
  let found = start === undefined ? undefined : positionAt(start[0]);
  for (const segment of segments) {
    let range: [number, number, number] | undefined;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) break;
      range = rangeOf(pair.key);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      range = rangeOf(node);
    } else {
      break;
    }
    if (range === undefined) break;
    found = positionAt(range[0]);
  }
  return found;
}

// ---------------------------------------------------------------------------------------
// Validation and problem messages (pure).
// ---------------------------------------------------------------------------------------

type Validators = { file: ValidateFunction; complete: ValidateFunction };

/**
 * The validators compiled at build time (scripts/build-validators.mjs writes them beside this
 * module in dist/), else compiled here with the same options. Loading ajv's compiler and
 * generating the code costs about 120 ms a run; the generated module, a few.
 */
export async function loadConfigValidators(preferGenerated = true): Promise<Validators> {
  if (preferGenerated) {
    const generated = './config-validators.generated.js';
    try {
      const module = (await import(generated)) as Validators;
      return { file: module.file, complete: module.complete };
    } catch (error) {
      // Not built (tests run from src/): compile below. A broken generated module is a bug, not a fallback.
      if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    }
  }
  const { Ajv } = await import('ajv');
  const ajv = new Ajv(CONFIG_AJV_OPTIONS);
  return { file: ajv.compile(CONFIG_FILE_SCHEMA), complete: ajv.compile(COMPLETE_CONFIG_SCHEMA) };
}

const validators = await loadConfigValidators();
const fileValidator = (): ValidateFunction => validators.file;
const completeValidator = (): ValidateFunction => validators.complete;

/** Whom a problem is reported against: one file with positions, or the merged result. */
interface ProblemContext {
  file: string;
  layer?: ConfigLayer;
  /** What a missing required key is told. */
  missing: string;
}

function validateData(validate: ValidateFunction, data: unknown, context: ProblemContext): ConfigProblem[] {
  if (validate(data)) return [];
  const problems: ConfigProblem[] = [];
  const keys = new Set<string>();
  for (const error of validate.errors ?? []) {
    const problem = describeSchemaError(error, data, context);
    const key = `${problem.keyPath}\u0000${problem.message}`;
    if (!keys.has(key)) {
      keys.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function describeSchemaError(error: ErrorObject, data: unknown, context: ProblemContext): ConfigProblem {
  const path = pointerToPath(error.instancePath, data);
  const value = valueAt(data, path);
  const params = error.params as Record<string, unknown>;
  const problem = (segments: readonly KeyPathSegment[], message: string): ConfigProblem => ({
    file: context.file,
    position: context.layer?.locate(segments),
    keyPath: formatKeyPath(segments),
    message,
  });

  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      return problem([...path, key], unknownKeyMessage(path, key));
    }
    case 'required': {
      const key = String(params['missingProperty']);
      return problem([...path, key], context.missing);
    }
    case 'type': {
      const expected = ([] as unknown[]).concat(params['type']).map(String);
      return problem(path, `expected ${expected.map(typeName).join(' or ')}, got ${describeValue(value)}${typeHint(expected, value)}.`);
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map(String);
      const suggestion = typeof value === 'string' ? suggestName(value, allowed) : undefined;
      const tail = suggestion === undefined ? '' : `; did you mean \`${suggestion}\`?`;
      return problem(path, `must be one of ${allowed.map((item) => `\`${item}\``).join(', ')}; got ${describeValue(value)}${tail || '.'}`);
    }
    case 'minimum':
      return problem(path, `must be at least ${String(params['limit'])}; got ${describeValue(value)}.`);
    case 'maximum':
      return problem(path, `must be at most ${String(params['limit'])}; got ${describeValue(value)}.`);
    case 'minLength':
      return problem(path, 'must not be empty.');
    default:
      return problem(path, `${error.message ?? 'is not valid'} (schema rule ${error.schemaPath}).`);
  }
}

function unknownKeyMessage(parent: readonly KeyPathSegment[], key: string): string {
  const known = KNOWN_KEYS[normalizeKeyPath(parent)] ?? [];
  const suggestion = suggestName(key, known);
  if (suggestion !== undefined) return `unknown key; did you mean \`${suggestion}\`?`;
  const home = Object.entries(KNOWN_KEYS).find(([, keys]) => keys.includes(key))?.[0];
  if (home !== undefined) {
    return `unknown key here; \`${key}\` belongs ${home === '' ? 'at the top level' : `under \`${home.replace(/\[\]$/, '')}\``}.`;
  }
  return known.length === 0
    ? 'unknown key.'
    : `unknown key; the keys allowed here are ${known.map((name) => `\`${name}\``).join(', ')}.`;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping (indented `key: value` lines)',
  array: 'a list',
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: '`true` or `false`',
  null: '`null`',
};

function typeName(type: string): string {
  return TYPE_NAMES[type] ?? type;
}

function typeHint(expected: readonly string[], value: unknown): string {
  if (typeof value !== 'string') return '';
  if (expected.includes('boolean') && /^(y|yes|n|no|on|off)$/i.test(value.trim())) {
    return ` (YAML 1.2 reads \`${truncate(value)}\` as text: write \`true\` or \`false\`)`;
  }
  if (expected.includes('number')) {
    if (/^\s*-?\d+(\.\d+)?\s*%\s*$/.test(value)) return ' (write the number without the % sign)';
    if (/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return ' (write the number without quotes)';
  }
  return '';
}

/** How a value is shown in a message: its kind, and the value itself when it is short. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (typeof value === 'string') return `the text ${JSON.stringify(truncate(value))}`;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '`.nan` (not a number)';
    if (!Number.isFinite(value)) return `\`${value > 0 ? '.inf' : '-.inf'}\` (infinity)`;
    return `the number ${value}`;
  }
  if (typeof value === 'boolean') return `\`${value}\``;
  if (Array.isArray(value)) return 'a list';
  if (isPlainMapping(value)) return 'a mapping';
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name === undefined ? 'an object' : `a ${name} object`;
}

function truncate(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `gates.new_code_coverage.min`, `coverage.reports[0].path`; keys that are not plain names are quoted. */
export function formatKeyPath(path: readonly KeyPathSegment[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const plain = /^[A-Za-z0-9_-]+$/.test(segment) ? segment : JSON.stringify(segment);
      return index === 0 ? plain : `.${plain}`;
    })
    .join('');
}

/** The key path with list indices as `[]`, as {@link KNOWN_KEYS} is keyed. */
function normalizeKeyPath(path: readonly KeyPathSegment[]): string {
  return formatKeyPath(path.map((segment) => (typeof segment === 'number' ? -1 : segment))).replace(/\[-1\]/g, '[]');
}

/** Turns ajv's JSON pointer (`/coverage/reports/0`) into segments, with list indices as numbers. */
function pointerToPath(pointer: string, data: unknown): KeyPathSegment[] {
  if (pointer === '') return [];
  const path: KeyPathSegment[] = [];
  let current = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment: KeyPathSegment = Array.isArray(current) && /^\d+$/.test(key) ? Number(key) : key;
    path.push(segment);
    current = valueAt(current, [segment]);
  }
  return path;
}

function valueAt(data: unknown, path: readonly KeyPathSegment[]): unknown {
  let current = data;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isPlainMapping(current) && Object.hasOwn(current, segment)) current = current[String(segment)];
    else return undefined;
  }
  return current;
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort(
    (a, b) => (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.column ?? 0) - (b.position?.column ?? 0),
  );
}

/** One problem as `file:line:col: key.path: message`. */
export function formatConfigProblem(problem: ConfigProblem): string {
  const where = formatLocation(problem.file, problem.position);
  return problem.keyPath === '' ? `${where}: ${problem.message}` : `${where}: ${problem.keyPath}: ${problem.message}`;
}

/** The message of a CONFIG_INVALID error: a count, then one problem per line. */
export function formatConfigProblems(problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return [`The configuration has ${count}:`, ...problems.map((problem) => `  ${formatConfigProblem(problem)}`)].join('\n');
}

function sentence(message: string): string {
  const trimmed = message.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------
// Merging (pure).
// ---------------------------------------------------------------------------------------

function isPlainMapping(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * `override` on top of `base`: mappings merge key by key, lists and single values
 * replace. Returns new objects; neither argument is changed.
 */
export function mergeConfigData(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  const put = (key: string, value: unknown): void => {
    // defineProperty, not assignment: a `__proto__` key must stay a plain key.
    Object.defineProperty(merged, key, { value, enumerable: true, writable: true, configurable: true });
  };
  for (const [key, value] of Object.entries(base)) put(key, value);
  for (const [key, value] of Object.entries(override)) {
    const current = Object.hasOwn(merged, key) ? merged[key] : undefined;
    put(key, isPlainMapping(current) && isPlainMapping(value) ? mergeConfigData(current, value) : value);
  }
  return merged;
}

/**
 * Merges layers (base preset first, the project's file last) into the final config and
 * checks that every key is set. A missing key means a preset lacks a default.
 *
 * @param preset the name recorded as {@link QgateConfig.preset}.
 */
export function resolveConfig(layers: readonly ConfigLayer[], preset: string): QgateConfig {
  let merged: Record<string, unknown> = {};
  for (const layer of layers) merged = mergeConfigData(merged, layer.data);
  delete merged['extends'];

  // Every layer passed the file schema, so the only way to fail here is a key no file sets:
  // reported against the base preset, whose job it is to set every default.
  const base = layers[0];
  const basePreset = base === undefined ? preset : basename(base.path).replace(/\.ya?ml$/, '');
  const problems = validateData(completeValidator(), merged, {
    file: base?.file ?? 'the merged configuration',
    missing: `is set by no file; the preset \`${basePreset}\` must give it a default.`,
  });
  if (problems.length > 0) throw new QgateError('CONFIG_INVALID', formatConfigProblems(problems), { hint: PRESET_BUG_HINT });

  const settings = structuredClone(merged) as Omit<QgateConfig, 'preset'>;
  return { preset, ...settings };
}
