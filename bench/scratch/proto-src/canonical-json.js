"use strict";
// Prototype of a faster canonicalJson: same output (keys sorted by UTF-16 code unit, undefined
// skipped, bigint as a decimal string, Date as ISO), without Object.entries/filter/map/join and
// with quoted keys memoised.
Object.defineProperty(exports, "__esModule", { value: true });
exports.canonicalJson = canonicalJson;
const QUOTED = new Map();
function quoted(key) {
    let q = QUOTED.get(key);
    if (q === undefined) {
        q = JSON.stringify(key);
        if (QUOTED.size < 10000) QUOTED.set(key, q);
    }
    return q;
}
function canonicalJson(value) {
    if (value === null) return 'null';
    switch (typeof value) {
        case 'string':
            return JSON.stringify(value);
        case 'boolean':
            return value ? 'true' : 'false';
        case 'number':
            if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity');
            return JSON.stringify(value);
        case 'bigint':
            return `"${value.toString()}"`;
        case 'object': {
            if (Array.isArray(value)) {
                let out = '[';
                for (let i = 0; i < value.length; i += 1) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
                return `${out}]`;
            }
            if (value instanceof Date) return JSON.stringify(value.toISOString());
            const keys = Object.keys(value).sort();
            let out = '{';
            let first = true;
            for (const key of keys) {
                const v = value[key];
                if (v === undefined) continue;
                out += (first ? '' : ',') + quoted(key) + ':' + canonicalJson(v);
                first = false;
            }
            return `${out}}`;
        }
        default:
            throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
    }
}
