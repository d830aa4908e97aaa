/** Embedded PostgreSQL could not be prepared, started or kept running; the message is one line, fit for a terminal. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(oneLine(message));
    this.name = 'EmbeddedPostgresError';
  }
}

/** An error's message without the stack, on one line. */
export function reason(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message; // errors from another realm (child_process under Jest) too
  return oneLine(typeof message === 'string' ? message : String(error));
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
