// `npm run reliability [-- --record]`: the reliability campaign alone. Each suite writes its figures
// to tests/reliability/last-run/ (ignored by git). With --record, and only when every suite passed
// and wrote fresh figures for every recorded suite, they are copied to tests/reliability/recorded/,
// the committed evidence docs/RELIABILITY.md quotes. Other arguments go to Jest.
const { spawnSync } = require('node:child_process');
const { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..', '..');
const lastRun = join(root, 'tests', 'reliability', 'last-run');
const recorded = join(root, 'tests', 'reliability', 'recorded');
const record = process.argv.includes('--record');
const jestArgs = process.argv.slice(2).filter((arg) => arg !== '--record');

rmSync(lastRun, { recursive: true, force: true });
const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--runInBand', 'tests/reliability', ...jestArgs], { cwd: root, stdio: 'inherit' });
if (jest.status !== 0) {
  if (record) process.stderr.write('reliability: not recorded, the campaign did not pass\n');
  process.exit(jest.status ?? 1);
}
if (!record) {
  process.stdout.write(`reliability: figures in ${lastRun}; add --record to copy them to ${recorded}\n`);
  process.exit(0);
}
const fresh = existsSync(lastRun) ? readdirSync(lastRun).filter((name) => name.endsWith('.json')) : [];
const missing = (existsSync(recorded) ? readdirSync(recorded) : []).filter((name) => name.endsWith('.json') && !fresh.includes(name));
if (missing.length > 0) {
  process.stderr.write(`reliability: not recorded, this run wrote no figures for ${missing.join(', ')} (a partial run?)\n`);
  process.exit(1);
}
mkdirSync(recorded, { recursive: true });
for (const name of fresh) copyFileSync(join(lastRun, name), join(recorded, name));
process.stdout.write(`reliability: recorded ${fresh.length} suites in ${recorded}; regenerate docs/RELIABILITY.md from them\n`);
