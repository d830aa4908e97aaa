import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Command, CommandRunner } from 'nest-commander';

/** The API's own entry point, compiled beside this one (dist/apps/api/src/main.js). */
const API_MAIN = resolve(__dirname, '..', '..', '..', 'api', 'src', 'main.js');

/** The API, as `npm start` runs it (PORT, DATABASE_URL, FUNDTRAIL_SEED_ON_EMPTY… from the environment). */
@Command({ name: 'serve', description: 'run the HTTP API until SIGINT/SIGTERM' })
export class ServeCommand extends CommandRunner {
  async run(): Promise<void> {
    // A child process rather than an import: the API app stays its own program, and the CLI needs none of its code.
    const api = spawn(process.execPath, [API_MAIN], { stdio: 'inherit' });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => api.kill(signal));
    const code = await new Promise<number>((done) => api.on('exit', (exit, signal) => done(exit ?? (signal ? 1 : 0))));
    process.exit(code);
  }
}
