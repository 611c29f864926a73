// Categorical variables as integer codes: fixed effects, clusters, by-groups and i. dummies all
// work on codes 0..k-1 (-1 missing) so nothing re-hashes values in the estimation loop.
//
// Coding is cached by the column's data array (and, for a#b, by the arrays of its parts): data steps
// never write into a column's array in place (generate/replace/sort/keep/drop all build new arrays,
// `use` loads new ones), so the same array means the same values, and a replaced column simply misses
// the cache (the old entry dies with its array: WeakMap). A study that fits dozens of models on one
// panel codes its unit and time variables once. Cached codes are shared: callers must not write
// into them.
import type { Column, DataTable } from '../data/table';
import type { Factor } from '../engine/types';
import { RunError } from './errors';
import { completeLevels, markComplete } from '../engine/completeCodes';
import { valueFacts } from '../engine/columnFacts';
import { emptyFirst, firstPass } from '../data/moments';

export interface Coded {
  codes: Int32Array;
  nlevels: number;
  /** Level labels in code order (numbers as text for numeric columns); computed on first use. */
  labels: string[];
}

const columnCache = new WeakMap<Float64Array | Int32Array, { levels: string[] | null; coded: Coded }>();

/** Codes in ascending order of value (numbers numerically, strings alphabetically). */
export function codeColumn(table: DataTable, name: string): Coded {
  const c = table.get(name);
  if (!c) throw new RunError(`variable ${name} not found`);
  return codeOf(c);
}

/** codeColumn for a column already looked up. */
export function codeOf(c: Column): Coded {
  const key = c.kind === 'numeric' ? c.values : c.codes;
  const levels = c.kind === 'numeric' ? null : c.levels;
  const hit = columnCache.get(key);
  if (hit && hit.levels === levels) return hit.coded;
  const coded = c.kind === 'numeric' ? codeNumeric(c.values) : codeStrings(c.codes, c.levels);
  columnCache.set(key, { levels, coded });
  return coded;
}

/** A Coded whose labels are made from the sorted distinct values only when asked for. */
function lazyLabels(codes: Int32Array, nlevels: number, make: () => string[]): Coded {
  let labels: string[] | null = null;
  return {
    codes,
    nlevels,
    get labels(): string[] {
      return (labels ??= make());
    },
  };
}

/**
 * Numeric codes. Whole numbers over a range not much wider than the column (ids, years: the usual
 * FE and cluster variables) go through a presence table, O(rows + range); anything else sorts the
 * distinct values and finds each row's by binary search. The range comes from the loader's profile
 * when it made one (columnFacts.ts), else from a scan.
 */
function codeNumeric(v: Float64Array): Coded {
  const n = v.length;
  const codes = new Int32Array(n);
  const facts = valueFacts(v);
  let min = Infinity;
  let max = -Infinity;
  let whole = true;
  if (facts) {
    if (facts.missing < n) {
      min = facts.min;
      max = facts.max;
      whole = facts.integer && Number.isFinite(min) && Number.isFinite(max);
    }
  } else {
    // the loader's profile pass (compiled by the time a model runs)
    const f = firstPass(v, 0, n, emptyFirst());
    if (f.n > 0) {
      min = f.min;
      max = f.max;
      whole = f.integer && Number.isFinite(min) && Number.isFinite(max);
    }
  }
  if (min > max) {
    codes.fill(-1);
    return { codes, nlevels: 0, labels: [] };
  }
  const range = max - min;
  if (whole && range <= 2 * n + 65536) {
    // one pass stores each row's offset from the minimum and counts the rows per offset; ids and years
    // usually fill their range, and then the offsets are already the codes and the counts the level
    // sizes (else a pass over the int32 offsets renumbers them)
    const slot = new Int32Array(range + 1);
    const state = new Int32Array(3); // [largest offset so far, codes in order of first appearance, some missing]
    state[0] = -1;
    state[1] = 1;
    // a short first block runs the whole function in the interpreter, so that V8 has seen the code after
    // the loop when it optimizes (else the loop, compiled mid-way, is thrown out at its end on every block)
    for (let lo = 0; lo < n; ) {
      const hi = Math.min(n, lo === 0 ? 256 : lo + OFFSET_BLOCK);
      offsetBlock(v, lo, hi, min, codes, slot, state);
      lo = hi;
    }
    const missing = state[2] === 1;
    let k = 0;
    for (let s = 0; s <= range; s++) if (slot[s]) k++;
    let counts = slot;
    if (k !== range + 1) {
      counts = new Int32Array(k);
      let c = 0;
      for (let s = 0; s <= range; s++) {
        if (slot[s]) {
          counts[c] = slot[s];
          slot[s] = ++c; // code + 1, ascending by value
        }
      }
      renumber(codes, slot);
    }
    if (!missing) markComplete(codes, k, counts, state[1] === 1);
    return lazyLabels(codes, k, () => {
      const out: string[] = [];
      for (let s = 0; s <= range; s++) if (slot[s]) out.push(String(min + s));
      return out;
    });
  }
  // distinct values, sorted (-0 and 0 are one level, as a Set would have them)
  let m = 0;
  const vals = new Float64Array(n);
  for (let i = 0; i < n; i++) if (v[i] === v[i]) vals[m++] = v[i];
  const sorted = vals.subarray(0, m).sort();
  let u = 0;
  for (let j = 0; j < m; j++) if (u === 0 || sorted[j] !== sorted[u - 1]) sorted[u++] = sorted[j] === 0 ? 0 : sorted[j];
  const uniq = sorted.slice(0, u);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x !== x) {
      codes[i] = -1;
      continue;
    }
    let lo = 0;
    let hi = u - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (uniq[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    codes[i] = lo;
  }
  if (m === n) markComplete(codes, u);
  return lazyLabels(codes, u, () => Array.from(uniq, (x) => String(x)));
}

const OFFSET_BLOCK = 1 << 14;

/**
 * Rows [lo, hi): codes[i] = v[i] - min (-1 when missing), counted in slot; state = [largest offset
 * so far, 1 while each new value is larger than all before it, 1 once a value is missing]. Its own
 * function called on blocks: V8 optimizes it whole after the first blocks (see data/moments.ts).
 */
function offsetBlock(v: Float64Array, lo: number, hi: number, min: number, codes: Int32Array, slot: Int32Array, state: Int32Array): void {
  let top = state[0];
  let ordered = state[1];
  let missing = state[2];
  for (let i = lo; i < hi; i++) {
    const x = v[i];
    if (x === x) {
      const s = (x - min) | 0; // an int32 index: a double key takes V8's slow element path
      codes[i] = s;
      const c = slot[s];
      if (c === 0) {
        if (s < top) ordered = 0;
        else top = s;
      }
      slot[s] = c + 1;
    } else {
      codes[i] = -1;
      missing = 1;
    }
  }
  state[0] = top;
  state[1] = ordered;
  state[2] = missing;
}

/** Offsets (-1 missing) to codes: slot[offset] is code + 1. */
function renumber(codes: Int32Array, slot: Int32Array): void {
  for (let i = 0; i < codes.length; i++) {
    const s = codes[i];
    if (s >= 0) codes[i] = slot[s] - 1;
  }
}

/** String codes renumbered alphabetically, unused and empty levels left out. */
function codeStrings(src: Int32Array, levels: string[]): Coded {
  const n = src.length;
  const codes = new Int32Array(n);
  const order = levels.map((_, k) => k).sort((a, b) => (levels[a] < levels[b] ? -1 : levels[a] > levels[b] ? 1 : 0));
  const used = new Uint8Array(levels.length);
  for (let i = 0; i < n; i++) if (src[i] >= 0 && levels[src[i]] !== '') used[src[i]] = 1;
  const compact = new Int32Array(levels.length).fill(-1);
  const labels: string[] = [];
  for (const k of order)
    if (used[k]) {
      compact[k] = labels.length;
      labels.push(levels[k]);
    }
  for (let i = 0; i < n; i++) codes[i] = src[i] < 0 ? -1 : compact[src[i]];
  return { codes, nlevels: labels.length, labels };
}

const pairCache = new WeakMap<Int32Array, WeakMap<Int32Array, Coded>>();

/**
 * Combines several coded variables into one factor (a#b): a level for each observed combination,
 * numbered in order of first appearance, missing where any part is. Cached by the parts' code arrays.
 */
export function combineCodes(parts: Coded[]): Coded {
  let acc = parts[0];
  for (let j = 1; j < parts.length; j++) {
    const b = parts[j];
    let inner = pairCache.get(acc.codes);
    if (!inner) pairCache.set(acc.codes, (inner = new WeakMap()));
    let c = inner.get(b.codes);
    if (!c) inner.set(b.codes, (c = combinePair(acc, b)));
    acc = c;
  }
  return acc;
}

function combinePair(a: Coded, b: Coded): Coded {
  const n = a.codes.length;
  const ac = a.codes;
  const bc = b.codes;
  const nb = b.nlevels;
  const codes = new Int32Array(n);
  // a dense table of cells when it stays small, else a hash map of the pairs
  const cells = a.nlevels * nb;
  const complete = completeLevels(ac) !== null && completeLevels(bc) !== null;
  let first: Int32Array; // a row where each combined level first occurs (for its label)
  let levels: number;
  if (cells <= 4 * n + (1 << 20)) {
    // cell -> code + 1 (0: not seen yet), so the fresh zeroed table needs no fill
    const dense = new Int32Array(cells);
    first = new Int32Array(Math.min(cells, n));
    if (complete) {
      const counts = new Int32Array(Math.min(cells, n));
      levels = denseCodesComplete(ac, bc, nb, dense, codes, first, counts);
      // numbered in order of first appearance, with the rows per level: a model on every row needs no pass of its own over them
      markComplete(codes, levels, counts.slice(0, levels), true);
    } else levels = denseCodes(ac, bc, nb, dense, codes, first);
  } else {
    const sparse = new Map<number, number>();
    const rows: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = ac[i];
      const y = bc[i];
      if (x < 0 || y < 0) {
        codes[i] = -1;
        continue;
      }
      const key = x * nb + y;
      let k = sparse.get(key);
      if (k === undefined) {
        k = rows.length;
        sparse.set(key, k);
        rows.push(i);
      }
      codes[i] = k;
    }
    first = Int32Array.from(rows);
    levels = rows.length;
    if (complete) markComplete(codes, levels, null, true);
  }
  return lazyLabels(codes, levels, () => {
    const la = a.labels;
    const lb = b.labels;
    return Array.from(first.subarray(0, levels), (i) => `${la[ac[i]]}#${lb[bc[i]]}`);
  });
}

/** Codes of the cells in order of first appearance through a dense table (cell -> code + 1); returns the number of levels. */
function denseCodes(ac: Int32Array, bc: Int32Array, nb: number, dense: Int32Array, codes: Int32Array, first: Int32Array): number {
  let levels = 0;
  for (let i = 0; i < ac.length; i++) {
    const x = ac[i];
    const y = bc[i];
    if (x < 0 || y < 0) {
      codes[i] = -1;
      continue;
    }
    const key = x * nb + y;
    let k = dense[key] - 1;
    if (k < 0) {
      k = levels++;
      dense[key] = levels;
      first[k] = i;
    }
    codes[i] = k;
  }
  return levels;
}

/** `denseCodes` for parts known to have no missing code. */
function denseCodesComplete(ac: Int32Array, bc: Int32Array, nb: number, dense: Int32Array, codes: Int32Array, first: Int32Array, counts: Int32Array): number {
  let levels = 0;
  for (let i = 0; i < ac.length; i++) {
    const key = ac[i] * nb + bc[i];
    let k = dense[key] - 1;
    if (k < 0) {
      k = levels++;
      dense[key] = levels;
      first[k] = i;
    }
    codes[i] = k;
    counts[k]++;
  }
  return levels;
}

export function toFactor(name: string, c: Coded): Factor {
  return { name, codes: c.codes, nlevels: c.nlevels };
}
