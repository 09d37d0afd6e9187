import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatError, QgateError, type ErrorCode } from '../../src/errors.js';
import {
  findPresetsDir,
  listPresets,
  loadConfig,
  mergeConfigData,
  parseConfigLayer,
  resolveConfig,
  suggestName,
} from '../../src/config/load-config.js';
import { KNOWN_KEYS } from '../../src/config/schema.js';

const GATES_DIR = fileURLToPath(new URL('../../gates/', import.meta.url));

async function readPresetYaml(name: string): Promise<Record<string, unknown>> {
  return parse(await readFile(join(GATES_DIR, `${name}.yml`), 'utf8')) as Record<string, unknown>;
}

/** The default preset as the test reads it, without `extends`, shaped like QgateConfig. */
async function defaultSettings(): Promise<Record<string, unknown>> {
  const { extends: _ignored, ...settings } = await readPresetYaml('default');
  return settings;
}

/** Runs `action`, expects a QgateError with `code`, and checks it reads like a message, not a crash. */
async function expectQgateError(action: () => Promise<unknown>, code: ErrorCode): Promise<QgateError> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected an error').toBeInstanceOf(QgateError);
  const error = caught as QgateError;
  expect(error.code, error.message).toBe(code);
  expect(error.message).not.toContain('    at ');
  expect(formatError(error)).not.toContain('    at ');
  return error;
}

let cwd: string;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'qgate-config-'));
});

afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

async function writeConfig(text: string, name = '.qgate.yml'): Promise<string> {
  const path = join(cwd, name);
  await writeFile(path, text);
  return path;
}

describe('loadConfig: presets and merging', () => {
  it('uses the default preset, exactly as gates/default.yml writes it, when there is no file', async () => {
    const { config, files } = await loadConfig({ cwd });
    expect(config).toEqual({ preset: 'default', ...(await defaultSettings()) });
    expect(files).toEqual([join(GATES_DIR, 'default.yml')]);
  });

  it('overrides one value and keeps every other default', async () => {
    await writeConfig('gates:\n  new_code_coverage:\n    min: 70\n');
    const { config, files } = await loadConfig({ cwd });
    const expected = await defaultSettings();
    (expected['gates'] as { new_code_coverage: { min: number } }).new_code_coverage.min = 70;
    expect(config).toEqual({ preset: 'default', ...expected });
    expect(files).toEqual([join(GATES_DIR, 'default.yml'), join(cwd, '.qgate.yml')]);
  });

  it('replaces lists instead of appending to them', async () => {
    await writeConfig('coverage:\n  sources: ["src/**/*.ts"]\n  reports:\n    - path: coverage/lcov.info\n      format: lcov\n');
    const { config } = await loadConfig({ cwd });
    expect(config.coverage.sources).toEqual(['src/**/*.ts']);
    expect(config.coverage.reports).toEqual([{ path: 'coverage/lcov.info', format: 'lcov' }]);
    expect(config.coverage.exclude).toEqual(((await defaultSettings())['coverage'] as { exclude: string[] }).exclude);
  });

  it('builds on `extends: strict`, which itself extends default', async () => {
    await writeConfig('extends: strict\ngates:\n  overall_coverage:\n    blocking: false\n');
    const { config, files } = await loadConfig({ cwd });
    const strict = (await readPresetYaml('strict')) as { extends: string; gates: Record<string, Record<string, unknown>> };
    const defaults = (await defaultSettings()) as { gates: Record<string, Record<string, unknown>> };
    expect(strict.extends).toBe('default');
    expect(config.preset).toBe('strict');
    expect(config.gates.new_code_coverage).toEqual({ ...defaults.gates['new_code_coverage'], ...strict.gates['new_code_coverage'] });
    expect(config.gates.overall_coverage).toEqual({
      ...defaults.gates['overall_coverage'],
      ...strict.gates['overall_coverage'],
      blocking: false,
    });
    expect(files).toEqual([join(GATES_DIR, 'default.yml'), join(GATES_DIR, 'strict.yml'), join(cwd, '.qgate.yml')]);
  });

  it('lets --preset override the file\'s `extends`, and the file still overrides the preset', async () => {
    await writeConfig('extends: default\ngates:\n  new_code_coverage:\n    min: 95\n');
    const { config } = await loadConfig({ cwd, preset: 'strict' });
    expect(config.preset).toBe('strict');
    expect(config.gates.new_code_coverage.min).toBe(95);
    expect(config.gates.new_code_coverage.unmeasuredFiles).toBe('fail');
    expect(config.gates.overall_coverage.maxDrop).toBe(1);
  });

  it('uses --preset alone when there is no file', async () => {
    const { config, files } = await loadConfig({ cwd, preset: 'strict' });
    expect(config.preset).toBe('strict');
    expect(files).toHaveLength(2);
  });

  it('treats an empty file, or one with only comments, as the preset defaults', async () => {
    const expected = { preset: 'default', ...(await defaultSettings()) };
    await writeConfig('');
    expect((await loadConfig({ cwd })).config).toEqual(expected);
    await writeConfig('# nothing to change yet\n\n# really\n');
    expect((await loadConfig({ cwd })).config).toEqual(expected);
  });

  it('reads .qgate.yaml when there is no .qgate.yml, and refuses both at once', async () => {
    await writeConfig('gates:\n  overall_coverage:\n    min: 50\n', '.qgate.yaml');
    expect((await loadConfig({ cwd })).config.gates.overall_coverage.min).toBe(50);
    await writeConfig('{}\n');
    const error = await expectQgateError(() => loadConfig({ cwd }), 'CONFIG_INVALID');
    expect(error.message).toContain('.qgate.yml and .qgate.yaml');
  });

  it('reads --config relative to cwd, and fails naming it when it is missing', async () => {
    await mkdir(join(cwd, 'ci'));
    await writeConfig('gates:\n  overall_coverage:\n    maxDrop: 2.5\n', 'ci/qgate.yml');
    expect((await loadConfig({ cwd, configPath: 'ci/qgate.yml' })).config.gates.overall_coverage.maxDrop).toBe(2.5);

    const error = await expectQgateError(() => loadConfig({ cwd, configPath: 'ci/missing.yml' }), 'CONFIG_NOT_FOUND');
    expect(error.file).toBe('ci/missing.yml');
    expect(formatError(error)).toContain('ci/missing.yml: does not exist.');
    await expectQgateError(() => loadConfig({ cwd, configPath: 'ci' }), 'CONFIG_NOT_FOUND');
  });

  it('accepts null for the overall minimum and maxDrop ("not checked")', async () => {
    await writeConfig('gates:\n  overall_coverage:\n    min: 75\n');
    await writeConfig('extends: strict\ngates:\n  overall_coverage:\n    min: null\n    maxDrop:\n');
    const { config } = await loadConfig({ cwd });
    expect(config.gates.overall_coverage.min).toBeNull();
    expect(config.gates.overall_coverage.maxDrop).toBeNull();
  });

  it('resolves every shipped preset to a complete configuration', async () => {
    const presets = await listPresets(GATES_DIR);
    expect(presets).toEqual(expect.arrayContaining(['default', 'strict']));
    for (const preset of presets) {
      const { config } = await loadConfig({ cwd, preset });
      expect(config.preset).toBe(preset);
    }
  });

  it('finds the gates/ folder from the module\'s own location', async () => {
    expect(resolve(await findPresetsDir())).toBe(resolve(GATES_DIR));
  });
});

describe('loadConfig: problems in the project file', () => {
  it('names the file, line, key path and a did-you-mean for a typo', async () => {
    await writeConfig('gates:\n  new_code_coverage:\n    mni: 70\n');
    const error = await expectQgateError(() => loadConfig({ cwd }), 'CONFIG_INVALID');
    expect(error.message).toContain('.qgate.yml:3:5: gates.new_code_coverage.mni: unknown key; did you mean `min`?');
    expect(formatError(error)).toContain('What to do:');
  });

  it('reports every problem together, one per line', async () => {
    await writeConfig(
      [
        'gates:',
        '  new_code_coverage:',
        '    mni: 70',
        '    onMissing: maybe',
        '  overall_coverage:',
        '    min: 120',
        'coverge: {}',
      ].join('\n'),
    );
    const error = await expectQgateError(() => loadConfig({ cwd }), 'CONFIG_INVALID');
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('The configuration has 4 problems:');
    expect(lines.slice(1)).toEqual([
      '  .qgate.yml:3:5: gates.new_code_coverage.mni: unknown key; did you mean `min`?',
      '  .qgate.yml:4:5: gates.new_code_coverage.onMissing: must be one of `fail`, `warn`, `skip`; got the text "maybe".',
      '  .qgate.yml:6:5: gates.overall_coverage.min: must be at most 100; got the number 120.',
      '  .qgate.yml:7:1: coverge: unknown key; did you mean `coverage`?',
    ]);
  });

  it('counts lines right in a file saved with a BOM and CRLF line ends', async () => {
    await writeConfig('\uFEFF# edited on Windows\r\ngates:\r\n  overall_coverage:\r\n    maxdrop: 2\r\n');
    const error = await expectQgateError(() => loadConfig({ cwd }), 'CONFIG_INVALID');
    expect(error.message).toContain('.qgate.yml:4:5: gates.overall_coverage.maxdrop: unknown key; did you mean `maxDrop`?');
  });

  it('says which type was expected and which value came', async () => {
    await writeConfig('gates:\n  new_code_coverage:\n    min: "eighty"\n    enabled: yes\n');
    const error = await expectQgateError(() => loadConfig({ cwd }), 'CONFIG_INVALID');
    expect(error.message).toContain('.qgate.yml:3:5: gates.new_code_coverage.min: expected a number, got the text "eighty".');
    expect(error.message).toContain('gates.new_code_coverage.enabled: expected `true` or `false`, got the text "yes" (YAML 1.2 reads `yes` as text');
  });

  it('lists the allowed values of an enum, and suggests the near one', async () => {
    await writeConfig('gates:\n  new_code_coverage:\n    unmeasuredFiles: Warn\ncoverage:\n  reports:\n    - path: a.xml\n      format: jacoco\n');
    const error = await expectQgateError(() => loadConfig({ cwd }), 'CONFIG_INVALID');
    expect(error.message).toContain(
      '.qgate.yml:3:5: gates.new_code_coverage.unmeasuredFiles: must be one of `fail`, `warn`, `ignore`; got the text "Warn"; did you mean `warn`?',
    );
    expect(error.message).toContain(
      '.qgate.yml:7:7: coverage.reports[0].format: must be one of `lcov`, `cobertura`, `istanbul`, `istanbul-summary`, `clover`; got the text "jacoco".',
    );
  });

  it('rejects null as the new-code minimum, and .nan anywhere', async () => {
    await writeConfig('gates:\n  new_code_coverage:\n    min:\n  overall_coverage:\n    min: .nan\n');
    const error = await expectQgateError(() => loadConfig({ cwd }), 'CONFIG_INVALID');
    expect(error.message).toContain('gates.new_code_coverage.min: expected a number, got an empty value.');
    expect(error.message).toContain('gates.overall_coverage.min: expected a number or `null`, got `.nan` (not a number).');
  });

  it('requires a path on every report, and says where a misplaced key belongs', async () => {
    await writeConfig('coverage:\n  reports:\n    - format: lcov\nnew_code_coverage:\n  min: 80\n');
    const error = await expectQgateError(() => loadConfig({ cwd }), 'CONFIG_INVALID');
    expect(error.message).toContain('.qgate.yml:3:7: coverage.reports[0].path: is required here.');
    expect(error.message).toContain('.qgate.yml:4:1: new_code_coverage: unknown key here; `new_code_coverage` belongs under `gates`.');
  });

  it('lists the allowed keys when no known key is close', async () => {
    await writeConfig('gates:\n  performance_budget: {}\n');
    const error = await expectQgateError(() => loadConfig({ cwd }), 'CONFIG_INVALID');
    expect(error.message).toContain('gates.performance_budget: unknown key; the keys allowed here are `new_code_coverage`, `overall_coverage`, `e2e`, `performance`, `mutation`.');
  });

  it('rejects a file whose top level is not a mapping', async () => {
    await writeConfig('- gates\n- coverage\n');
    const error = await expectQgateError(() => loadConfig({ cwd }), 'CONFIG_INVALID');
    expect(error.message).toContain('.qgate.yml:1:1: the file must be a mapping of keys such as `gates:`, but it is a list.');
  });

  it('rejects values a YAML tag turned into something else', async () => {
    await writeConfig('coverage:\n  sources: !!binary aGVsbG8=\n');
    const error = await expectQgateError(() => loadConfig({ cwd }), 'CONFIG_INVALID');
    expect(error.message).toContain('.qgate.yml:2:3: coverage.sources: is a');
    expect(error.message).toContain('made by the tag `!!binary`');
    expect(error.message.split('\n')).toHaveLength(2);
  });

  it('reports a YAML syntax error with its position', async () => {
    await writeConfig('gates:\n  new_code_coverage:\n    min: [80\n');
    const error = await expectQgateError(() => loadConfig({ cwd }), 'CONFIG_YAML');
    expect(error.file).toBe('.qgate.yml');
    expect(error.position?.line).toBeGreaterThanOrEqual(3);
    expect(formatError(error)).toMatch(/\.qgate\.yml:\d+:\d+: is not valid YAML: /);
  });

  it('reports an unknown YAML tag (a GitLab `!reference` pasted in) as invalid YAML', async () => {
    await writeConfig('coverage:\n  sources: !reference [.base, sources]\n');
    const error = await expectQgateError(() => loadConfig({ cwd }), 'CONFIG_YAML');
    expect(error.position).toEqual({ line: 2, column: 12 });
  });

  it('reports a duplicate key with its key path and both lines', async () => {
    await writeConfig('gates:\n  new_code_coverage:\n    min: 70\n    min: 90\n');
    const error = await expectQgateError(() => loadConfig({ cwd }), 'CONFIG_YAML');
    expect(error.position).toEqual({ line: 4, column: 5 });
    expect(error.message).toBe(
      'gates.new_code_coverage.min is written twice in the same mapping (first on line 3); YAML keys must be unique, so keep one.',
    );
  });

  it('stops an alias bomb quickly and cleanly', async () => {
    const rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [from, to] of [...'abcdefgh'].map((letter, index) => [letter, 'bcdefghi'[index]])) {
      rows.push(`${to}: &${to} [${Array(9).fill(`*${from}`).join(',')}]`);
    }
    await writeConfig(`${rows.join('\n')}\n`);
    const started = Date.now();
    const error = await expectQgateError(() => loadConfig({ cwd }), 'CONFIG_YAML');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.message).toContain('billion laughs');
  });

  it('does not let a __proto__ key reach the prototype', async () => {
    await writeConfig('__proto__:\n  polluted: true\n');
    const error = await expectQgateError(() => loadConfig({ cwd }), 'CONFIG_INVALID');
    expect(error.message).toContain('__proto__: unknown key');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('loadConfig: preset names', () => {
  it('rejects an unknown preset from --preset with a suggestion and the list', async () => {
    const error = await expectQgateError(() => loadConfig({ cwd, preset: 'strcit' }), 'PRESET_UNKNOWN');
    expect(error.message).toContain('--preset: there is no preset `strcit`. Did you mean `strict`?');
    expect(error.message).toContain('The presets are `default`, `strict`');
  });

  it('rejects an unknown preset from `extends` at its position', async () => {
    await writeConfig('# base\nextends: defualt\n');
    const error = await expectQgateError(() => loadConfig({ cwd }), 'PRESET_UNKNOWN');
    expect(error.file).toBe('.qgate.yml');
    expect(error.position).toEqual({ line: 2, column: 1 });
    expect(error.message).toContain('Did you mean `default`?');
  });

  it.each(['../../etc/passwd', '/etc/passwd', 'Strict', 'strict.yml', '.hidden', ''])('refuses the preset name %j', async (name) => {
    const error = await expectQgateError(() => loadConfig({ cwd, preset: name }), 'PRESET_UNKNOWN');
    expect(error.message).toContain('The presets are');
    expect(error.message).not.toContain('root:');
  });

  it('suggests `strict` for `Strict` and `strict.yml`', async () => {
    for (const name of ['Strict', 'strict.yml']) {
      const error = await expectQgateError(() => loadConfig({ cwd, preset: name }), 'PRESET_UNKNOWN');
      expect(error.message).toContain('Did you mean `strict`?');
    }
  });

  it('refuses a path in `extends`', async () => {
    await writeConfig('extends: ../../etc/passwd\n');
    const error = await expectQgateError(() => loadConfig({ cwd }), 'PRESET_UNKNOWN');
    expect(error.message).toContain('is not a preset name');
  });
});

describe('loadConfig: broken presets', () => {
  let presetsDir: string;

  beforeEach(async () => {
    presetsDir = join(cwd, 'presets');
    await mkdir(presetsDir);
    await copyFile(join(GATES_DIR, 'default.yml'), join(presetsDir, 'default.yml'));
  });

  it('reports a cycle of extends', async () => {
    await writeFile(join(presetsDir, 'a.yml'), 'extends: b\n');
    await writeFile(join(presetsDir, 'b.yml'), '# b\nextends: a\n');
    const error = await expectQgateError(() => loadConfig({ cwd, preset: 'a', presetsDir }), 'CONFIG_INVALID');
    expect(error.message).toContain(`${join(presetsDir, 'b.yml')}:2:1: extends: presets extend each other in a cycle: a → b → a.`);
    expect(error.hint).toContain('qgate bug');
  });

  it('reports a preset extending itself', async () => {
    await writeFile(join(presetsDir, 'loop.yml'), 'extends: loop\n');
    const error = await expectQgateError(() => loadConfig({ cwd, preset: 'loop', presetsDir }), 'CONFIG_INVALID');
    expect(error.message).toContain('loop → loop');
  });

  it('reports schema problems in a preset, naming the preset file', async () => {
    await writeFile(join(presetsDir, 'broken.yml'), 'extends: default\ngates:\n  overall_coverage:\n    maxDrops: 2\n');
    const error = await expectQgateError(() => loadConfig({ cwd, preset: 'broken', presetsDir }), 'CONFIG_INVALID');
    expect(error.message).toContain(`${join(presetsDir, 'broken.yml')}:4:5: gates.overall_coverage.maxDrops: unknown key; did you mean \`maxDrop\`?`);
  });

  it('reports a default the base preset forgot', async () => {
    await writeFile(join(presetsDir, 'default.yml'), 'gates:\n  new_code_coverage:\n    min: 80\n');
    const error = await expectQgateError(() => loadConfig({ cwd, presetsDir }), 'CONFIG_INVALID');
    expect(error.message).toContain('gates.new_code_coverage.enabled: is set by no file; the preset `default` must give it a default.');
    expect(error.message).toContain('coverage: is set by no file');
  });
});

describe('pure pieces', () => {
  it('merges mappings key by key and replaces lists and values', () => {
    const base = { a: { b: 1, c: [1, 2] }, d: 'x' };
    const merged = mergeConfigData(base, { a: { c: [3] }, d: null });
    expect(merged).toEqual({ a: { b: 1, c: [3] }, d: null });
    expect(base).toEqual({ a: { b: 1, c: [1, 2] }, d: 'x' });
  });

  it('resolves parsed layers without touching the disk', async () => {
    const defaults = parseConfigLayer(await readFile(join(GATES_DIR, 'default.yml'), 'utf8'), 'default.yml');
    const project = parseConfigLayer('gates:\n  overall_coverage:\n    enabled: false\n', '.qgate.yml');
    expect(defaults.problems).toEqual([]);
    expect(project.problems).toEqual([]);
    const config = resolveConfig([defaults.layer, project.layer], 'default');
    expect(config.gates.overall_coverage.enabled).toBe(false);
    expect(project.layer.locate(['gates', 'overall_coverage', 'enabled'])).toEqual({ line: 3, column: 5 });
  });

  it('suggests only close names', () => {
    expect(suggestName('mni', ['min', 'maxDrop'])).toBe('min');
    expect(suggestName('on_missing', ['onMissing', 'min'])).toBe('onMissing');
    expect(suggestName('newCodeCoverage', ['new_code_coverage', 'overall_coverage'])).toBe('new_code_coverage');
    expect(suggestName('threshold', ['min', 'maxDrop'])).toBeUndefined();
  });

  it('knows the keys of every mapping in the schema', () => {
    expect(KNOWN_KEYS['']).toEqual(['extends', 'coverage', 'gates', 'gitlab']);
    expect(KNOWN_KEYS['gitlab.comment']).toEqual(['enabled', 'required', 'notifyOnVerdictChange']);
    expect(KNOWN_KEYS['coverage.reports[]']).toEqual(['path', 'format', 'root']);
    expect(KNOWN_KEYS['gates.overall_coverage']).toEqual(['enabled', 'blocking', 'onMissing', 'min', 'maxDrop']);
  });
});
