// Test helpers for the study estimators: reads a reference CSV into numeric columns and integer
// factor codes (the runtime's own reader is not needed for these engine-level tests).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Factor, NamedColumn } from '../../server/src/engine/types';

/** The repository root (tests run bundled from out/test/..., so walk up to package.json). */
export const root = ((): string => {
  let d = __dirname;
  while (!existsSync(join(d, 'package.json')) && dirname(d) !== d) d = dirname(d);
  return d;
})();

export interface Csv {
  n: number;
  num(name: string): NamedColumn;
  factor(name: string): Factor;
  raw(name: string): string[];
}

export function readCsv(path: string): Csv {
  const text = readFileSync(join(root, path), 'utf8').trim().split(/\r?\n/);
  const header = text[0].split(',').map((h) => h.replace(/^"|"$/g, ''));
  const rows = text.slice(1).map((l) => l.split(','));
  const col = (name: string): string[] => {
    const j = header.indexOf(name);
    if (j < 0) throw new Error(`no column ${name}`);
    return rows.map((r) => r[j].replace(/^"|"$/g, ''));
  };
  return {
    n: rows.length,
    raw: col,
    num: (name) => ({
      name,
      values: Float64Array.from(col(name), (s) => (s === '' || s === 'NA' || s === '.' ? NaN : Number(s))),
    }),
    factor: (name) => {
      const map = new Map<string, number>();
      const codes = Int32Array.from(col(name), (s) => {
        if (s === '' || s === 'NA') return -1;
        let c = map.get(s);
        if (c === undefined) { c = map.size; map.set(s, c); }
        return c;
      });
      return { name, codes, nlevels: map.size };
    },
  };
}

export function readCase(name: string): any {
  return JSON.parse(readFileSync(join(root, 'test', 'reference', 'cases', `${name}.json`), 'utf8'));
}

/** Relative difference, with an absolute floor for values near zero. */
export function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
}
