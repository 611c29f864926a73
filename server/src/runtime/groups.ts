// Sorting and by-groups: `sort`, `bysort a b (c):` reorder the rows (as Stata does) so that each
// group is contiguous, then _n / _N / x[_n-1] / egen work within a group.
import { DataTable, type Column } from '../data/table';
import { RunError } from './errors';
import type { ByGroups } from './session';

type KeyFn = (a: number, b: number) => number;

function comparator(table: DataTable, name: string): KeyFn {
  const c = table.get(name);
  if (!c) throw new RunError(`variable ${name} not found`);
  if (c.kind === 'numeric') {
    const v = c.values;
    return (a, b) => {
      const x = v[a];
      const y = v[b];
      if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1; // missing sorts last
      if (Number.isNaN(y)) return -1;
      return x - y;
    };
  }
  const s = c.codes.map((k) => k);
  const lv = c.levels;
  return (a, b) => {
    const x = s[a] < 0 ? '' : lv[s[a]];
    const y = s[b] < 0 ? '' : lv[s[b]];
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

/** The row order that sorts by `keys` (stable: ties keep their current order). */
export function sortOrder(table: DataTable, keys: string[]): Int32Array {
  const cmps = keys.map((k) => comparator(table, k));
  const idx = Array.from({ length: table.nrows }, (_, i) => i);
  idx.sort((a, b) => {
    for (const f of cmps) {
      const r = f(a, b);
      if (r !== 0) return r;
    }
    return a - b;
  });
  return Int32Array.from(idx);
}

/** A new table with rows in the order given. */
export function permute(table: DataTable, order: Int32Array): DataTable {
  const cols: Column[] = table.columns.map((c) => {
    if (c.kind === 'numeric') {
      const v = new Float64Array(order.length);
      for (let i = 0; i < order.length; i++) v[i] = c.values[order[i]];
      return { ...c, values: v };
    }
    const v = new Int32Array(order.length);
    for (let i = 0; i < order.length; i++) v[i] = c.codes[order[i]];
    return { ...c, codes: v };
  });
  return new DataTable(table.nrows, cols);
}

/** Groups of consecutive rows with equal `vars` (the table must already be sorted by them). */
export function contiguousGroups(table: DataTable, vars: string[]): ByGroups {
  const n = table.nrows;
  const start = new Int32Array(n);
  const size = new Int32Array(n);
  const cmps = vars.map((k) => comparator(table, k));
  let s = 0;
  for (let i = 1; i <= n; i++) {
    if (i === n || cmps.some((f) => f(i - 1, i) !== 0)) {
      for (let j = s; j < i; j++) {
        start[j] = s;
        size[j] = i - s;
      }
      s = i;
    }
  }
  return { vars, start, size };
}

/** Group ids 0..G-1 (in order of first appearance) for rows, given contiguous groups. */
export function groupIds(by: ByGroups): Int32Array {
  const ids = new Int32Array(by.start.length);
  let g = -1;
  for (let i = 0; i < ids.length; i++) {
    if (by.start[i] === i) g++;
    ids[i] = g;
  }
  return ids;
}
