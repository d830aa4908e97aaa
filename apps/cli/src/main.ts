import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli.module';

async function main(): Promise<void> {
  await CommandFactory.run(CliModule, {
    logger: ['error', 'warn'],
    cliName: 'fundtrail',
    errorHandler: (error: Error & { code?: string; exitCode?: number }) => {
      // commander reports --help and --version as "errors" with exit code 0.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version') {
        process.exit(0);
      }
      process.stderr.write(`fundtrail: ${error.message}\n`);
      process.exit(error.exitCode && error.exitCode > 0 ? error.exitCode : 1);
    },
    serviceErrorHandler: (error: Error) => {
      process.stderr.write(`fundtrail: ${error.message}\n`);
      process.exit(1);
    },
  });
}

void main();
