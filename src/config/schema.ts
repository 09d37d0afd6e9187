/**
 * The JSON Schema of a qgate config file: the project's `.qgate.yml` and every preset in
 * the top-level `gates/` folder are checked against the same schema, in which every key
 * is optional (a file overrides only what it names). After the presets and the project's
 * file are merged, the result is checked against {@link COMPLETE_CONFIG_SCHEMA}, the same
 * schema with every key required, so a preset that forgets a default is caught too.
 *
 * Written in JSON Schema draft-07 because that is the draft ajv's default export
 * (`import { Ajv } from 'ajv'`) compiles without an extra entry point; nothing here needs
 * a 2020-12 feature. Kept as a TypeScript constant so it is compiled into the package and
 * cannot drift from a file on disk; `descriptions` double as the reference for users.
 */
import type { CoverageFormat } from '../model/coverage.js';
import type {
  CoverageReportConfig,
  E2eGateConfig,
  GitLabConfig,
  MutationGateConfig,
  PerformanceGateConfig,
  NewCodeCoverageGateConfig,
  OnMissing,
  OverallCoverageGateConfig,
  QgateConfig,
  UnmeasuredPolicy,
} from './types.js';

/** The subset of JSON Schema this file uses, enough to walk it for known keys. */
export interface ConfigSchemaNode {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, ConfigSchemaNode>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | ConfigSchemaNode;
  readonly items?: ConfigSchemaNode;
  readonly enum?: readonly (string | number | boolean | null)[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly [keyword: string]: unknown;
}

const PERCENT_DESCRIPTION = 'A percentage from 0 to 100.';

const onMissing = {
  enum: ['fail', 'warn', 'skip'],
  description: 'What the gate does when its evidence was not provided at all: fail, warn, or skip (shown as skipped).',
} as const;

const e2ePolicy = { enum: ['fail', 'warn', 'ignore'] } as const;

const enabled = { type: 'boolean', description: 'false turns the gate off: it is not evaluated.' } as const;

const blocking = {
  type: 'boolean',
  description: 'A failing blocking gate fails the job (exit 1); a non-blocking one only warns.',
} as const;

/** The schema of one config file (`.qgate.yml` or a preset): every key optional, no unknown key anywhere. */
/**
 * How the schemas are compiled, at build time (scripts/build-validators.mjs) and, as a fallback,
 * at run time (load-config.ts): allErrors reports every problem at once; allowUnionTypes allows
 * `type: [number, null]`.
 */
export const CONFIG_AJV_OPTIONS = { allErrors: true, allowUnionTypes: true, strict: true } as const;

export const CONFIG_FILE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'qgate configuration (.qgate.yml, and the presets in gates/)',
  type: 'object',
  additionalProperties: false,
  properties: {
    extends: {
      type: 'string',
      minLength: 1,
      description: 'The preset this file builds on (a file name in qgate\'s gates/ folder without ".yml"); "default" when absent.',
    },
    coverage: {
      type: 'object',
      additionalProperties: false,
      description: 'Where coverage comes from and which files are source code.',
      properties: {
        reports: {
          type: 'array',
          description: 'Coverage reports to read, in addition to every --coverage given on the command line.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['path'],
            properties: {
              path: { type: 'string', minLength: 1, description: 'Report path, relative to the repository root.' },
              format: {
                enum: ['lcov', 'cobertura', 'istanbul', 'istanbul-summary', 'clover'],
                description: 'Forces the format instead of recognising it from the content.',
              },
              root: {
                type: 'string',
                minLength: 1,
                description: 'Directory (relative to the repository root) that the report\'s relative paths start from.',
              },
            },
          },
        },
        sources: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'Globs of repository paths that are source code and should appear in a coverage report.',
        },
        exclude: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'Globs of repository paths that never count as source (tests, generated code, fixtures).',
        },
        generated: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'Globs of generated files (protobuf stubs, *.generated.ts): listed as "generated, not counted" in new code. Files marked linguist-generated in .gitattributes count too.',
        },
        expect: {
          description: 'The coverage reports a complete run has: a count, "parallel" (CI_NODE_TOTAL of a parallel: N job), or one glob per named shard. Fewer is "incomplete evidence" with the missing shard named, never a pass; null (the default) expects nothing.',
          anyOf: [
            { type: 'null' },
            { type: 'integer', minimum: 1 },
            { const: 'parallel' },
            { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          ],
        },
      },
    },
    gates: {
      type: 'object',
      additionalProperties: false,
      description: 'The gates, by name.',
      properties: {
        new_code_coverage: {
          type: 'object',
          additionalProperties: false,
          description: 'Line coverage of the lines the merge request adds or changes.',
          properties: {
            enabled,
            blocking,
            onMissing,
            min: {
              type: 'number',
              minimum: 0,
              maximum: 100,
              description: `Minimum percent of coverable changed lines that must be covered. ${PERCENT_DESCRIPTION}`,
            },
            unmeasuredFiles: {
              enum: ['fail', 'warn', 'ignore'],
              description: 'What a changed source file that no coverage report mentions does: fail, warn, or ignore.',
            },
            lines: {
              enum: ['changed', 'added'],
              description: 'Which changed lines are gated: changed (lines the MR adds and legacy lines it modifies) or added (only lines it adds outright).',
            },
            minLines: {
              type: ['integer', 'null'],
              minimum: 1,
              description: 'Fewer coverable new lines than this turn a failure into a warning (the figure is still shown); null turns it off.',
            },
            onNoBase: {
              enum: ['error', 'fail'],
              description: 'No base commit can be established (a shallow clone origin cannot deepen, no MR diff): error stops with exit 3; fail writes every report with this gate failed as inconclusive (exit 1). Never a pass.',
            },
            maxNewExclusions: {
              type: ['integer', 'null'],
              minimum: 0,
              description: 'Most coverage exclusion comments (c8 ignore, istanbul ignore, pragma: no cover, LCOV_EXCL_LINE, ...) the MR may add; null lists them without gating.',
            },
          },
        },
        overall_coverage: {
          type: 'object',
          additionalProperties: false,
          description: 'Line coverage of the whole code base, and its change versus the target branch.',
          properties: {
            enabled,
            blocking,
            onMissing,
            min: {
              type: ['number', 'null'],
              minimum: 0,
              maximum: 100,
              description: `Minimum overall line coverage percent; null means no minimum. ${PERCENT_DESCRIPTION}`,
            },
            maxDrop: {
              type: ['number', 'null'],
              minimum: 0,
              maximum: 100,
              description: 'Maximum drop in percentage points versus the target branch baseline; null means not checked.',
            },
          },
        },
        e2e: {
          type: 'object',
          additionalProperties: false,
          description: 'Cucumber end-to-end scenarios: failures, undefined/pending/ambiguous steps, flaky retries, an empty run.',
          properties: {
            enabled,
            blocking,
            onMissing,
            maxFailed: { type: 'integer', minimum: 0, description: 'Most scenarios allowed to fail (failed, plus the categories whose policy is fail).' },
            undefined: { ...e2ePolicy, description: 'Scenarios with a step that has no step definition: fail, warn or ignore.' },
            pending: { ...e2ePolicy, description: 'Scenarios marked pending: fail, warn or ignore.' },
            ambiguous: { ...e2ePolicy, description: 'Scenarios with a step matching several step definitions: fail, warn or ignore.' },
            flaky: { enum: ['fail', 'warn', 'ignore', 'quarantine'], description: 'Scenarios that passed only after a failed attempt: fail, warn or ignore; quarantine also keeps failures that failed on the target branch too (known flaky) out of maxFailed, listed and counted.' },
            minScenarios: { type: 'integer', minimum: 0, description: 'Fewest scenarios that must run (not skipped, not filtered out); catches an empty run.' },
            tags: { type: ['string', 'null'], description: 'A Cucumber tag expression applied before counting (`not @wip`); null keeps every scenario.' },
          },
        },
        performance: {
          type: 'object',
          additionalProperties: false,
          description: 'k6 load tests: every k6 threshold passes, and tracked statistics stay within tolerance of the baseline run.',
          properties: {
            enabled,
            blocking,
            onMissing,
            thresholds: { enum: ['fail', 'warn', 'ignore'], description: 'What a failed k6 threshold does: fail, warn or ignore.' },
            onBrokenLine: { enum: ['fail', 'skip'], description: 'A broken line in a k6 --out json stream: fail (exit 3, names the line) or skip (counted in warnings).' },
            history: {
              type: 'object',
              additionalProperties: false,
              description: 'The default-branch history the tracked statistics are judged against (docs/noise.md).',
              properties: {
                runs: { type: 'integer', minimum: 1, maximum: 20, description: 'How many default-branch results to read (1 = one baseline run, no history).' },
                minRuns: { type: 'integer', minimum: 1, maximum: 20, description: 'Fewest comparable runs for a verdict; fewer = inconclusive (said, never failed).' },
              },
            },
            extraThresholds: {
              type: 'object',
              additionalProperties: { type: 'array', items: { type: 'string', minLength: 1 } },
              description: 'Thresholds in k6 syntax per metric, evaluated by qgate on any k6 input: { "http_req_duration": ["p(99)<1500"] }.',
            },
            tracked: {
              type: 'array',
              description: 'Statistics compared with the baseline run, each with its tolerance.',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['metric', 'stat'],
                properties: {
                  metric: { type: 'string', minLength: 1, description: 'Metric name, sub-metric selectors allowed: http_req_duration{expected_response:true}.' },
                  stat: { type: 'string', minLength: 1, description: 'Statistic as k6 names it: p(95), avg, med, rate, count, value.' },
                  maxIncreasePercent: { type: 'number', minimum: 0, description: 'Lower-is-better statistics: largest allowed increase, percent of the baseline.' },
                  maxIncreaseAbsolute: { type: 'number', minimum: 0, description: 'Lower-is-better statistics: largest allowed increase in the unit (ms; 0.01 = one point of a rate).' },
                  maxDecreasePercent: { type: 'number', minimum: 0, description: 'Higher-is-better statistics: largest allowed decrease, percent of the baseline.' },
                  maxDecreaseAbsolute: { type: 'number', minimum: 0, description: 'Higher-is-better statistics: largest allowed decrease in the unit.' },
                  minAbsoluteDelta: { type: 'number', minimum: 0, description: 'Noise floor: a smaller change never regresses nor improves.' },
                  direction: { enum: ['lower-is-better', 'higher-is-better'], description: 'Overrides the direction qgate infers from the metric.' },
                },
              },
            },
          },
        },
        mutation: {
          type: 'object',
          additionalProperties: false,
          description: 'Mutation testing (Stryker and other mutation-testing-report-schema producers): score overall and on new code.',
          properties: {
            enabled,
            blocking,
            onMissing,
            minScore: { type: ['number', 'null'], minimum: 0, maximum: 100, description: `Minimum mutation score of the whole report; null = not checked. ${PERCENT_DESCRIPTION}` },
            minNewCodeScore: {
              type: ['number', 'null'],
              minimum: 0,
              maximum: 100,
              description: `Minimum mutation score of the mutants that touch changed lines; null = not checked. ${PERCENT_DESCRIPTION}`,
            },
            minMutants: {
              type: ['integer', 'null'],
              minimum: 1,
              description: 'Fewest valid mutants on new code for minNewCodeScore to decide; below it the gate warns instead. null = any sample decides.',
            },
          },
        },
      },
    },
    gitlab: {
      type: 'object',
      additionalProperties: false,
      description: 'Talking to GitLab: the merge request note and the target branch\'s baseline.',
      properties: {
        comment: {
          type: 'object',
          additionalProperties: false,
          description: 'The one sticky merge request note qgate keeps up to date.',
          properties: {
            enabled: { type: 'boolean', description: 'Post the note (in merge request pipelines, with a token); --no-comment turns it off too.' },
            required: { type: 'boolean', description: 'A note that cannot be posted fails the job (exit 3) instead of printing a warning.' },
            notifyOnVerdictChange: {
              type: 'boolean',
              description: 'When the verdict flips between failing and passing, also post a short new note: GitLab sends no notification when a note is edited.',
            },
          },
        },
        baseline: {
          type: 'object',
          additionalProperties: false,
          description: 'The target branch\'s latest qgate result, for the coverage-drop and k6 comparisons.',
          properties: {
            enabled: { type: 'boolean', description: 'Fetch the baseline from the target branch\'s qgate job artifacts.' },
            job: { type: ['string', 'null'], minLength: 1, description: 'The qgate job\'s name on the target branch; null = this job\'s own name (CI_JOB_NAME).' },
            maxPipelines: {
              type: 'integer',
              minimum: 1,
              maximum: 50,
              description: 'How many of the target branch\'s newest pipelines to search when the latest one has no result.',
            },
          },
        },
        requestTimeoutSeconds: { type: 'number', minimum: 1, maximum: 300, description: 'Per request, in seconds.' },
        budgetSeconds: { type: 'number', minimum: 1, maximum: 3600, description: 'For all GitLab requests of a run together, retries and waits included, in seconds.' },
      },
    },
  },
} as const satisfies ConfigSchemaNode;

/**
 * The same schema with every key of every mapping required (list items keep their own
 * `required`), and without `extends`: what the merged presets plus project file must be.
 */
export const COMPLETE_CONFIG_SCHEMA: ConfigSchemaNode = requireEveryKey(CONFIG_FILE_SCHEMA, ['extends']);

function requireEveryKey(node: ConfigSchemaNode, drop: readonly string[] = []): ConfigSchemaNode {
  if (node.properties === undefined) return node;
  const properties: Record<string, ConfigSchemaNode> = {};
  for (const [key, child] of Object.entries(node.properties)) {
    if (!drop.includes(key)) properties[key] = requireEveryKey(child);
  }
  return { ...node, properties, required: Object.keys(properties) };
}

/**
 * The keys allowed in each mapping, by the mapping's key path: `''` is the top level,
 * `gates.new_code_coverage` a gate, and `coverage.reports[]` the items of a list.
 * Derived from the schema, for the did-you-mean on unknown keys.
 */
export const KNOWN_KEYS: Readonly<Record<string, readonly string[]>> = collectKnownKeys(CONFIG_FILE_SCHEMA);

function collectKnownKeys(root: ConfigSchemaNode): Record<string, readonly string[]> {
  const known: Record<string, readonly string[]> = {};
  const pending: [string, ConfigSchemaNode][] = [['', root]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [path, node] = next;
    if (node.properties !== undefined) {
      known[path] = Object.keys(node.properties);
      for (const [key, child] of Object.entries(node.properties)) {
        pending.push([path === '' ? key : `${path}.${key}`, child]);
      }
    }
    if (node.items !== undefined) pending.push([`${path}[]`, node.items]);
  }
  return known;
}

// Compile-time check that the schema and src/config/types.ts name the same keys and
// values: renaming a key in one without the other fails `tsc`.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type KeysOf<Node> = Node extends { readonly properties: infer Properties } ? keyof Properties : never;
type FileSchema = typeof CONFIG_FILE_SCHEMA;
type GateSchemas = FileSchema['properties']['gates']['properties'];
type AllTrue<Checks extends readonly true[]> = Checks;
export type _SchemaMatchesTypes = AllTrue<
  [
    Same<KeysOf<FileSchema>, Exclude<keyof QgateConfig, 'preset'> | 'extends'>,
    Same<KeysOf<FileSchema['properties']['coverage']>, keyof QgateConfig['coverage']>,
    Same<KeysOf<FileSchema['properties']['coverage']['properties']['reports']['items']>, keyof CoverageReportConfig>,
    Same<FileSchema['properties']['coverage']['properties']['reports']['items']['properties']['format']['enum'][number], CoverageFormat>,
    Same<KeysOf<FileSchema['properties']['gates']>, keyof QgateConfig['gates']>,
    Same<KeysOf<GateSchemas['new_code_coverage']>, keyof NewCodeCoverageGateConfig>,
    Same<KeysOf<GateSchemas['overall_coverage']>, keyof OverallCoverageGateConfig>,
    Same<KeysOf<GateSchemas['e2e']>, keyof E2eGateConfig>,
    Same<KeysOf<GateSchemas['performance']>, keyof PerformanceGateConfig>,
    Same<KeysOf<GateSchemas['mutation']>, keyof MutationGateConfig>,
    Same<KeysOf<FileSchema['properties']['gitlab']>, keyof GitLabConfig>,
    Same<KeysOf<FileSchema['properties']['gitlab']['properties']['comment']>, keyof GitLabConfig['comment']>,
    Same<KeysOf<FileSchema['properties']['gitlab']['properties']['baseline']>, keyof GitLabConfig['baseline']>,
    Same<GateSchemas['new_code_coverage']['properties']['onMissing']['enum'][number], OnMissing>,
    Same<GateSchemas['new_code_coverage']['properties']['unmeasuredFiles']['enum'][number], UnmeasuredPolicy>,
  ]
>;
