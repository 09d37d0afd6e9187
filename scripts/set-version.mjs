// `node scripts/set-version.mjs X.Y.Z` — run by semantic-release (.releaserc.json) before it
// commits a release: the version goes into package.json, package-lock.json and the component's
// default image tag (templates/qgate.yml), so the component of tag X.Y.Z runs image X.Y.Z.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const version = process.argv[2] ?? '';
if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
  process.stderr.write(`set-version: "${version}" is not a semantic version (X.Y.Z or X.Y.Z-pre)\n`);
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const name of ['package.json', 'package-lock.json']) {
  const path = join(root, name);
  const data = JSON.parse(readFileSync(path, 'utf8'));
  data.version = version;
  if (data.packages?.['']) data.packages[''].version = version;
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
}
const template = join(root, 'templates', 'qgate.yml');
const text = readFileSync(template, 'utf8');
const updated = text.replace(/(default: \S+\/qgate:)\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?/, `$1${version}`);
if (updated === text && !text.includes(`/qgate:${version}`)) {
  process.stderr.write('set-version: templates/qgate.yml has no `default: <registry>/qgate:<version>` image line\n');
  process.exit(1);
}
writeFileSync(template, updated);
process.stdout.write(`version ${version}: package.json, package-lock.json, templates/qgate.yml\n`);
