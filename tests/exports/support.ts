import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Response } from 'supertest';

const run = promisify(execFile);
const READER = join(__dirname, 'read_exports.py');
/** Debian's interpreter: the one python3-openpyxl (installed by .ci/run) belongs to. */
const PYTHON = '/usr/bin/python3';

/** Reads an export with Python's standard library (and openpyxl for XLSX): not the code that wrote it. */
export async function readWithPython<T>(kind: 'csv' | 'xlsx' | 'fdp' | 'iati', path: string): Promise<T> {
  const { stdout } = await run(PYTHON, [READER, kind, path], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as T;
}

/** A decimal as an exact (digits, scale) pair: "12.50", "1e-05" and "1.5e+16" all parse. */
function exact(text: string): { units: bigint; scale: number } {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!match) throw new Error(`not a decimal: ${text}`);
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  let units = BigInt(`${sign}${whole}${fraction}`);
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units, scale };
}

/** a × 10^shift = b, exactly (no floating point): "0.7365" with shift 2 equals "73.65". */
export function sameDecimal(a: string, b: string, shift = 0): boolean {
  const x = exact(a);
  const y = exact(b);
  const xs = x.scale - shift;
  const scale = Math.max(xs, y.scale, 0);
  const left = x.units * 10n ** BigInt(scale - xs);
  const right = y.units * 10n ** BigInt(scale - y.scale);
  return left === right;
}

/** supertest: the body as the bytes that arrived. */
export function bytes(response: NodeJS.ReadableStream, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
}

export type RawResponse = Response & { body: Buffer };
