import 'reflect-metadata';
import { ConfigError, loadConfig } from '@fundtrail/platform';
import { serve } from './serve';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`fundtrail: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  await serve(config);
}

main().catch((error: unknown) => {
  process.stderr.write(`fundtrail: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
