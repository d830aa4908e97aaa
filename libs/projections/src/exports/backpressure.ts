import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** The reader of an export went away before it was complete (a closed download). */
export class ExportAbandoned extends Error {
  constructor() {
    super('the reader closed the export before it was complete');
    this.name = 'ExportAbandoned';
  }
}

/**
 * Resolves when `output` wants more (at once if it does already), rejects when it closes first:
 * a slow reader slows the export down instead of the export buffering in memory, and a reader
 * that leaves ends it (and frees its database connection) instead of leaving it waiting.
 */
export function whenWritable(output: Writable): Promise<void> {
  if (output.destroyed || output.writableEnded) return Promise.reject(new ExportAbandoned());
  if (!output.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      output.off('drain', onDrain);
      output.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new ExportAbandoned());
    output.on('drain', onDrain);
    output.on('close', onClose);
  });
}

export async function writeWithBackpressure(output: Writable, chunk: string): Promise<void> {
  if (output.destroyed) throw new ExportAbandoned();
  output.write(chunk);
  await whenWritable(output);
}

/** Ends `output` and waits until everything was handed over. */
export async function endOutput(output: Writable): Promise<void> {
  output.end();
  await finished(output);
}
