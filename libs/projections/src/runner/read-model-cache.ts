/**
 * The rows one projector wrote, kept in memory between its batches so that the next batch folds
 * onto them without reading them back (a rebuild touches most rows in every batch: reading them
 * back cost a round trip, the jsonb parse and the terms decode per row per batch).
 *
 * It is only trusted while nothing else wrote those rows: it remembers the checkpoint position its
 * rows correspond to, and the runner drops it whenever the stored checkpoint (read under the
 * batch's lock) is anything else, i.e. when another process applied events, or when a transaction
 * whose rows it took in was rolled back. Its size is bounded by the JSON text of the rows it holds
 * (least recently written dropped first), so memory does not grow with the log: a row it no longer
 * holds is read from the table, as without a cache.
 */
export class ReadModelCache<Row> {
  private readonly rows = new Map<string, { row: Row; size: number }>();
  private size = 0;
  /** The checkpoint position the rows held are as of (undefined: nothing known yet). */
  private position?: bigint;

  /** @param maxChars the budget, in characters of the rows' stored JSON. */
  constructor(readonly maxChars = 8_000_000) {}

  /** Keeps the rows only if they are as of `stored` (the checkpoint read under the batch's lock). */
  validate(stored: bigint): void {
    if (this.position === stored) return;
    this.clear();
    this.position = stored;
  }

  /** The rows now stand for the checkpoint at `position` (the batch moved it there). */
  advance(position: bigint): void {
    this.position = position;
  }

  get(key: string): Row | undefined {
    return this.rows.get(key)?.row;
  }

  /** Takes in a row as written; `size` is the length of its stored JSON. */
  set(key: string, row: Row, size: number): void {
    const previous = this.rows.get(key);
    if (previous) {
      this.size -= previous.size;
      this.rows.delete(key); // re-inserted last: the Map's order is least recently written first
    }
    if (size > this.maxChars) return;
    this.rows.set(key, { row, size });
    this.size += size;
    for (const [oldest, entry] of this.rows) {
      if (this.size <= this.maxChars) break;
      this.rows.delete(oldest);
      this.size -= entry.size;
    }
  }

  clear(): void {
    this.rows.clear();
    this.size = 0;
    this.position = undefined;
  }

  /** Rows held and their JSON size (for tests and diagnostics). */
  stats(): { rows: number; chars: number } {
    return { rows: this.rows.size, chars: this.size };
  }
}
