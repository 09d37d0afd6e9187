/**
 * Loading `gates/scorecard.yml` (or `--rubric FILE`): parsed with positions, checked against a
 * JSON Schema and then against the rules a schema says badly (which bars a check type takes,
 * unique ids), every problem collected and reported together as `file:line:col: key: message`
 * with a did-you-mean for unknown keys, like `.qgate.yml`.
 */
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { describeValue, formatConfigProblems, formatKeyPath, locateInDocument, suggestName, type ConfigProblem, type KeyPathSegment } from '../config/load-config.js';
import { QgateError, type SourcePosition } from '../errors.js';
import { CHECK_TYPES, type CheckType, type Rubric } from './model.js';

const ID_PATTERN = '^[a-z0-9][a-z0-9_-]*$';

/** The bars each check type takes, and whether each is required. */
export const CHECK_BARS: Readonly<Record<CheckType, Readonly<Record<string, 'required' | 'optional'>>>> = {
  qgate_runs: { maxAgeDays: 'optional' },
  new_code_gate: { minThreshold: 'optional' },
  overall_coverage: { min: 'required' },
  e2e: { minScenarios: 'optional' },
  performance: {},
  mutation: { min: 'required' },
  readme: { minBytes: 'required' },
  adr: { minFiles: 'optional' },
  codeowners: {},
  protected_branch: { minApprovals: 'optional' },
  branch_naming: { pattern: 'required', minShare: 'optional' },
  release_cadence: { minReleases: 'optional', days: 'optional' },
  pipeline_health: { minSuccessRate: 'required', maxHoursToGreen: 'optional' },
  deployments: {},
  feature_flags: { minFlags: 'optional' },
  readme_fresh: { maxAgeDays: 'required' },
  monitoring: {},
};

const percent = { type: 'number', minimum: 0, maximum: 100 } as const;
const count = { type: 'integer', minimum: 0 } as const;

const CHECK_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'type', 'rationale'],
  properties: {
    id: { type: 'string', pattern: ID_PATTERN },
    type: { enum: CHECK_TYPES },
    rationale: { type: 'string', minLength: 1 },
    min: percent,
    minThreshold: percent,
    minScenarios: count,
    minBytes: count,
    minFiles: count,
    maxAgeDays: { type: ['integer', 'null'], minimum: 0 },
    minApprovals: count,
    pattern: { type: 'string', minLength: 1 },
    minShare: percent,
    minSuccessRate: percent,
    maxHoursToGreen: { type: 'number', minimum: 0 },
    minReleases: count,
    days: { type: 'integer', minimum: 1, maximum: 3650 },
    minFlags: count,
  },
} as const;

export const RUBRIC_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['levels'],
  properties: {
    source: {
      type: 'object',
      additionalProperties: false,
      properties: {
        job: { type: 'string', minLength: 1 },
        artifactPath: { type: 'string', minLength: 1 },
        pipelines: { type: 'integer', minimum: 1, maximum: 100 },
        mergeRequests: { type: 'integer', minimum: 0, maximum: 100 },
      },
    },
    trend: {
      type: 'object',
      additionalProperties: false,
      properties: { results: { type: 'integer', minimum: 1, maximum: 100 } },
    },
    projects: {
      type: 'object',
      additionalProperties: false,
      properties: { archived: { enum: ['list', 'skip'] }, forks: { enum: ['list', 'skip', 'score'] }, empty: { enum: ['list', 'skip'] } },
    },
    levels: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'checks'],
        properties: {
          id: { type: 'string', pattern: ID_PATTERN },
          name: { type: 'string', minLength: 1 },
          checks: { type: 'array', minItems: 1, items: CHECK_SCHEMA },
        },
      },
    },
  },
} as const;

const DEFAULTS = { source: { job: 'qgate', artifactPath: 'qgate-report/result.json', pipelines: 20, mergeRequests: 20 }, trend: { results: 10 }, projects: { archived: 'list', forks: 'list', empty: 'list' } as Rubric['projects'] };

let validator: ReturnType<Ajv['compile']> | undefined;

function validate(data: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, allowUnionTypes: true, strict: true, verbose: true }).compile(RUBRIC_SCHEMA);
  return validator(data) ? [] : [...(validator.errors ?? [])];
}

/** Reads and validates a rubric file; throws RUBRIC_NOT_FOUND, RUBRIC_YAML or RUBRIC_INVALID. */
export async function loadRubric(path: string, file: string = path): Promise<Rubric> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new QgateError('RUBRIC_NOT_FOUND', `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).`, { file });
  }
  return parseRubric(text, file);
}

/** Pure: the rubric in `text`, or a QgateError listing every problem. */
export function parseRubric(text: string, file: string): Rubric {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const positionAt = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(line, 1), column: col };
  };
  const yamlError = [...doc.errors, ...doc.warnings][0];
  if (yamlError !== undefined) {
    throw new QgateError('RUBRIC_YAML', `is not valid YAML: ${yamlError.message.replace(/\s+$/, '')}`, { file, position: positionAt(yamlError.pos[0]) });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new QgateError('RUBRIC_YAML', `cannot be read as YAML: ${(error as Error).message}`, { file });
  }
  const problem = (path: KeyPathSegment[], message: string): ConfigProblem => ({ file, position: locateInDocument(doc, path, positionAt), keyPath: formatKeyPath(path), message });

  const problems: ConfigProblem[] = validate(data).map((error) => describe(error, problem));
  if (problems.length === 0) problems.push(...checkRules(data as RawRubric, problem));
  if (problems.length > 0) {
    const unique = [...new Map(problems.map((item) => [`${item.keyPath}\u0000${item.message}`, item])).values()];
    unique.sort((a, b) => (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.column ?? 0) - (b.position?.column ?? 0));
    throw new QgateError('RUBRIC_INVALID', formatConfigProblems(unique).replace('The configuration has', 'The scorecard rubric has'));
  }
  const raw = data as RawRubric;
  return {
    source: { ...DEFAULTS.source, ...raw.source },
    trend: { ...DEFAULTS.trend, ...raw.trend },
    projects: { ...DEFAULTS.projects, ...raw.projects },
    levels: raw.levels.map((level) => ({ id: level.id, name: level.name ?? level.id, checks: level.checks.map((check) => ({ ...check })) })),
  };
}

interface RawRubric {
  source?: Partial<Rubric['source']>;
  trend?: Partial<Rubric['trend']>;
  projects?: Partial<Rubric['projects']>;
  levels: Array<{ id: string; name?: string; checks: Array<Rubric['levels'][number]['checks'][number]> }>;
}

/** Unique ids, and the bars each check type takes. */
function checkRules(data: RawRubric, problem: (path: KeyPathSegment[], message: string) => ConfigProblem): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const levelIds = new Map<string, number>();
  const checkIds = new Map<string, string>();
  data.levels.forEach((level, levelIndex) => {
    if (level.id === 'none') problems.push(problem(['levels', levelIndex, 'id'], '`none` is the name of "no level reached"; pick another id.'));
    const earlier = levelIds.get(level.id);
    if (earlier !== undefined) problems.push(problem(['levels', levelIndex, 'id'], `\`${level.id}\` is already the id of levels[${earlier}]; level ids must be unique.`));
    levelIds.set(level.id, levelIndex);
    level.checks.forEach((check, checkIndex) => {
      const at: KeyPathSegment[] = ['levels', levelIndex, 'checks', checkIndex];
      const seen = checkIds.get(check.id);
      if (seen !== undefined) problems.push(problem([...at, 'id'], `\`${check.id}\` is already a check id (at ${seen}); check ids must be unique across levels, they name the CSV columns.`));
      checkIds.set(check.id, formatKeyPath(at));
      const bars = CHECK_BARS[check.type];
      const takes = Object.keys(bars);
      const takesText = takes.length === 0 ? 'takes no bar' : `takes ${takes.map((name) => `\`${name}\``).join(', ')}`;
      for (const key of Object.keys(check)) {
        if (key === 'id' || key === 'type' || key === 'rationale' || key in bars) continue;
        problems.push(problem([...at, key], `does not apply to a check of type \`${check.type}\`, which ${takesText}.`));
      }
      if (check.type === 'branch_naming' && typeof check.pattern === 'string') {
        try {
          new RegExp(check.pattern);
        } catch (error) {
          problems.push(problem([...at, 'pattern'], `is not a regular expression: ${(error as Error).message}.`));
        }
      }
      for (const [key, need] of Object.entries(bars)) {
        if (need === 'required' && !(key in check)) problems.push(problem([...at, 'type'], `a check of type \`${check.type}\` needs \`${key}\`.`));
      }
    });
  });
  return problems;
}

function describe(error: ErrorObject, problem: (path: KeyPathSegment[], message: string) => ConfigProblem): ConfigProblem {
  const path: KeyPathSegment[] = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map((raw) => {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(key) ? Number(key) : key;
  });
  const params = error.params as Record<string, unknown>;
  const value: unknown = error.data;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestion = suggestName(key, known);
      return problem([...path, key], suggestion !== undefined ? `unknown key; did you mean \`${suggestion}\`?` : `unknown key; the keys allowed here are ${known.map((name) => `\`${name}\``).join(', ')}.`);
    }
    case 'required':
      return problem([...path, String(params['missingProperty'])], 'is required here.');
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map(String);
      const suggestion = typeof value === 'string' ? suggestName(value, allowed) : undefined;
      return problem(path, `must be one of ${allowed.map((item) => `\`${item}\``).join(', ')}; got ${describeValue(value)}${suggestion === undefined ? '.' : `; did you mean \`${suggestion}\`?`}`);
    }
    case 'type':
      return problem(path, `expected ${([] as unknown[]).concat(params['type']).join(' or ')}, got ${describeValue(value)}.`);
    case 'minimum':
      return problem(path, `must be at least ${String(params['limit'])}; got ${describeValue(value)}.`);
    case 'maximum':
      return problem(path, `must be at most ${String(params['limit'])}; got ${describeValue(value)}.`);
    case 'minItems':
      return problem(path, 'must not be an empty list.');
    case 'minLength':
      return problem(path, 'must not be empty.');
    case 'pattern':
      return problem(path, `must be lower-case letters, digits, \`-\` and \`_\` (it names a CSV column); got ${describeValue(value)}.`);
    default:
      return problem(path, `${error.message ?? 'is not valid'}.`);
  }
}

