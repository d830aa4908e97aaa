import { Command, CommandRunner, Option } from 'nest-commander';
import { isRole, lifetimeSeconds, resolveJwtSecret, ROLES, signToken } from '@fundtrail/auth';
import { loadConfig } from '@fundtrail/platform';

interface TokenOptions {
  role?: string;
  sub?: string;
  expiresIn?: string;
}

/** Prints a signed bearer token alone on stdout, so `TOKEN=$(npm run -s cli -- token ...)` works. */
@Command({ name: 'token', description: 'print a signed JWT for a role and subject' })
export class TokenCommand extends CommandRunner {
  async run(_: string[], options: TokenOptions): Promise<void> {
    if (!isRole(options.role)) throw new CliUsageError(`--role must be one of: ${ROLES.join(', ')}`);
    if (!options.sub) throw new CliUsageError('--sub <id> is required');
    if (options.expiresIn !== undefined) {
      try {
        lifetimeSeconds(options.expiresIn);
      } catch (error) {
        throw new CliUsageError(`--expires-in: ${(error as Error).message}`);
      }
    }
    const config = loadConfig();
    const secret = resolveJwtSecret(config);
    process.stdout.write(`${signToken({ sub: options.sub, role: options.role }, secret, options.expiresIn)}\n`);
  }

  @Option({ flags: '--role <role>', description: `one of ${ROLES.join(', ')}` })
  parseRole(value: string): string {
    return value;
  }

  @Option({ flags: '--sub <id>', description: 'the subject (user id) the token names' })
  parseSub(value: string): string {
    return value;
  }

  @Option({
    flags: '--expires-in <duration>',
    description: 'lifetime: seconds, or a whole number of s, m, h or d, e.g. 30m, 8h, 7d (default 8h); every token expires',
  })
  parseExpiresIn(value: string): string {
    return value;
  }
}

export class CliUsageError extends Error {}
