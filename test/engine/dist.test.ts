// p-values from closed forms, including far tails where 1 - cdf would round to zero.
import { test } from 'node:test';
import { tTwoSidedP, tQuantile, fUpperP, chi2UpperP, normalTwoSidedP } from '../../server/src/engine/dist';
import { close } from './helpers';

test('t with 1 df (Cauchy): p = 2 atan(1/|t|) / pi, deep in the tail', () => {
  for (const t of [0.5, 3, 1e3, 1e6, -1e8]) close(tTwoSidedP(t, 1), (2 * Math.atan(1 / Math.abs(t))) / Math.PI, `t=${t}`, 1e-12, 0);
});

test('t with 2 df: p = 1 - |t| / sqrt(2 + t^2)', () => {
  for (const t of [0.3, 2, 50]) close(tTwoSidedP(t, 2), 1 - Math.abs(t) / Math.sqrt(2 + t * t), `t=${t}`, 1e-12, 0);
  // tail: 1 - t/sqrt(2+t^2) = 2 / (sqrt(2+t^2) (sqrt(2+t^2) + t)) without cancellation
  const t = 1e5;
  const s = Math.sqrt(2 + t * t);
  close(tTwoSidedP(t, 2), 2 / (s * (s + t)), 'tail', 1e-9, 0);
});

test('chi2 with 2 df: P(X > x) = exp(-x/2), also at 1e-100', () => {
  for (const x of [0.1, 5, 100, 460]) close(chi2UpperP(x, 2), Math.exp(-x / 2), `x=${x}`, 1e-12, 0);
});

test('F(1, d) upper tail equals the two-sided t p-value', () => {
  for (const [t, d] of [[2.5, 30], [12, 499], [40, 1995]]) close(fUpperP(t * t, 1, d), tTwoSidedP(t, d), `t=${t}`, 1e-10, 0);
});

test('t quantile and normal p', () => {
  close(tQuantile(0.975, 1), Math.tan(Math.PI * 0.475), 'Cauchy quantile', 1e-12);
  close(tTwoSidedP(tQuantile(0.975, 499), 499), 0.05, 'quantile round trip', 1e-12);
  close(normalTwoSidedP(8), 1.2441921148543057e-15, 'normal 8 sigma', 1e-9, 0);
});
