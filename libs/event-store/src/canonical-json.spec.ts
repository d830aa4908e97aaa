import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json';
import { chainHash, type SealedContent, sealedJson } from './hash-chain';

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
    expect(canonicalJson({ é: 1, z: 2, Z: 3, 中: 4 })).toBe('{"Z":3,"z":2,"é":1,"中":4}');
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

  it('quotes every string as JSON.stringify does: escapes, controls, lone and paired surrogates', () => {
    for (const text of ['', 'plain', '昆明市第45工程有限公司', 'a"b', 'a\\b', '\u0000\u001f\u007f', '\ud83d\ude02', '\ud83d', 'x\ude02y', '</script>']) {
      expect(canonicalJson(text)).toBe(JSON.stringify(text));
      expect(canonicalJson({ [text]: text })).toBe(reference({ [text]: text }));
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(canonicalJson(text)).toBe(JSON.stringify(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts keys whatever order they come in (integer-like keys, keys already sorted, reversed)', () => {
    expect(canonicalJson({ 2: 'a', 10: 'b', b: 1, a: 2 })).toBe('{"10":"b","2":"a","a":2,"b":1}');
    expect(canonicalJson({ a: 1, b: 2, c: 3 })).toBe('{"a":1,"b":2,"c":3}');
    expect(canonicalJson({ c: 3, b: 2, a: 1 })).toBe('{"a":1,"b":2,"c":3}');
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue()), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('chainHash', () => {
  /** What the chain has always sealed: sha256 over prevHash, then canonical JSON of an envelope object. */
  const referenceHash = (prevHash: string, event: SealedContent) =>
    createHash('sha256')
      .update(prevHash)
      .update(
        reference({
          eventId: event.eventId,
          type: event.type,
          streamId: event.streamId,
          streamRevision: event.streamRevision,
          recordedAt: event.recordedAt,
          data: event.data,
          metadata: event.metadata,
        }),
      )
      .digest('hex');

  it('equals the hash of the canonical envelope for any event content', () => {
    fc.assert(
      fc.property(
        fc.record({
          prevHash: fc.oneof(fc.constant('0'.repeat(64)), fc.string({ unit: 'binary' })),
          eventId: fc.uuid(),
          type: fc.string({ unit: 'binary' }),
          streamId: fc.string({ unit: 'binary' }),
          streamRevision: fc.bigInt({ min: 0n, max: 1n << 40n }),
          recordedAt: fc.date({ noInvalidDate: true }),
          data: fc.dictionary(fc.string(), fc.jsonValue()),
          metadata: fc.option(fc.dictionary(fc.string(), fc.jsonValue()), { nil: undefined }),
        }),
        ({ prevHash, ...event }) => {
          const sealed = event as unknown as SealedContent;
          expect(chainHash(prevHash, sealed)).toBe(referenceHash(prevHash, sealed));
          expect(sealedJson(sealed)).toBe(
            reference({
              eventId: sealed.eventId,
              type: sealed.type,
              streamId: sealed.streamId,
              streamRevision: sealed.streamRevision,
              recordedAt: sealed.recordedAt,
              data: sealed.data,
              metadata: sealed.metadata,
            }),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('keeps the hash the chain has always given a known event', () => {
    const event: SealedContent = {
      eventId: 'bc0dd160-b343-4bf7-a489-8e50e12ca5d0',
      type: 'DisbursementRecorded',
      streamId: 'project-p0-00019',
      streamRevision: 7n,
      recordedAt: new Date('2024-10-22T01:02:03.456Z'),
      data: { payee: '昆明市第45工程有限公司', amount: '1877901.11', projectId: 'p0-00019', disbursementId: 'd000001' },
      metadata: { actor: { id: 'officer-021', role: 'budget-officer' }, schemaVersion: 1 } as unknown as SealedContent['metadata'],
    };
    expect(chainHash('0'.repeat(64), event)).toBe('db39c589293e4e876016b5efd05ba7cdba896fb58d1b59e77b34cf29c43040b8');
  });
});

/**
 * RFC 8785 (JSON Canonicalization Scheme) test vectors: the inputs and outputs of the RFC's
 * reference test data (cyberphone/json-canonicalization, testdata/) and its Appendix B numbers.
 * The hash chain seals canonical JSON, so this output must never change.
 */
describe('canonicalJson against the RFC 8785 test vectors', () => {
  const vectors: Array<[name: string, input: string, output: string]> = [
    ['arrays', '[\n  56,\n  {\n    "d": true,\n    "10": null,\n    "1": [ ]\n  }\n]', '[56,{"1":[],"10":null,"d":true}]'],
    [
      'french',
      '{\n  "peach": "This sorting order",\n  "péché": "is wrong according to French",\n  "pêche": "but canonicalization MUST",\n  "sin":   "ingnore locale"\n}\n',
      '{"peach":"This sorting order","péché":"is wrong according to French","pêche":"but canonicalization MUST","sin":"ingnore locale"}',
    ],
    [
      'structures',
      '{\n  "1": {"f": {"f": "hi","F": 5} ,"\\n": 56.0},\n  "10": { },\n  "": "empty",\n  "a": { },\n  "111": [ { } ],\n  "A": { }\n}',
      '{"":"empty","1":{"\\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}}',
    ],
    ['unicode', '{\n  "Unnormalized Unicode":"\\u1e0d\\u0307"\n}\n', '{"Unnormalized Unicode":"\u1e0d\u0307"}'],
    [
      'values',
      '{\n  "numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],\n  "escaping": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n  "literals": [null, true, false]\n}',
      '{"escaping":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/","literals":[null,true,false],"numbers":[1e+30,4.5,333333333.3333333,0.002,1e-27]}',
    ],
    [
      'weird',
      '{\n  "\\u20ac": "Euro Sign",\n  "1": "One",\n  "\\u0080": "Control\\u007f",\n  "\\ud83d\\ude02": "Smiley",\n  "\\u00f6": "Latin Small Letter O With Diaeresis",\n  "\\ufb33": "Hebrew Letter Dalet With Dagesh",\n  "</script>": "Browser Challenge"\n}\n',
      '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    ],
  ];

  it.each(vectors)('%s', (_name, input, output) => {
    expect(canonicalJson(JSON.parse(input))).toBe(output);
  });

  // Appendix B: IEEE 754 bit patterns and their canonical text.
  const numbers: Array<[bits: string, text: string]> = [
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ];

  it.each(numbers)('number %s', (bits, text) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setBigUint64(0, BigInt(`0x${bits}`));
    expect(canonicalJson(view.getFloat64(0))).toBe(text);
  });

  it('refuses NaN and Infinity (Appendix B: 7fffffffffffffff, 7ff0000000000000)', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson(Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });
});
