// Per-regressor diagnostics for the hover: how much of a regressor's variation survives absorbing the
// fixed effects, and how collinear the kept regressors are with each other. All O(K^2)-O(K^3) from
// cross products the fit already has: no further pass over the rows.
import { symEigen } from './linalg';

export interface RegressorDiagnostics {
  /** per regressor (all, dropped ones too): SS of the demeaned column / SS of the raw column (centred when a constant or FE is absorbed) */
  within_share: Record<string, number>;
  /** per kept regressor: diagonal of the inverse correlation matrix of the demeaned regressors */
  vif: Record<string, number>;
  /** sqrt(largest / smallest eigenvalue) of the unit-diagonal demeaned X'X; null with no regressor */
  condition_number: number | null;
}

/**
 * @param names all regressors; xtxAll their demeaned cross products (p x p); refSS their raw sums of squares
 * @param keep indices of the kept regressors; xtxKept, xtxInv their (k x k) X'WX and its inverse
 */
export function regressorDiagnostics(
  names: string[],
  xtxAll: Float64Array,
  refSS: Float64Array,
  keep: number[],
  xtxKept: Float64Array,
  xtxInv: Float64Array,
): RegressorDiagnostics {
  const p = names.length;
  const within_share: Record<string, number> = {};
  for (let j = 0; j < p; j++) {
    const d = xtxAll[j * p + j];
    // a column without any variation has nothing left either: share 0
    within_share[names[j]] = refSS[j] > 0 ? Math.min(1, Math.max(0, d / refSS[j])) : 0;
  }
  const k = keep.length;
  const vif: Record<string, number> = {};
  // R^-1 = D^1/2 (X'X)^-1 D^1/2 for R = D^-1/2 X'X D^-1/2, so VIF_j = (X'X)_jj ((X'X)^-1)_jj
  for (let a = 0; a < k; a++) vif[names[keep[a]]] = xtxKept[a * k + a] * xtxInv[a * k + a];
  let condition_number: number | null = null;
  if (k > 0) {
    const R = new Float64Array(k * k);
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) R[a * k + b] = xtxKept[a * k + b] / Math.sqrt(xtxKept[a * k + a] * xtxKept[b * k + b]);
    const { values } = symEigen(R, k);
    let lo = Infinity;
    let hi = 0;
    for (let i = 0; i < k; i++) {
      lo = Math.min(lo, values[i]);
      hi = Math.max(hi, values[i]);
    }
    condition_number = lo > 0 ? Math.sqrt(hi / lo) : Infinity;
  }
  return { within_share, vif, condition_number };
}
