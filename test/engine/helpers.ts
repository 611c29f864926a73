// Shared assertions for engine tests: 1e-6 relative, or 1e-9 absolute near zero.
import assert from 'node:assert/strict';
import type { EstimationCore } from '../../server/src/engine/types';
import type { RefCase } from '../util/refdata';

export function close(actual: number, expected: number, what: string, rel = 1e-6, abs = 1e-9): void {
  assert.ok(Number.isFinite(actual), `${what}: got ${actual}`);
  const d = Math.abs(actual - expected);
  assert.ok(d <= abs || d <= rel * Math.abs(expected), `${what}: got ${actual}, expected ${expected} (rel diff ${(d / Math.abs(expected)).toExponential(2)})`);
}

/** Compares an engine result with a fixest result block (`results`, or `result_iterative_removal`...). */
export function checkAgainstFixest(core: EstimationCore, ref: RefCase, opts: { termMap?: (t: string) => string; skipVcov?: boolean; pAbsolute?: boolean } = {}): void {
  const map = opts.termMap ?? ((t: string) => t);
  const order: string[] = ref.coef_order;
  assert.deepEqual(core.coefficients.map((c) => map(c.term)), order, 'coefficient order');
  for (const c of core.coefficients) {
    const r = ref.coefficients[map(c.term)];
    close(c.estimate, r.estimate, `${c.term} estimate`);
    close(c.se, r.std_error, `${c.term} se`);
    close(c.t, r.t, `${c.term} t`);
    // relative even in the far tail, unless the reference's own SE is only good to ~1e-7 (trade_3fe):
    // a steep tail multiplies that error in p
    close(c.p, r.p_value, `${c.term} p`, 1e-6, opts.pAbsolute ? 1e-9 : r.p_value === 0 ? 1e-300 : 0);
    close(c.ci_low, r.ci_low, `${c.term} ci_low`);
    close(c.ci_high, r.ci_high, `${c.term} ci_high`);
  }
  assert.equal(core.nobs, ref.nobs, 'nobs');
  assert.equal(core.df_t, ref.df_t, 'df_t');
  assert.equal(core.df_k, ref.df_K, 'df_K');
  assert.equal(core.df_resid, ref.df_resid, 'df_resid');
  close(core.r2, ref.r2, 'r2');
  close(core.adj_r2, ref.adj_r2, 'adj_r2');
  close(core.r2_within!, ref.within_r2, 'within_r2');
  close(core.adj_r2_within!, ref.adj_within_r2, 'adj_within_r2');
  close(core.rmse, ref.rmse, 'rmse');
  close(core.sigma, ref.sigma, 'sigma');
  close(core.ssr, ref.ssr, 'ssr');
  if (ref.n_clusters) assert.deepEqual(core.n_clusters, Object.values(ref.n_clusters), 'n_clusters');
  else assert.deepEqual(core.n_clusters, [], 'n_clusters');
  if (ref.fixef_sizes) assert.deepEqual(core.fixed_effects.map((f) => f.levels), Object.values(ref.fixef_sizes), 'FE sizes');
  assert.deepEqual(core.omitted.map((o) => o.term), ref.collinear_removed ?? [], 'omitted');
  if (ref.vcov && !opts.skipVcov) {
    const k = order.length;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) close(core.vcov[i][j], ref.vcov[i][j], `vcov[${i}][${j}]`, 1e-6, 1e-12);
  }
}
