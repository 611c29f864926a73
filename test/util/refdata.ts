// Loader for the reference cases (test/reference/cases/*.json) and their datasets, for engine tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../server/src/data/csv';
import type { DataTable } from '../../server/src/data/table';
import type { Factor, NamedColumn } from '../../server/src/engine/types';

// esbuild bundles tests into out/test/<area>/, so the repo root is three levels up from __dirname
function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    try {
      readFileSync(join(dir, 'test', 'reference', 'README.md'));
      return dir;
    } catch {
      dir = join(dir, '..');
    }
  }
  throw new Error('cannot find test/reference from ' + __dirname);
}

export const REF_DIR = join(repoRoot(), 'test', 'reference');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RefCase = any;

export function loadCase(name: string): RefCase {
  return JSON.parse(readFileSync(join(REF_DIR, 'cases', `${name}.json`), 'utf8'));
}

const cache = new Map<string, DataTable>();
export function loadData(name: string): DataTable {
  let t = cache.get(name);
  if (!t) {
    const file = join(REF_DIR, 'data', `${name}.csv`);
    t = parseCsv(readFileSync(file), file).table;
    cache.set(name, t);
  }
  return t;
}

/** Numeric column values (throws for string columns). */
export function num(t: DataTable, name: string): Float64Array {
  const c = t.get(name);
  if (!c) throw new Error(`no column ${name}`);
  if (c.kind !== 'numeric') throw new Error(`column ${name} is not numeric`);
  return c.values;
}

export function col(t: DataTable, name: string, as = name): NamedColumn {
  return { name: as, values: num(t, name) };
}

/** Integer codes of any column (numeric values factorized; NaN -> -1). */
export function codes(t: DataTable, name: string): Int32Array {
  const c = t.get(name);
  if (!c) throw new Error(`no column ${name}`);
  if (c.kind === 'string') return c.codes;
  const map = new Map<number, number>();
  const out = new Int32Array(c.values.length);
  c.values.forEach((v, i) => {
    if (Number.isNaN(v)) {
      out[i] = -1;
      return;
    }
    let k = map.get(v);
    if (k === undefined) map.set(v, (k = map.size));
    out[i] = k;
  });
  return out;
}

export function factor(t: DataTable, name: string, as = name): Factor {
  return { name: as, codes: codes(t, name) };
}
