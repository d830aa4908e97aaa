import { ReadModelCache } from './read-model-cache';

describe('ReadModelCache', () => {
  it('keeps its rows only while the stored checkpoint is the one they are as of', () => {
    const cache = new ReadModelCache<string>();
    cache.validate(0n);
    cache.set('a', 'row a', 10);
    cache.advance(5n);
    cache.validate(5n);
    expect(cache.get('a')).toBe('row a');
    // Another writer moved the checkpoint (or the batch that took the row in was rolled back).
    cache.validate(7n);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.stats()).toEqual({ rows: 0, chars: 0 });
  });

  it('trusts nothing before the first validation', () => {
    const cache = new ReadModelCache<string>();
    cache.set('a', 'row a', 10);
    cache.validate(0n);
    expect(cache.get('a')).toBeUndefined();
  });

  it('stays within its budget, dropping the least recently written rows first', () => {
    const cache = new ReadModelCache<string>(25);
    cache.validate(0n);
    cache.set('a', 'a1', 10);
    cache.set('b', 'b1', 10);
    cache.set('a', 'a2', 10); // a is now the most recent
    cache.set('c', 'c1', 10); // 30 > 25: b goes
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual(['a2', undefined, 'c1']);
    expect(cache.stats()).toEqual({ rows: 2, chars: 20 });
    cache.set('d', 'too big', 26); // never held, and the old row of that key is not kept either
    expect(cache.get('d')).toBeUndefined();
    expect(cache.stats()).toEqual({ rows: 2, chars: 20 });
  });
});
