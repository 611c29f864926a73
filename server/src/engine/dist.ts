// Distribution functions for p-values and intervals. Upper tails come straight from the
// regularized incomplete beta/gamma functions (not 1 - cdf), so tiny p-values keep full precision.
import betainc from '@stdlib/math-base-special-betainc';
import gammainc from '@stdlib/math-base-special-gammainc';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantileStd from '@stdlib/stats-base-dists-t-quantile';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

/** Two-sided p-value of a t statistic with `df` degrees of freedom. */
export function tTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? NaN : 0;
  // the lower tail of -|t| is computed by stdlib from the upper incomplete beta: accurate far out
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/** Quantile of Student's t (p in (0,1)). */
export function tQuantile(p: number, df: number): number {
  return tQuantileStd(p, df);
}

/** Two-sided p-value of a standard-normal z statistic. */
export function normalTwoSidedP(z: number): number {
  return Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1));
}

/** P(F > f) for F(d1, d2). */
export function fUpperP(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f) || d1 <= 0 || d2 <= 0) return NaN;
  if (f <= 0) return 1;
  if (!Number.isFinite(f)) return 0;
  // P(F > f) = I_{d2/(d2 + d1 f)}(d2/2, d1/2)
  return betainc(d2 / (d2 + d1 * f), d2 / 2, d1 / 2, true, false);
}

/** P(X > x) for X ~ chi2(k). */
export function chi2UpperP(x: number, k: number): number {
  if (Number.isNaN(x) || k <= 0) return NaN;
  if (x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  return gammainc(x / 2, k / 2, true, true);
}
