// Preloaded into the qgate CLI (`node --import`) by test/e2e/report-folder.test.ts: a real
// kill -9 of the run at one moment of the report folder's write, chosen by QGATE_TEST_KILL_AT —
// `write` while the fresh folder is half-written, `swap` between moving the old set aside and
// renaming the new one in — or, with `hold`, stopped just before the swap (holding its lock) after
// telling the test on stderr, until the test kills it.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { setInterval } from 'node:timers';

const require = createRequire(import.meta.url);
const fsp = require('node:fs/promises');
const at = process.env.QGATE_TEST_KILL_AT;
const { rename, writeFile } = fsp;

fsp.rename = async (from, to) => {
  if (at === 'swap' && String(from).endsWith('.qgate-new')) process.kill(process.pid, 'SIGKILL');
  if (at === 'hold' && String(from).endsWith('.qgate-new')) {
    process.stderr.write('qgate-test: holding the report folder\n');
    setInterval(() => {}, 1000);
    await new Promise(() => {});
  }
  return rename(from, to);
};
fsp.writeFile = async (path, ...rest) => {
  if (at === 'write' && String(path).includes('.qgate-new') && String(path).endsWith('comment.md')) process.kill(process.pid, 'SIGKILL');
  return writeFile(path, ...rest);
};
syncBuiltinESMExports();
