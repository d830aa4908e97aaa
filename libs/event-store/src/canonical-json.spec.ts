import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

/** A deliberately simple reference: what the hash chain has always sealed. */
function reference(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

describe('canonicalJson', () => {
  it('sorts keys, drops undefined members, writes bigint and Date as strings', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined, d: 10n, e: new Date('2024-08-31T00:00:00Z') })).toBe(
      '{"a":[true,null,"x"],"b":1,"d":"10","e":"2024-08-31T00:00:00.000Z"}',
    );
    expect(canonicalJson({ 'é': 1, z: 2, Z: 3, '中': 4 })).toBe('{"Z":3,"z":2,"é":1,"中":4}');
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
  });

  it('equals the simple reference for any JSON value (the chain must never change its input)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 2000 },
    );
  });
});
