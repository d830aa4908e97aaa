/** The same object without its undefined keys: event data is JSON, where absent is not `undefined`. */
export function withoutUndefined<T extends object>(data: T): T {
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined)) as T;
}
