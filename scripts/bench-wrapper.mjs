// Runs the qgate CLI and reports its peak RSS on stderr when it exits, for scripts/bench.mjs.
import { writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

process.on('exit', () => {
  writeSync(2, `\nQGATE_BENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
await import(pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js')).href);
