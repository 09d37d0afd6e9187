#!/usr/bin/env node
// Writes src/version.ts from package.json before every build (`prebuild`), so the CLI carries
// its version as a constant instead of reading package.json at run time. The file is committed
// (tsc --noEmit and vitest need it without a build); test/version.test.ts fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (typeof version !== 'string' || !/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/.test(version)) {
  console.error(`write-version: package.json "version" is not a semantic version: ${JSON.stringify(version)}`);
  process.exit(1);
}
const text = `// Generated from package.json by scripts/write-version.mjs (npm run build); do not edit.\nexport const QGATE_VERSION = ${JSON.stringify(version)};\n`;
const file = join(root, 'src', 'version.ts');
let current = '';
try {
  current = readFileSync(file, 'utf8');
} catch {
  // First build.
}
if (current !== text) writeFileSync(file, text);
