// The estimation sample: rows allowed by `if`, without a missing value in any model variable (NaN
// values, missing or non-positive weights, FE or cluster code -1), then without singletons.
import { EstimationError, type NamedColumn, type Factor } from './types';
import { dropSingletons, type SingletonResult } from './singletons';
import { StructureCache } from './structureCache';
import { completeLevels } from './completeCodes';
import { valueFacts } from './columnFacts';

/** Singleton rounds by FE code arrays and candidate rows (see structureCache.ts). */
const singletonCache = new StructureCache<SingletonResult>();

export interface SampleSpec {
  nrows: number;
  columns: NamedColumn[]; // dependent variable, regressors, endogenous, instruments
  weights?: Float64Array;
  fixedEffects: Factor[];
  clusters: Factor[];
  sample?: Uint8Array;
  dropSingletons: boolean;
}

export interface SampleSelection {
  rows: Int32Array; // indices into the dataset, ascending
  missingRemoved: number;
  singletonsRemoved: number;
  singletonRounds: number;
}

/** Kept rows of a model. Throws EstimationError on infinite values or negative weights. */
export function selectSample(spec: SampleSpec): SampleSelection {
  const n = spec.nrows;
  const checkLength = (name: string, len: number) => {
    if (len !== n) throw new EstimationError(`variable ${name} has ${len} rows, expected ${n}`);
  };
  // the row mask is built only when some row is out: usually (no `if`, no missing value, no weights)
  // every row is in and the sample is the identity
  let ok: Uint8Array | null = null;
  let allowed = n;
  const mask = (): Uint8Array => {
    if (ok) return ok;
    ok = new Uint8Array(n);
    if (spec.sample) {
      allowed = 0;
      for (let i = 0; i < n; i++) allowed += ok[i] = spec.sample[i] ? 1 : 0;
    } else ok.fill(1);
    return ok;
  };
  // an `if` mask that keeps every row (the runtime passes one even without `if`) is no mask
  if (spec.sample && !allOnes(spec.sample)) mask();
  else if (spec.sample) spec = { ...spec, sample: undefined };
  for (const c of spec.columns) {
    checkLength(c.name, c.values.length);
    const v = c.values;
    if (valueFacts(v)?.finite) continue; // the loader's profile saw no missing or infinite value
    // x - x is 0 for finite x, NaN for NaN and infinities: one branch-free pass finds out whether
    // the column needs the row-by-row pass at all (usually it does not)
    let p0 = 0, p1 = 0, p2 = 0, p3 = 0;
    let i = 0;
    for (; i + 3 < n; i += 4) {
      p0 += v[i] - v[i];
      p1 += v[i + 1] - v[i + 1];
      p2 += v[i + 2] - v[i + 2];
      p3 += v[i + 3] - v[i + 3];
    }
    for (; i < n; i++) p0 += v[i] - v[i];
    if (p0 + p1 + p2 + p3 === 0) continue;
    const ok = mask();
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (x - x !== 0 && ok[i]) {
        if (x !== x) ok[i] = 0;
        else throw new EstimationError(`variable ${c.name} has an infinite value in row ${i + 1}`);
      }
    }
  }
  if (spec.weights) {
    checkLength('weights', spec.weights.length);
    const w = spec.weights;
    const ok = mask();
    for (let i = 0; i < n; i++) {
      if (!ok[i]) continue;
      const x = w[i];
      if (x !== x || x === 0) ok[i] = 0;
      else if (x < 0) throw new EstimationError(`weights must not be negative (row ${i + 1} has ${x})`);
      else if (x === Infinity) throw new EstimationError(`the weight variable has an infinite value in row ${i + 1}`);
    }
  }
  for (const f of [...spec.fixedEffects, ...spec.clusters]) {
    checkLength(f.name, f.codes.length);
    const c = f.codes;
    if (completeLevels(c) !== null) continue;
    let min = 0;
    for (let i = 0; i < n; i++) if (c[i] < min) min = c[i];
    if (min < 0) {
      const ok = mask();
      for (let i = 0; i < n; i++) if (ok[i] && c[i] < 0) ok[i] = 0;
    }
  }
  let rows: Int32Array;
  let m = n;
  if (ok) {
    const o: Uint8Array = ok;
    m = 0;
    for (let i = 0; i < n; i++) m += o[i];
    rows = new Int32Array(m);
    for (let i = 0, j = 0; i < n; i++) if (o[i]) rows[j++] = i;
  } else rows = identityRows(n);
  const missingRemoved = allowed - m;
  let singletonsRemoved = 0;
  let singletonRounds = 0;
  if (spec.dropSingletons && spec.fixedEffects.length > 0 && rows.length > 0) {
    const codes = spec.fixedEffects.map((f) => f.codes);
    let s = singletonCache.get(codes, rows);
    if (!s) singletonCache.set(codes, rows, (s = dropSingletons(rows, codes, true)));
    rows = s.rows;
    singletonsRemoved = s.removed;
    singletonRounds = s.rounds;
  }
  return { rows, missingRemoved, singletonsRemoved, singletonRounds };
}

function allOnes(m: Uint8Array): boolean {
  for (let i = 0; i < m.length; i++) if (!m[i]) return false;
  return true;
}

let lastIdentity: WeakRef<Int32Array> | null = null;

/**
 * 0..n-1, shared by the models on every row of the same data (sample rows are never written): no
 * fresh 4 MB per model, and the structure caches compare it by identity before content.
 */
function identityRows(n: number): Int32Array {
  const held = lastIdentity?.deref();
  if (held && held.length === n) return held;
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  lastIdentity = new WeakRef(rows);
  return rows;
}
