// What the language server knows about a dataset: a profile per column (for completion and
// hover: type, label, counts, moments, a histogram for the sparkline, frequent string values)
// and the panel structure for a unit/time pair.
import { DataError } from './errors';
import type { Column, DataTable, NumericColumn, StringColumn } from './table';
import { emptyFirst, emptySecond, firstPass, secondPass, type FirstPass, type SecondPass } from './moments';
import { recordValueFacts } from '../engine/columnFacts';

export { HISTOGRAM_BINS } from './moments';

export const TOP_VALUES = 10;

export interface Histogram {
  lo: number;
  hi: number;
  /** HISTOGRAM_BINS equal-width bins over [lo, hi]; the last bin includes hi. */
  counts: number[];
}

interface ProfileBase {
  name: string;
  label?: string;
  renamedFrom?: string;
  /** non-missing values */
  n: number;
  missing: number;
}

export interface NumericProfile extends ProfileBase {
  kind: 'numeric';
  mean: number; // NaN when n = 0
  sd: number; // n - 1 denominator; NaN when n < 2
  min: number;
  max: number;
  isInteger: boolean;
  histogram: Histogram | null;
  valueLabels?: [number, string][];
}

export interface StringProfile extends ProfileBase {
  kind: 'string';
  distinct: number;
  top: { value: string; count: number }[];
}

export type ColumnProfile = NumericProfile | StringProfile;

export interface Catalog {
  nrows: number;
  columns: ColumnProfile[];
  byName: Map<string, ColumnProfile>;
}

export function profileNumeric(c: NumericColumn): NumericProfile {
  const v = c.values;
  const f = firstPass(v, 0, v.length, emptyFirst());
  // Second pass: squared deviations about the mean (accurate sd even for large, nearly constant
  // values such as years) and the histogram, which needs min and max.
  const s = f.n ? secondPass(v, 0, v.length, f.sum / f.n, f.min, f.max, emptySecond()) : null;
  return numericProfile(c, f, s);
}

/** The profile from the two passes' totals (`second` null when the column has no value). */
export function numericProfile(c: NumericColumn, first: FirstPass, second: SecondPass | null): NumericProfile {
  const { n, min, max } = first;
  const mean = n ? first.sum / n : NaN;
  const histogram: Histogram | null = n && second ? { lo: min, hi: max, counts: Array.from(second.counts) } : null;
  const ss = second?.ss ?? 0, corr = second?.corr ?? 0;
  const integer = first.integer;
  const sd = n > 1 ? Math.sqrt(Math.max(0, (ss - (corr * corr) / n) / (n - 1))) : NaN;
  // what the estimation would otherwise scan for again (missing values, the range of an id)
  recordValueFacts(c.values, { missing: c.values.length - n, min, max, integer, mean, centredSS: n && second ? Math.max(0, ss - (corr * corr) / n) : NaN });
  return {
    kind: 'numeric',
    name: c.name,
    ...(c.label ? { label: c.label } : {}),
    ...(c.renamedFrom !== undefined ? { renamedFrom: c.renamedFrom } : {}),
    n,
    missing: c.values.length - n,
    mean,
    sd,
    min: n ? min : NaN,
    max: n ? max : NaN,
    isInteger: n > 0 && integer,
    histogram,
    ...(c.valueLabels && c.valueLabels.size ? { valueLabels: [...c.valueLabels].sort((a, b) => a[0] - b[0]) } : {}),
  };
}

export function profileString(c: StringColumn): StringProfile {
  const counts = new Float64Array(c.levels.length);
  let missing = 0;
  for (let i = 0; i < c.codes.length; i++) {
    const k = c.codes[i];
    if (k < 0) missing++;
    else counts[k]++;
  }
  let distinct = 0;
  for (let k = 0; k < counts.length; k++) if (counts[k] > 0) distinct++;
  // Top values: keep the TOP_VALUES largest (ties: first-seen order) without sorting every level.
  const top: { value: string; count: number }[] = [];
  for (let k = 0; k < counts.length; k++) {
    const cnt = counts[k];
    if (cnt === 0) continue;
    if (top.length < TOP_VALUES || cnt > top[top.length - 1].count) {
      let j = top.length;
      while (j > 0 && top[j - 1].count < cnt) j--;
      top.splice(j, 0, { value: c.levels[k], count: cnt });
      if (top.length > TOP_VALUES) top.pop();
    }
  }
  return {
    kind: 'string',
    name: c.name,
    ...(c.label ? { label: c.label } : {}),
    ...(c.renamedFrom !== undefined ? { renamedFrom: c.renamedFrom } : {}),
    n: c.codes.length - missing,
    missing,
    distinct,
    top,
  };
}

export function profileColumn(c: Column): ColumnProfile {
  return c.kind === 'numeric' ? profileNumeric(c) : profileString(c);
}

/**
 * Profiles every column. `known` maps a column's data array to a profile already made of it (a
 * dataset loaded and profiled before, whose columns a spec's `use` shares): those are reused, under
 * the column's own name and label, instead of read again.
 */
export function buildCatalog(table: DataTable, known?: Map<Float64Array | Int32Array, ColumnProfile>): Catalog {
  const columns = table.columns.map((c): ColumnProfile => {
    const p = known?.get(c.kind === 'numeric' ? c.values : c.codes);
    if (!p) return profileColumn(c);
    const { label: _label, ...rest } = p;
    return { ...rest, name: c.name, ...(c.label ? { label: c.label } : {}) } as ColumnProfile;
  });
  return catalogOf(table.nrows, columns);
}

export function catalogOf(nrows: number, columns: ColumnProfile[]): Catalog {
  return { nrows, columns, byName: new Map(columns.map((p) => [p.name, p])) };
}

export interface PanelShape {
  unitVar: string;
  timeVar: string;
  units: number;
  periods: number;
  /** every unit observed once in every period */
  balanced: boolean;
  /** periods missing inside units' own time spans, in steps of `delta` */
  gaps: number;
  /** smallest step between distinct times (the gcd of their differences) */
  delta: number;
  minTime: number;
  maxTime: number;
  /** rows whose (unit, time) pair occurred on an earlier row */
  duplicates: number;
  /** rows left out because unit or time is missing */
  missingKeys: number;
}

function gcd(a: number, b: number): number {
  // Times are usually integers; for fractional steps stop at a tolerance.
  while (b > 1e-9 * Math.max(1, Math.abs(a))) [a, b] = [b, a % b];
  return a;
}

/** Unit ids 0..U-1 per row (-1 missing). */
/** Dense ids 0..count-1 of a column's distinct values, in order of first appearance; -1 for missing. */
/** The profiles of a loaded table's columns by their data arrays, for buildCatalog's `known`. */
export function profilesByArray(table: DataTable, catalog: Catalog, into = new Map<Float64Array | Int32Array, ColumnProfile>()): Map<Float64Array | Int32Array, ColumnProfile> {
  for (const c of table.columns) {
    const p = catalog.byName.get(c.name);
    if (p) into.set(c.kind === 'numeric' ? c.values : c.codes, p);
  }
  return into;
}

export function unitIds(c: Column): { ids: Int32Array; count: number } {
  const n = c.kind === 'numeric' ? c.values.length : c.codes.length;
  const ids = new Int32Array(n);
  if (c.kind === 'string') {
    const remap = new Int32Array(c.levels.length).fill(-1);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const k = c.codes[i];
      if (k < 0) { ids[i] = -1; continue; }
      if (remap[k] < 0) remap[k] = count++;
      ids[i] = remap[k];
    }
    return { ids, count };
  }
  const m = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const x = c.values[i];
    if (x !== x) { ids[i] = -1; continue; }
    let k = m.get(x);
    if (k === undefined) { k = m.size; m.set(x, k); }
    ids[i] = k;
  }
  return { ids, count: m.size };
}

/**
 * The first row whose (unit, time) pair an earlier row already has, or -1 (rows with a missing unit
 * or time are skipped). A bitmap over unit x period when that fits, else a set of numeric keys:
 * on a 1,000,000-row panel this is milliseconds, where string keys took most of a second.
 */
export function firstRepeatedPair(unit: Column, time: Float64Array): number {
  const { ids, count: units } = unitIds(unit);
  const tid = new Map<number, number>();
  const times = new Int32Array(time.length);
  for (let i = 0; i < time.length; i++) {
    const t = time[i];
    if (t !== t) {
      times[i] = -1;
      continue;
    }
    let k = tid.get(t);
    if (k === undefined) tid.set(t, (k = tid.size));
    times[i] = k;
  }
  const P = tid.size;
  const seenBits = units * P <= 1 << 27 ? new Uint8Array(Math.ceil((units * P) / 8)) : undefined;
  const seenSet = seenBits ? undefined : new Set<number>();
  for (let i = 0; i < time.length; i++) {
    if (ids[i] < 0 || times[i] < 0) continue;
    const key = ids[i] * P + times[i];
    if (seenBits) {
      const bit = 1 << (key & 7);
      if (seenBits[key >>> 3] & bit) return i;
      seenBits[key >>> 3] |= bit;
    } else {
      if (seenSet!.has(key)) return i;
      seenSet!.add(key);
    }
  }
  return -1;
}

export function panelShape(table: DataTable, unitVar: string, timeVar: string): PanelShape {
  const u = table.get(unitVar);
  const t = table.get(timeVar);
  if (!u) throw new DataError(`variable ${unitVar} not found`, { code: 'bad-argument' });
  if (!t) throw new DataError(`variable ${timeVar} not found`, { code: 'bad-argument' });
  if (t.kind !== 'numeric') throw new DataError(`time variable ${timeVar} must be numeric`, { code: 'bad-argument' });
  const { ids, count: units } = unitIds(u);
  const tv = t.values;
  const n = table.nrows;

  const times = new Set<number>();
  let missingKeys = 0;
  for (let i = 0; i < n; i++) {
    const x = tv[i];
    if (ids[i] < 0 || x !== x) { missingKeys++; continue; }
    times.add(x);
  }
  const sortedTimes = Float64Array.from(times).sort();
  const P = sortedTimes.length;
  let delta = 0;
  for (let k = 1; k < P; k++) delta = gcd(sortedTimes[k] - sortedTimes[k - 1], delta);
  if (!(delta > 0)) delta = 1;
  const tIndex = new Map<number, number>();
  sortedTimes.forEach((x, k) => tIndex.set(x, k));

  // Sort (unit, time) keys: duplicates are equal neighbours; per-unit spans come out in order.
  const keys = new Float64Array(n - missingKeys);
  for (let i = 0, j = 0; i < n; i++) {
    const x = tv[i];
    if (ids[i] < 0 || x !== x) continue;
    keys[j++] = ids[i] * P + tIndex.get(x)!;
  }
  keys.sort();
  let duplicates = 0, gaps = 0, fullUnits = 0;
  let i = 0;
  while (i < keys.length) {
    const unit = Math.floor(keys[i] / P);
    let distinct = 0;
    const first = sortedTimes[keys[i] - unit * P];
    let lastKey = -1, last = first;
    while (i < keys.length && Math.floor(keys[i] / P) === unit) {
      if (keys[i] === lastKey) duplicates++;
      else { distinct++; lastKey = keys[i]; last = sortedTimes[keys[i] - unit * P]; }
      i++;
    }
    gaps += Math.round((last - first) / delta) + 1 - distinct;
    if (distinct === P) fullUnits++;
  }
  return {
    unitVar, timeVar, units, periods: P,
    balanced: units > 0 && fullUnits === units && duplicates === 0,
    gaps, delta,
    minTime: P ? sortedTimes[0] : NaN,
    maxTime: P ? sortedTimes[P - 1] : NaN,
    duplicates, missingKeys,
  };
}
