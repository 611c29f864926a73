// att_gt's Wald pre-test: W = n a' V^-1 a over the pre-treatment ATT(g,t) (g > t) with a non-zero
// standard error, V = IF'IF / n their analytic covariance; chi-squared with one df per cell. R rounds
// the p-value to 5 decimals (round(1 - pchisq(W, q), 5)); so does this, to report R's number.
import { chi2UpperP } from '../../dist';
import { cholesky, cholInverse } from '../../linalg';
import { rcondSpd } from './glmLogit';

const EPS = 2.220446049250313e-16;

export interface Pretest {
  stat: number;
  df: number;
  p: number;
}

/** @param pre indices of the cells tested; null when there are none or their covariance is singular (as R). */
export function waldPretest(pre: number[], att: number[], inf: Float64Array, n: number): Pretest | null {
  const q = pre.length;
  if (!q) return null;
  const v = new Float64Array(q * q);
  for (let a = 0; a < q; a++)
    for (let b = 0; b <= a; b++) {
      const ia = inf.subarray(pre[a] * n, pre[a] * n + n);
      const ib = inf.subarray(pre[b] * n, pre[b] * n + n);
      let s = 0;
      for (let u = 0; u < n; u++) s += ia[u] * ib[u];
      v[a * q + b] = v[b * q + a] = s / n;
    }
  const l = Float64Array.from(v);
  if (!cholesky(l, q) || rcondSpd(v, l, q) <= EPS) return null;
  const vInv = cholInverse(l, q);
  let w = 0;
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) w += att[pre[a]] * vInv[a * q + b] * att[pre[b]];
  const stat = n * w;
  return { stat, df: q, p: Math.round(chi2UpperP(stat, q) * 1e5) / 1e5 };
}
