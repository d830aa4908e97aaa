import { SingleBar, Presets } from 'cli-progress';

/** A progress bar on a terminal; plain lines (at most one per 10%) otherwise, e.g. in CI logs. */
export function progress(label: string, total: number): { update(done: number): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      { format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`, stream: process.stderr },
      Presets.shades_classic,
    );
    bar.start(Math.max(total, 1), 0);
    return { update: (done) => bar.update(Math.min(done, Math.max(total, 1))), stop: () => bar.stop() };
  }
  let lastDecile = -1;
  return {
    update(done) {
      const decile = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (decile > lastDecile) {
        lastDecile = decile;
        process.stderr.write(`${label}: ${done}/${total} (${Math.min(100, decile * 10)}%)\n`);
      }
    },
    stop: () => undefined,
  };
}
