import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { relative } from 'node:path';
import { LAST_RUN_DIR, RECORDED_DIR, recordFigures, ROOT } from './support/reliability';

const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
const inGitCheckout = git('rev-parse', '--is-inside-work-tree').stdout.trim() === 'true';

/** `npm test` runs the campaign: the figures it writes must not touch a tracked file (`git status` stays clean). */
(inGitCheckout ? describe : describe.skip)('the figures a reliability run writes', () => {
  it('go to a directory git ignores, with no tracked file in it; the committed figures live elsewhere', () => {
    const file = recordFigures('probe-untracked', { probe: true });
    try {
      expect(relative(LAST_RUN_DIR, file)).toBe('probe-untracked.json');
      expect(git('check-ignore', '-q', file).status).toBe(0);
      expect(git('ls-files', '--', relative(ROOT, LAST_RUN_DIR)).stdout).toBe('');
      expect(git('status', '--porcelain', '--', relative(ROOT, LAST_RUN_DIR)).stdout).toBe('');
      expect(git('ls-files', '--', relative(ROOT, RECORDED_DIR)).stdout).toMatch(/crash-safety\.json/);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
