// Fit statistics, coefficient rows and the model Wald F, with fixest's definitions.
import type { CoefRow } from '../results/types';
import { tQuantile, tTwoSidedP, fUpperP } from './dist';
import { cholesky, cholSolve } from './linalg';

export interface FitStats {
  r2: number;
  adj_r2: number;
  r2_within: number | null;
  adj_r2_within: number | null;
  rmse: number;
  sigma: number;
}

/**
 * @param tss total sum of squares of y (centred unless the model has neither constant nor FE)
 * @param tssWithin sum of squares of the demeaned y (null without FE)
 * @param K all parameters (coefficients + FE levels less redundant ones, or + constant)
 * @param kFe the FE part of K (0 without FE)
 * @param centred whether tss is centred (a constant is implied)
 */
export function fitStats(ssr: number, tss: number, tssWithin: number | null, n: number, K: number, kFe: number, centred: boolean): FitStats {
  const r2 = 1 - ssr / tss;
  const adj_r2 = 1 - (1 - r2) * ((centred ? n - 1 : n) / (n - K));
  let r2_within: number | null = null;
  let adj_r2_within: number | null = null;
  if (tssWithin !== null) {
    r2_within = tssWithin > 0 ? 1 - ssr / tssWithin : 0;
    adj_r2_within = 1 - (1 - r2_within) * ((n - kFe) / (n - K));
  }
  return { r2, adj_r2, r2_within, adj_r2_within, rmse: Math.sqrt(ssr / n), sigma: Math.sqrt(ssr / (n - K)) };
}

/** A coefficient row: t, its two-sided p-value and the interval at `level` from Student t with `dfT` df. */
export function coefRow(term: string, estimate: number, se: number, dfT: number, level = 0.95): CoefRow {
  return coefRowAt(term, estimate, se, dfT, tQuantile(1 - (1 - level) / 2, dfT));
}

function coefRowAt(term: string, estimate: number, se: number, dfT: number, q: number): CoefRow {
  const t = se > 0 ? estimate / se : NaN;
  return { term, estimate, se, t, p: se > 0 ? tTwoSidedP(t, dfT) : NaN, ci_low: estimate - q * se, ci_high: estimate + q * se };
}

/** Coefficient rows from a row-major VCOV (negative rounding on the diagonal reads as 0). */
export function coefRows(terms: string[], beta: ArrayLike<number>, V: Float64Array, dfT: number, level = 0.95): CoefRow[] {
  const k = terms.length;
  const q = tQuantile(1 - (1 - level) / 2, dfT);
  return terms.map((term, j) => coefRowAt(term, beta[j], Math.sqrt(Math.max(0, V[j * k + j])), dfT, q));
}

/** Wald F of H0: the listed coefficients are all zero, with the model's VCOV; null when not computable. */
export function waldF(beta: ArrayLike<number>, V: Float64Array, k: number, idx: number[], df2: number): { f: number; df: [number, number]; p: number } | null {
  const m = idx.length;
  if (m === 0 || !(df2 > 0)) return null;
  const sub = new Float64Array(m * m);
  const b = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    b[a] = beta[idx[a]];
    for (let c = 0; c < m; c++) sub[a * m + c] = V[idx[a] * k + idx[c]];
  }
  // scale to unit diagonal before factoring so units do not matter
  const s = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    if (!(sub[a * m + a] > 0)) return null;
    s[a] = 1 / Math.sqrt(sub[a * m + a]);
  }
  for (let a = 0; a < m; a++) for (let c = 0; c < m; c++) sub[a * m + c] *= s[a] * s[c];
  if (!cholesky(sub, m)) return null;
  const bs = b.map((v, a) => v * s[a]);
  const x = cholSolve(sub, m, bs);
  let q = 0;
  for (let a = 0; a < m; a++) q += bs[a] * x[a];
  const f = q / m;
  return { f, df: [m, df2], p: fUpperP(f, m, df2) };
}
