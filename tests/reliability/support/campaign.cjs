// `npm run reliability [-- --record]`: the reliability campaign alone. Each suite writes its figures
// to tests/reliability/last-run/ (ignored by git), and the campaign adds campaign.json (what Jest
// ran, how long, on what machine). With --record, and only when every suite passed and wrote fresh
// figures for every recorded suite, they are copied to tests/reliability/recorded/, the committed
// evidence, and docs/RELIABILITY.md is regenerated from them. Other arguments go to Jest.
const { spawnSync } = require('node:child_process');
const { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { availableParallelism, loadavg, tmpdir } = require('node:os');
const { join, relative } = require('node:path');

const root = join(__dirname, '..', '..', '..');
const lastRun = join(root, 'tests', 'reliability', 'last-run');
const recorded = join(root, 'tests', 'reliability', 'recorded');
const record = process.argv.includes('--record');
const jestArgs = process.argv.slice(2).filter((arg) => arg !== '--record');

rmSync(lastRun, { recursive: true, force: true });
const scratch = mkdtempSync(join(tmpdir(), 'fundtrail-campaign-'));
const jestResults = join(scratch, 'jest.json');
const loadAverageAtStart = Math.round(loadavg()[0] * 10) / 10;
const jest = spawnSync(
  process.execPath,
  [require.resolve('jest/bin/jest'), '--runInBand', '--json', `--outputFile=${jestResults}`, 'tests/reliability', ...jestArgs],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
const results = existsSync(jestResults) ? JSON.parse(readFileSync(jestResults, 'utf8')) : undefined;
rmSync(scratch, { recursive: true, force: true });
if (jest.status !== 0 || !results) {
  if (record) process.stderr.write('reliability: not recorded, the campaign did not pass\n');
  process.exit(jest.status || 1);
}

// What Jest itself reports, so the document's summary line is evidence too.
const finished = Date.now();
mkdirSync(lastRun, { recursive: true });
const campaign = {
  suite: 'campaign',
  startedAt: new Date(results.startTime).toISOString(),
  finishedAt: new Date(finished).toISOString(),
  wallSeconds: Math.round((finished - results.startTime) / 1000),
  testFiles: results.numTotalTestSuites,
  testFilesPassed: results.numPassedTestSuites,
  tests: results.numTotalTests,
  testsPassed: results.numPassedTests,
  testsFailed: results.numFailedTests,
  testsSkipped: results.numPendingTests + results.numTodoTests,
  files: results.testResults
    .map((file) => ({
      file: relative(root, file.name),
      tests: file.assertionResults.length,
      passed: file.assertionResults.filter((test) => test.status === 'passed').length,
      seconds: Math.round((file.endTime - file.startTime) / 100) / 10,
    }))
    .sort((a, b) => a.file.localeCompare(b.file)),
  machine: { cpus: availableParallelism(), loadAverageAtStart, node: process.version },
};
writeFileSync(join(lastRun, 'campaign.json'), `${JSON.stringify(campaign, null, 2)}\n`);

if (!record) {
  process.stdout.write(`reliability: figures in ${lastRun}; add --record to copy them to ${recorded}\n`);
  process.exit(0);
}
const fresh = readdirSync(lastRun).filter((name) => name.endsWith('.json'));
const missing = (existsSync(recorded) ? readdirSync(recorded) : []).filter((name) => name.endsWith('.json') && !fresh.includes(name));
if (missing.length > 0) {
  process.stderr.write(`reliability: not recorded, this run wrote no figures for ${missing.join(', ')} (a partial run?)\n`);
  process.exit(1);
}
mkdirSync(recorded, { recursive: true });
for (const name of fresh) copyFileSync(join(lastRun, name), join(recorded, name));
// Loaded only now: the generator as it is when the run ends.
const document = require('./report.cjs').writeReport(root);
process.stdout.write(`reliability: recorded ${fresh.length} files in ${recorded}; regenerated ${relative(root, document)} from them\n`);
