/**
 * The shape qgate needs of each GitLab answer it reads: only the fields it uses, with their
 * types. An answer that does not fit (an SSO proxy's JSON, a GitLab bug, something that is not
 * GitLab at all) is refused with one sentence naming what was wrong, before any of it is used:
 * no `notes.map is not a function`, no `#note_NaN`, no id-less "project" scored.
 *
 * Schemas compile on first use: a run that never talks to GitLab never pays for them.
 */
import { Ajv, type ValidateFunction } from 'ajv';

const id = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;
const text = { type: 'string' } as const;
const optionalText = { type: ['string', 'null'] } as const;

const SHAPES = {
  user: { what: 'a user', many: 'users', schema: { type: 'object', required: ['id'], properties: { id } } },
  note: {
    what: 'a note', many: 'notes',
    schema: {
      type: 'object',
      required: ['id', 'body'],
      properties: { id, body: text, system: { type: 'boolean' }, author: { type: ['object', 'null'], properties: { id } } },
    },
  },
  'merge-request': {
    what: 'a merge request', many: 'merge requests',
    schema: {
      type: 'object',
      // source_project_id finds the MR of a fork's branch pipeline (src/run-gitlab.ts): without it, NaN.
      required: ['iid', 'project_id', 'source_project_id', 'source_branch', 'target_branch'],
      properties: {
        iid: id,
        project_id: id,
        source_project_id: id,
        source_branch: text,
        target_branch: text,
        web_url: optionalText,
        diff_refs: {
          type: ['object', 'null'],
          properties: { base_sha: optionalText, head_sha: optionalText, start_sha: optionalText },
        },
      },
    },
  },
  diff: {
    what: 'a file diff', many: 'file diffs',
    schema: { type: 'object', required: ['old_path', 'new_path'], properties: { old_path: text, new_path: text, diff: optionalText } },
  },
  pipeline: { what: 'a pipeline', many: 'pipelines', schema: { type: 'object', required: ['id', 'status'], properties: { id, status: text, sha: optionalText, ref: optionalText } } },
  job: { what: 'a job', many: 'jobs', schema: { type: 'object', required: ['id', 'name', 'status'], properties: { id, name: text, status: text, artifacts: { type: ['array', 'null'] } } } },
  project: {
    what: 'a project', many: 'projects',
    schema: {
      type: 'object',
      required: ['id', 'path_with_namespace'],
      properties: { id, path_with_namespace: { type: 'string', minLength: 1 }, name: optionalText, web_url: optionalText, default_branch: optionalText, archived: { type: 'boolean' } },
    },
  },
  'tree-entry': { what: 'a repository tree entry', many: 'repository tree entries', schema: { type: 'object', required: ['path', 'type'], properties: { path: text, type: text } } },
  'repository-file': {
    what: 'a repository file', many: 'repository files',
    schema: { type: 'object', required: ['size', 'content'], properties: { size: id, content: text, encoding: optionalText } },
  },
  // GraphQL `data` of the scorecard's group walk (src/scorecard/collect-graphql.ts, WALK_QUERY).
  'group-walk': {
    what: 'a page of the group\'s projects', many: 'pages of the group\'s projects',
    schema: {
      type: 'object',
      required: ['group'],
      properties: {
        group: {
          type: ['object', 'null'],
          required: ['projects'],
          properties: {
            projects: {
              type: 'object',
              required: ['pageInfo', 'nodes'],
              properties: {
                pageInfo: { type: 'object', required: ['hasNextPage'], properties: { hasNextPage: { type: 'boolean' }, endCursor: optionalText } },
                nodes: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['id', 'fullPath'],
                    properties: { id: { type: 'string', pattern: '\\d$' }, fullPath: { type: 'string', minLength: 1 }, name: optionalText, webUrl: optionalText, archived: { type: 'boolean' } },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

export type ShapeName = keyof typeof SHAPES;

let ajv: Ajv | null = null;
const compiled = new Map<ShapeName, ValidateFunction>();

function validatorOf(shape: ShapeName): ValidateFunction {
  let validate = compiled.get(shape);
  if (validate === undefined) {
    ajv ??= new Ajv({ allErrors: false, strict: false });
    validate = ajv.compile(SHAPES[shape].schema);
    compiled.set(shape, validate);
  }
  return validate;
}

/** What a JSON value is, in a few words, for a message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty object' : `an object with ${keys.slice(0, 4).map((key) => JSON.stringify(key.slice(0, 40))).join(', ')}${keys.length > 4 ? ', …' : ''}`;
  }
  if (typeof value === 'string') return 'a string';
  return `the ${typeof value} ${String(value).slice(0, 40)}`;
}

function problemOf(validate: ValidateFunction, value: unknown): string | null {
  if (validate(value)) return null;
  const error = validate.errors?.[0];
  if (!error) return 'it does not fit';
  if (error.keyword === 'required') {
    const where = error.instancePath.slice(1).replace(/\//g, '.');
    return `no "${String((error.params as { missingProperty?: string }).missingProperty)}"${where ? ` in ${where}` : ''}`;
  }
  if (error.keyword === 'type' && error.instancePath === '') return `it is ${describeValue(value)}`;
  return `${error.instancePath.slice(1).replace(/\//g, '.') || 'it'} ${error.message ?? 'does not fit'}`;
}

/**
 * Why `value` is not the `shape` GitLab sends (one of them, or a list of them); null when it is.
 * A list is checked item by item, so the message names the first bad item.
 */
export function shapeProblem(shape: ShapeName, value: unknown, list: boolean): string | null {
  const what = SHAPES[shape].what;
  const validate = validatorOf(shape);
  if (!list) {
    const problem = problemOf(validate, value);
    return problem === null ? null : `the answer is not ${what} (${problem})`;
  }
  if (!Array.isArray(value)) return `the answer is not a list of ${SHAPES[shape].many} (it is ${describeValue(value)})`;
  for (let index = 0; index < value.length; index += 1) {
    const problem = problemOf(validate, value[index]);
    if (problem !== null) return `item ${index + 1} of the list is not ${what} (${problem})`;
  }
  return null;
}
