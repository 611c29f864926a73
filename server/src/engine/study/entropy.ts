// Entropy-weight composite index (`entropy NEW = VARLIST [, negative(VARLIST) shift(#) scale(#)]`),
// exactly as CONTRACT.md writes it, pooled over all rows of the sample:
//   x' = (x - min)/(max - min)  (positive indicators),  (max - x)/(max - min)  (negative ones)
//   x' <- x' + shift;  p_ij = x'_ij / sum_i x'_ij;  e_j = -sum_i p_ij ln p_ij / ln n  (0 ln 0 = 0)
//   w_j = (1 - e_j) / sum_k (1 - e_k);  NEW_i = scale * sum_j w_j x'_ij  (the shifted x').
// Rows outside the sample or with a missing indicator are left out and get a missing NEW.
import { ENTROPY_SCALE, ENTROPY_SHIFT } from '../defaults';

import { EstimationError } from '../types';

export interface EntropyIndicator {
  name: string;
  values: Float64Array; // full dataset length, NaN = missing
  negative?: boolean;
}

export interface EntropyOptions {
  shift: number;
  scale: number;
  sample?: Uint8Array;
}

export const ENTROPY_DEFAULTS = { shift: ENTROPY_SHIFT, scale: ENTROPY_SCALE } as const;

export interface EntropyWeight {
  var: string;
  direction: 1 | -1;
  weight: number;
  entropy: number;
}

export interface EntropyOutcome {
  values: Float64Array; // the new column, full length
  weights: EntropyWeight[];
  nobs: number;
  warnings: string[];
}

export function entropyIndex(indicators: EntropyIndicator[], opts: EntropyOptions): EntropyOutcome {
  if (!indicators.length) throw new EstimationError('entropy: no indicator variables given');
  if (!(opts.shift >= 0) || !Number.isFinite(opts.shift)) throw new EstimationError(`entropy: shift(${opts.shift}) must be a non-negative number`);
  if (!Number.isFinite(opts.scale)) throw new EstimationError(`entropy: scale(${opts.scale}) must be a number`);
  const N = indicators[0].values.length;
  const warnings: string[] = [];
  const rows: number[] = [];
  let missing = 0;
  for (let i = 0; i < N; i++) {
    if (opts.sample && !opts.sample[i]) continue;
    if (indicators.some((x) => Number.isNaN(x.values[i]))) { missing++; continue; }
    rows.push(i);
  }
  const n = rows.length;
  if (n < 2) throw new EstimationError(`entropy: ${n} complete row(s) in the sample; at least 2 are needed`);
  if (missing) warnings.push(`entropy: ${missing} row(s) with a missing indicator were left out (their index is missing)`);
  const lnN = Math.log(n);
  const norm: Float64Array[] = [];
  const weights: EntropyWeight[] = [];
  const d: number[] = [];
  for (const ind of indicators) {
    let lo = Infinity, hi = -Infinity;
    for (const i of rows) { const v = ind.values[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
    const xs = new Float64Array(n);
    const range = hi - lo;
    const constant = !(range > 0);
    let sum = 0;
    for (let r = 0; r < n; r++) {
      const v = ind.values[rows[r]];
      const base = constant ? 0 : ind.negative ? (hi - v) / range : (v - lo) / range;
      xs[r] = base + opts.shift;
      sum += xs[r];
    }
    let e = 1;
    if (constant) warnings.push(`entropy: indicator ${ind.name} is constant in the sample; its weight is 0`);
    else {
      let h = 0;
      for (let r = 0; r < n; r++) {
        const p = xs[r] / sum;
        if (p > 0) h -= p * Math.log(p);
      }
      e = h / lnN;
    }
    norm.push(xs);
    d.push(constant ? 0 : 1 - e);
    weights.push({ var: ind.name, direction: ind.negative ? -1 : 1, weight: 0, entropy: e });
  }
  const sd = d.reduce((s, v) => s + v, 0);
  if (!(sd > 0)) throw new EstimationError('entropy: every indicator is constant in the sample; no weights can be formed');
  weights.forEach((w, j) => { w.weight = d[j] / sd; });
  const out = new Float64Array(N).fill(NaN);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < indicators.length; j++) s += weights[j].weight * norm[j][r];
    out[rows[r]] = opts.scale * s;
  }
  return { values: out, weights, nobs: n, warnings };
}
