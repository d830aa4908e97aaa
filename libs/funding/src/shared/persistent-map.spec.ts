import fc from 'fast-check';
import { PersistentMap } from './persistent-map';

const sorted = <V>(map: ReadonlyMap<string, V>) => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe('PersistentMap', () => {
  it('holds what a Map holds after the same writes, and leaves every earlier version as it was', () => {
    const write = fc.tuple(fc.string({ maxLength: 4 }), fc.integer());
    fc.assert(
      fc.property(fc.array(write, { maxLength: 200 }), (writes) => {
        const expected = new Map<string, number>();
        let map = PersistentMap.empty<number>();
        const versions: [PersistentMap<number>, [string, number][]][] = [];
        for (const [key, value] of writes) {
          map = map.set(key, value);
          expected.set(key, value);
          versions.push([map, sorted(expected)]);
        }
        expect(map.size).toBe(expected.size);
        for (const [key, value] of expected) expect([map.has(key), map.get(key)]).toEqual([true, value]);
        for (const [version, entries] of versions) expect(sorted(version)).toEqual(entries);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps apart two keys whose hashes collide', () => {
    // 'djwpo' and 'd10ho0' share their FNV-1a hash (3715742409).
    const map = PersistentMap.of([
      ['djwpo', 1],
      ['d10ho0', 2],
    ]).set('djwpo', 3);
    expect([map.size, map.get('djwpo'), map.get('d10ho0'), map.has('djwpn')]).toEqual([2, 3, 2, false]);
  });

  it('reports absent keys, including those whose value would be undefined', () => {
    const map = PersistentMap.of<number | undefined>([['a', undefined]]);
    expect([map.has('a'), map.has('b'), map.get('b')]).toEqual([true, false, undefined]);
  });

  it('updates an existing entry only', () => {
    const map = PersistentMap.of([['a', 1]]);
    expect(map.update('a', (n) => n + 1).get('a')).toBe(2);
    expect(map.update('b', (n) => n + 1)).toBe(map);
    expect(map.update(undefined, (n) => n + 1)).toBe(map);
    expect(map.get('a')).toBe(1);
  });

  it('iterates as a ReadonlyMap', () => {
    const map = PersistentMap.of([
      ['a', 1],
      ['b', 2],
    ]);
    const seen: string[] = [];
    map.forEach((value, key) => seen.push(`${key}=${value}`));
    expect(seen.sort()).toEqual(['a=1', 'b=2']);
    expect([...map.keys()].sort()).toEqual(['a', 'b']);
    expect([...map.values()].sort()).toEqual([1, 2]);
    expect(new Map(map)).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
  });
});
