/**
 * GitLab's own rules for a CI/CD component, for the template tests: the header keys, the input
 * keys and types, and `$[[ inputs.x ]]` interpolation as GitLab performs it on the parsed YAML
 * tree. Each rule names the GitLab source it follows (lib/gitlab/ci/config/…, see
 * /work/shared/notes/gitlab-ci-component.md, copied facts only, no GitLab code).
 */
import { parseAllDocuments } from 'yaml';

export type InputType = 'array' | 'boolean' | 'number' | 'string';
export interface InputSpec {
  type?: InputType;
  default?: unknown;
  description?: string;
  options?: unknown[];
  regex?: string;
}

/** yaml/loader.rb: at most two documents; with two, the first is the header. */
export function loadDocuments(text: string): unknown[] {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new Error('not YAML');
  if (docs.length > 2) throw new Error(`${docs.length} YAML documents; GitLab allows at most 2 (MAX_DOCUMENTS)`);
  return docs.map((doc) => {
    if (doc.errors.length > 0) throw new Error(doc.errors.map((error) => error.message).join('; '));
    return doc.toJS() as unknown;
  });
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The type GitLab gives an input: none written means string (interpolation/inputs/string_input.rb). */
const typeOf = (spec: InputSpec): InputType => spec.type ?? 'string';

function valueProblem(name: string, spec: InputSpec, value: unknown, what: string): string | null {
  const type = typeOf(spec);
  const ok =
    type === 'array' ? Array.isArray(value) : type === 'boolean' ? typeof value === 'boolean' : type === 'number' ? typeof value === 'number' : typeof value === 'string';
  if (!ok) return `\`${name}\` input: ${what} must be a ${type}`;
  if (spec.options && !spec.options.includes(value)) return `\`${name}\` input: ${what} \`${String(value)}\` cannot be used because it is not in the list of allowed options`;
  if (spec.regex !== undefined && typeof value === 'string' && !new RegExp(spec.regex).test(value)) return `\`${name}\` input: ${what} does not match required RegEx pattern`;
  return null;
}

/**
 * Problems of a header by the portable rules: only `spec` (header/root.rb), only `spec.inputs`
 * (header/spec.rb before 18.6: `component`, `include`, `description` fail older GitLab and ci.json),
 * input keys of entry/base_input.rb without `rules` (18.7), the four types, a default that
 * matches type, options and regex, at most 50 options.
 */
export function headerProblems(header: unknown): string[] {
  if (!isObject(header)) return ['the header is not a mapping'];
  const problems: string[] = [];
  for (const key of Object.keys(header)) if (key !== 'spec') problems.push(`header key \`${key}\`: only \`spec\` is allowed`);
  const spec = header.spec;
  if (!isObject(spec)) return [...problems, '`spec` is not a mapping'];
  for (const key of Object.keys(spec)) if (key !== 'inputs') problems.push(`spec key \`${key}\`: only \`inputs\` is portable (GitLab < 18.6 and ci.json reject it)`);
  const inputs = spec.inputs ?? {};
  if (!isObject(inputs)) return [...problems, '`spec.inputs` is not a mapping'];
  for (const [name, raw] of Object.entries(inputs)) {
    if (!isObject(raw ?? {})) {
      problems.push(`input \`${name}\` is not a mapping`);
      continue;
    }
    const input = (raw ?? {}) as InputSpec;
    for (const key of Object.keys(input)) if (!['default', 'description', 'options', 'regex', 'type'].includes(key)) problems.push(`input \`${name}\`: unknown key \`${key}\``);
    if (input.type !== undefined && !['array', 'boolean', 'number', 'string'].includes(input.type)) problems.push(`input \`${name}\`: unknown type \`${String(input.type)}\``);
    if (input.regex !== undefined && typeOf(input) !== 'string') problems.push(`input \`${name}\`: regex is for string inputs only`);
    if (input.options && input.options.length > 50) problems.push(`input \`${name}\`: more than 50 options`);
    if (input.default !== undefined) {
      const problem = valueProblem(name, input, input.default, 'default value');
      if (problem) problems.push(problem);
    }
  }
  return problems;
}

/** interpolation/inputs.rb: the values GitLab uses, or the errors it gives. */
export function resolveInputs(header: unknown, given: Record<string, unknown>): Record<string, unknown> {
  const specs = ((header as { spec?: { inputs?: Record<string, InputSpec | null> } }).spec?.inputs ?? {}) as Record<string, InputSpec | null>;
  const unknown = Object.keys(given).filter((name) => !(name in specs));
  if (unknown.length > 0) throw new Error(`unknown input arguments: ${unknown.join(', ')}`);
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(specs)) {
    const spec = raw ?? {};
    if (name in given) {
      const problem = valueProblem(name, spec, given[name], 'provided value');
      if (problem) problems.push(problem);
      values[name] = given[name];
    } else if (spec.default !== undefined) {
      values[name] = spec.default;
    } else {
      problems.push(`\`${name}\` input: required value has not been provided`);
    }
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return values;
}

/** Ruby's `to_s` of an input value (Array#to_s is #inspect): what a partial interpolation inserts. */
export function rubyToS(value: unknown, nested = false): string {
  if (Array.isArray(value)) return `[${value.map((item) => rubyToS(item, true)).join(', ')}]`;
  if (isObject(value)) return `{${Object.entries(value).map(([key, item]) => `${rubyToS(key, true)}=>${rubyToS(item, true)}`).join(', ')}}`;
  if (typeof value === 'string') return nested ? JSON.stringify(value) : value;
  if (value === null || value === undefined) return nested ? 'nil' : '';
  return String(value);
}

const BLOCK = /\$\[\[\s*(\S.*?\S|\S)\s*\]\]/g;

function lookUp(access: string, inputs: Record<string, unknown>): unknown {
  if (access.includes('|')) throw new Error(`interpolation functions are not used by qgate's templates: ${access}`);
  const match = /^inputs\.([\w-]+)$/.exec(access);
  if (!match || !(match[1]! in inputs)) throw new Error(`unknown interpolation key: \`${access}\``);
  return inputs[match[1]!];
}

function interpolateString(text: string, inputs: Record<string, unknown>): unknown {
  const blocks = [...text.matchAll(BLOCK)];
  if (blocks.length === 0) return text;
  // template.rb: a block that is the whole value keeps the input's type.
  if (blocks.length === 1 && blocks[0]![0] === text) return lookUp(blocks[0]![1]!, inputs);
  return text.replace(BLOCK, (_, access: string) => rubyToS(lookUp(access, inputs)));
}

/** interpolation/config.rb: keys and values; an array that is a whole list item is spliced. */
export function interpolate(node: unknown, inputs: Record<string, unknown>): unknown {
  if (typeof node === 'string') return interpolateString(node, inputs);
  if (Array.isArray(node)) {
    return node.flatMap((item) => {
      const value = interpolate(item, inputs);
      return typeof item === 'string' && Array.isArray(value) ? value : [value];
    });
  }
  if (isObject(node)) {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [rubyToS(interpolateString(key, inputs)), interpolate(value, inputs)]));
  }
  return node;
}

const GLOBAL_KEYWORDS = new Set(['default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script', 'spec']);

/**
 * entry/variable.rb: a job variable is a scalar or a hash with `value`. The older
 * AlphanumericValidator rejects booleans and the ScalarValidator arrays: strings and integers pass both.
 */
export function jobVariableProblems(body: unknown): string[] {
  if (!isObject(body)) return ['the body is not a mapping'];
  const problems: string[] = [];
  for (const [job, config] of Object.entries(body)) {
    if (GLOBAL_KEYWORDS.has(job) || !isObject(config) || !isObject(config.variables)) continue;
    for (const [name, value] of Object.entries(config.variables)) {
      const scalar = (item: unknown): boolean => typeof item === 'string' || Number.isInteger(item);
      const ok = scalar(value) || (isObject(value) && scalar(value.value));
      if (!ok) problems.push(`jobs:${job}:variables:${name}: variable definition must be either a string or a hash (got ${JSON.stringify(value)})`);
    }
  }
  return problems;
}
