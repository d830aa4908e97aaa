/**
 * An immutable string-keyed map whose `set` copies one path of a 16-way hash trie, not the
 * whole map: replaying a stream of n events costs O(n log n), where copying a Map per event
 * cost O(n²) (folding 20,000 disbursements: 32 s with Map copies, 0.2 s with this).
 * Iteration follows the keys' hashes, not their insertion order.
 */
const BITS = 4;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

type Entry<V> = readonly [key: string, value: V];
/** Every entry of a leaf shares the same full hash (more than one only on a collision). */
type Leaf<V> = { readonly hash: number; readonly entries: readonly Entry<V>[] };
type Branch<V> = { readonly slots: readonly (Trie<V> | undefined)[] };
type Trie<V> = Leaf<V> | Branch<V>;

export class PersistentMap<V> implements ReadonlyMap<string, V> {
  private constructor(
    private readonly root: Trie<V> | undefined,
    readonly size: number,
  ) {}

  static empty<V>(): PersistentMap<V> {
    return new PersistentMap<V>(undefined, 0);
  }

  static of<V>(entries: Iterable<Entry<V>>): PersistentMap<V> {
    let map = PersistentMap.empty<V>();
    for (const [key, value] of entries) map = map.set(key, value);
    return map;
  }

  get(key: string): V | undefined {
    return entryAt(this.root, key, hashOf(key), 0)?.[1];
  }

  has(key: string): boolean {
    return entryAt(this.root, key, hashOf(key), 0) !== undefined;
  }

  set(key: string, value: V): PersistentMap<V> {
    const size = this.has(key) ? this.size : this.size + 1;
    return new PersistentMap(insert(this.root, key, value, hashOf(key), 0), size);
  }

  /** The map with the entry at `key` replaced by `change(entry)`; this same map when there is none. */
  update(key: string | undefined, change: (value: V) => V): PersistentMap<V> {
    const entry = key === undefined ? undefined : entryAt(this.root, key, hashOf(key), 0);
    return entry === undefined ? this : this.set(entry[0], change(entry[1]));
  }

  *entries(): MapIterator<[string, V]> {
    for (const [key, value] of walk(this.root)) yield [key, value];
  }

  *keys(): MapIterator<string> {
    for (const [key] of walk(this.root)) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of walk(this.root)) yield value;
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [key, value] of walk(this.root)) callback(value, key, this);
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}

/** FNV-1a, 32 bits: stable across runs and processes, unlike anything keyed on identity. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

const isLeaf = <V>(node: Trie<V>): node is Leaf<V> => 'entries' in node;
const slotOf = (hash: number, shift: number): number => (hash >>> shift) & MASK;

function entryAt<V>(node: Trie<V> | undefined, key: string, hash: number, shift: number): Entry<V> | undefined {
  if (node === undefined) return undefined;
  if (isLeaf(node)) return node.hash === hash ? node.entries.find(([k]) => k === key) : undefined;
  return entryAt(node.slots[slotOf(hash, shift)], key, hash, shift + BITS);
}

function insert<V>(node: Trie<V> | undefined, key: string, value: V, hash: number, shift: number): Trie<V> {
  if (node === undefined) return { hash, entries: [[key, value]] };
  if (isLeaf(node)) {
    if (node.hash === hash) return { hash, entries: withLeafEntry(node.entries, key, value) };
    // Different hashes part ways by shift 28, so this descent ends within 8 levels.
    return insert(branchHolding(node, shift), key, value, hash, shift);
  }
  const slots = node.slots.slice();
  const slot = slotOf(hash, shift);
  slots[slot] = insert(slots[slot], key, value, hash, shift + BITS);
  return { slots };
}

function withLeafEntry<V>(entries: readonly Entry<V>[], key: string, value: V): Entry<V>[] {
  const index = entries.findIndex(([k]) => k === key);
  return index < 0 ? [...entries, [key, value]] : entries.map((entry, i) => (i === index ? [key, value] : entry));
}

function branchHolding<V>(leaf: Leaf<V>, shift: number): Branch<V> {
  const slots = new Array<Trie<V> | undefined>(WIDTH).fill(undefined);
  slots[slotOf(leaf.hash, shift)] = leaf;
  return { slots };
}

function* walk<V>(node: Trie<V> | undefined): Generator<Entry<V>> {
  if (node === undefined) return;
  if (isLeaf(node)) {
    yield* node.entries;
    return;
  }
  for (const slot of node.slots) yield* walk(slot);
}
