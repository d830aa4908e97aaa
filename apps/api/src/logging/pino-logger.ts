import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import { currentCorrelationId } from './correlation';

/**
 * Structured JSON logs on stdout (or `destination`), written in chunks (bufferedStdout); authorization headers and secrets are redacted
 * at the source; a line written while serving a request carries that request's correlationId.
 */
export function createRootLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'fundtrail' },
    mixin: () => {
      const correlationId = currentCorrelationId();
      return correlationId === undefined ? {} : { correlationId };
    },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'authorization', 'token', 'secret', 'password', '*.password'],
      censor: '[redacted]',
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return pino(options, destination ?? bufferedStdout());
}

/** Bytes of log lines gathered before one write to stdout; a timer writes a smaller remainder. */
const LOG_BUFFER_BYTES = 4096;
const LOG_FLUSH_MS = 100;

/**
 * stdout, written in chunks of about LOG_BUFFER_BYTES (a dozen request lines) instead of one write
 * (a hop to libuv's thread pool) per line, and at least every LOG_FLUSH_MS: a line is at most
 * LOG_FLUSH_MS late. pino writes what is left synchronously when the process exits (a SIGKILL
 * loses at most the last LOG_FLUSH_MS of lines).
 */
function bufferedStdout(): DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES });
  const timer = setInterval(() => {
    try {
      stream.flush();
    } catch {
      clearInterval(timer); // destroyed: nothing more to write
    }
  }, LOG_FLUSH_MS);
  timer.unref();
  stream.on('close', () => clearInterval(timer));
  return stream;
}

/** Nest's logger interface over pino, so framework messages are JSON lines too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
