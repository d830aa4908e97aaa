import { Command, CommandRunner } from 'nest-commander';
import { loadConfig } from '@fundtrail/event-store';
import { serve } from '../../../api/src/serve';

/** The API, as `npm start` runs it (PORT, DATABASE_URL, FUNDTRAIL_SEED_ON_EMPTY… from the environment). */
@Command({ name: 'serve', description: 'run the HTTP API until SIGINT/SIGTERM' })
export class ServeCommand extends CommandRunner {
  async run(): Promise<void> {
    await serve(loadConfig());
    // Keep the command alive: serve() owns the signals and exits the process itself.
    await new Promise<never>(() => undefined);
  }
}
