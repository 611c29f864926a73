// Two-way clustered wild cluster bootstrap (fwildclusterboot's multiway conventions): the fast cell-sum
// algorithm against refitting the model on each bootstrap sample and computing the Cameron-Gelbach-Miller
// t directly, enumeration, the model's own two-way t, and the interval by test inversion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareModel } from '../../server/src/engine/model';
import { estimate } from '../../server/src/engine/estimate';
import type { RegressionInput } from '../../server/src/engine/types';
import { wildClusterSums } from '../../server/src/engine/inference/wildProblem';
import { bootTStats, clusteredEstimate, wildClusterBootstrap } from '../../server/src/engine/inference/wildBootstrap';
import { Rng } from '../../server/src/engine/study/rng';
import { close } from './helpers';

/** 12 units x 6 periods; clusters grp (6 groups of 2 units) and the period; a tested x, a control z, weights. */
function panel() {
  const rng = new Rng(21);
  const n = 72;
  const unit = new Int32Array(n);
  const time = new Int32Array(n);
  const grp = new Int32Array(n);
  const x = new Float64Array(n);
  const z = new Float64Array(n);
  const y = new Float64Array(n);
  const w = new Float64Array(n);
  // shocks the unit and period FE do not absorb: group trends and period shocks with unit loadings, so
  // that scores correlate within groups and within periods (the two-way variance stays positive)
  const shock = () => Array.from({ length: 12 }, () => rng.normal());
  const [gx, gz, gy, tx, tz, ty, load] = [shock(), shock(), shock(), shock(), shock(), shock(), shock()];
  for (let i = 0; i < n; i++) {
    unit[i] = Math.floor(i / 6);
    time[i] = i % 6;
    grp[i] = Math.floor(unit[i] / 2);
    const g = grp[i];
    const t = time[i];
    const l = load[unit[i]];
    x[i] = rng.normal() + 0.3 * t + gx[g] * t + tx[t] * l;
    z[i] = rng.normal() + 0.2 * unit[i] + gz[g] * t + tz[t] * l;
    w[i] = 0.5 + rng.uniform();
    y[i] = 0.4 * x[i] - 0.7 * z[i] + 0.1 * unit[i] + 0.2 * t + gy[g] * t + ty[t] * l + rng.normal();
  }
  return { n, unit, time, grp, x, z, y, w };
}

type Variant = 'two-way FE, weights' | 'two-way FE' | 'constant only';

function input(P: ReturnType<typeof panel>, variant: Variant): RegressionInput {
  return {
    depvar: { name: 'y', values: P.y },
    regressors: [{ name: 'x', values: P.x }, { name: 'z', values: P.z }],
    fixedEffects: variant === 'constant only' ? [] : [{ name: 'unit', codes: P.unit }, { name: 'time', codes: P.time }],
    constant: variant === 'constant only',
    vcov: { type: 'cluster', clusters: [{ name: 'grp', codes: P.grp }, { name: 'time', codes: P.time }] },
    dropSingletons: false,
    ...(variant === 'two-way FE, weights' ? { weights: P.w } : {}),
  };
}

/**
 * The CGM two-way t of x computed directly from a fit: scores w x~ e (x~ = x partialled on the FE and z,
 * by regressing it on them), V = sum over grp, time, grp#time of sign x (N-1)/(N-k) G/(G-1) x sum of
 * squared cluster sums / (sum w x~^2)^2, k = the non-FE coefficients (fwildclusterboot's factors).
 */
function directT(base: RegressionInput, P: ReturnType<typeof panel>, ys: Float64Array, r: number, f?: (sign: number, G: number) => number): { beta: number; t: number } {
  const fit = estimate({ ...base, depvar: { name: 'y', values: ys } });
  const beta = fit.coefficients.find((c) => c.term === 'x')!.estimate;
  const xt = estimate({ ...base, depvar: { name: 'x', values: P.x }, regressors: [base.regressors[1]] });
  const rows = fit.sampleRows;
  const n = rows.length;
  const k = 2 + (base.constant ? 1 : 0);
  let A = 0;
  const score = new Float64Array(n);
  rows.forEach((row, j) => {
    const wi = base.weights ? base.weights[row] : 1;
    A += wi * xt.residuals![j] * xt.residuals![j];
    score[j] = wi * xt.residuals![j] * fit.residuals![j];
  });
  const cross = Array.from(rows, (row) => P.grp[row] * 100 + P.time[row]);
  let V = 0;
  for (const [codes, sign] of [[Array.from(rows, (row) => P.grp[row]), 1], [Array.from(rows, (row) => P.time[row]), 1], [cross, -1]] as const) {
    const sums = new Map<number, number>();
    codes.forEach((g, j) => sums.set(g, (sums.get(g) ?? 0) + score[j]));
    const G = sums.size;
    let ss = 0;
    for (const s of sums.values()) ss += s * s;
    const factor = f ? f(sign, G) : sign * ((n - 1) / (n - k)) * (G / (G - 1));
    V += factor * ss;
  }
  return { beta, t: (beta - r) / Math.sqrt(V / (A * A)) };
}

/** Restricted (null imposed at r) or full-model residuals, on all rows. */
function residualsFor(base: RegressionInput, P: ReturnType<typeof panel>, nullImposed: boolean, r: number): Float64Array {
  const fit = nullImposed ? estimate({ ...base, depvar: { name: 'y', values: P.y.map((yi, i) => yi - r * P.x[i]) }, regressors: [base.regressors[1]] }) : estimate(base);
  const u = new Float64Array(P.n);
  fit.sampleRows.forEach((row, j) => (u[row] = fit.residuals![j]));
  return u;
}

for (const variant of ['two-way FE, weights', 'two-way FE', 'constant only'] as const) {
  for (const bootBy of ['grp#time (default)', 'grp'] as const) {
    test(`two-way clustered wild bootstrap equals refitting on each draw with the CGM t (${variant}; bootstrap clusters ${bootBy})`, () => {
      const P = panel();
      const base = input(P, variant);
      const m = prepareModel(base);
      const boot = bootBy === 'grp' ? m.clusterFactors[0] : undefined;
      const s = wildClusterSums(m, 'x', { clusters: m.clusterFactors, boot });
      assert.equal(s.G, bootBy === 'grp' ? 6 : 36);
      assert.equal(s.cells, 36);
      assert.deepEqual(s.terms.map((t) => [t.sign, t.G]), [[1, 6], [1, 6], [-1, 36]]);
      // the bootstrap cluster of each row (cells numbered as the model's sample rows meet them)
      const bootOfRow = bootBy === 'grp' ? P.grp : Int32Array.from(P.grp, (g, i) => g * 6 + P.time[i]);
      const codeOf = new Map<number, number>();
      m.rows.forEach((row, j) => {
        const key = bootOfRow[row];
        const code = boot ? boot.codes[j] : -1;
        if (boot) codeOf.set(key, code);
      });
      if (!boot) {
        // default: the intersection grp#time numbered in order of first appearance
        m.rows.forEach((row) => {
          if (!codeOf.has(bootOfRow[row])) codeOf.set(bootOfRow[row], codeOf.size);
        });
      }
      const rng = new Rng(5);
      const B = 5;
      const V = new Float64Array(B * s.G);
      for (let i = 0; i < V.length; i++) V[i] = rng.normal();
      const beta = estimate(base).coefficients.find((c) => c.term === 'x')!.estimate;
      for (const [nullImposed, r] of [[true, 0], [true, 0.3], [false, 0]] as const) {
        const fast = bootTStats(s, V, nullImposed, r);
        const u = residualsFor(base, P, nullImposed, r);
        for (let b = 0; b < B; b++) {
          const v = V.subarray(b * s.G, (b + 1) * s.G);
          const ys = P.y.map((yi, i) => yi + u[i] * (v[codeOf.get(bootOfRow[i])!] - 1));
          const slow = directT(base, P, ys, nullImposed ? r : beta);
          // a negative two-way variance: no t on either side (fwildclusterboot drops such draws)
          if (Number.isNaN(slow.t)) {
            assert.ok(Number.isNaN(fast[b]), `draw ${b}: negative variance, fast t ${fast[b]}`);
            continue;
          }
          close(fast[b], slow.t, `${variant} boot ${bootBy} null=${nullImposed} r=${r} draw ${b}`, 1e-10);
        }
      }
      // the original t: fwildclusterboot's (each term its own G/(G-1)), from the cell sums
      const o = clusteredEstimate(s);
      const direct = directT(base, P, P.y, 0);
      close(o.estimate, direct.beta, `${variant} estimate`, 1e-12);
      close(o.estimate / o.se, direct.t, `${variant} original t`, 1e-10);
    });
  }
}

test("two-way: the cell sums with the model's own factor give the model's reported two-way clustered t", () => {
  const P = panel();
  for (const variant of ['two-way FE, weights', 'two-way FE', 'constant only'] as const) {
    const base = input(P, variant);
    const fit = estimate(base);
    assert.ok(!fit.warnings.some((w) => /eigenvalue|semi-definite/i.test(w)), `no PSD fix on this model: ${fit.warnings.join('; ')}`);
    const row = fit.coefficients.find((c) => c.term === 'x')!;
    const m = prepareModel(base);
    const s = wildClusterSums(m, 'x', { clusters: m.clusterFactors });
    // reghdfe's convention: every term scaled by (N-1)/(N-K) Gmin/(Gmin-1)
    const o = clusteredEstimate(s, s.terms.map((t) => t.sign * fit.vcov_scale!));
    close(o.estimate, row.estimate, `${variant} estimate`, 1e-12);
    close(o.se, row.se, `${variant} se`, 1e-10);
    close(o.estimate / o.se, row.t, `${variant} t`, 1e-10);
  }
});

test('two-way, 6 bootstrap clusters: all 64 sign vectors enumerated, seed-free, p as counted over 64 refits', () => {
  const P = panel();
  const base = input(P, 'two-way FE, weights');
  const m = prepareModel(base);
  const grp = m.clusterFactors[0];
  const s = wildClusterSums(m, 'x', { clusters: m.clusterFactors, boot: grp });
  const a = wildClusterBootstrap(s, { reps: 999, weightType: 'rademacher', seed: 1, nullImposed: true, level: 0.9 });
  const b = wildClusterBootstrap(s, { reps: 64, weightType: 'rademacher', seed: 424242, nullImposed: true, level: 0.9 });
  assert.equal(a.enumerated, true);
  assert.equal(a.reps, 64);
  assert.deepEqual(b, a);
  // independent count: refit on every sign vector, CGM t directly, share with |t*| > |t|
  const u = residualsFor(base, P, true, 0);
  const gOfRow = new Map<number, number>();
  m.rows.forEach((row, j) => gOfRow.set(P.grp[row], grp.codes[j]));
  const t0 = directT(base, P, P.y, 0).t;
  let above = 0;
  let invalid = 0;
  for (let code = 0; code < 64; code++) {
    const v = Array.from({ length: 6 }, (_, g) => ((code >>> g) & 1 ? -1 : 1));
    const ys = P.y.map((yi, i) => yi + u[i] * (v[gOfRow.get(P.grp[i])!] - 1));
    const tb = directT(base, P, ys, 0).t;
    if (Number.isNaN(tb)) invalid++;
    else if (Math.abs(tb) > Math.abs(t0)) above++;
  }
  assert.equal(a.invalid, invalid);
  assert.equal(a.pValue, above / (64 - invalid));
  close(a.t, t0, 't', 1e-10);
});

test('two-way: the interval by test inversion brackets the estimate, and p crosses 1 - level at its ends', () => {
  const P = panel();
  const m = prepareModel(input(P, 'two-way FE, weights'));
  // bootstrap clusters grp. Under WCR, draws dropped for a negative two-way variance change with r, and p(r)
  // need not then be monotone on each side of the estimate (a crossing is only what the grid search finds)
  const s = wildClusterSums(m, 'x', { clusters: m.clusterFactors, boot: m.clusterFactors[0] });
  for (const nullImposed of [true, false]) {
    const opts = { reps: 999, weightType: 'webb' as const, seed: 3, nullImposed, level: 0.95 };
    const out = wildClusterBootstrap(s, opts);
    assert.equal(out.enumerated, false);
    // WCR: no draw dropped; WCU: the draws do not move with r (those of the null r = estimate), so the few
    // dropped ones leave p(r) monotone on each side
    if (nullImposed) assert.equal(out.invalid, 0);
    assert.ok(out.ciLow! < out.estimate && out.estimate < out.ciHigh!, `[${out.ciLow}, ${out.ciHigh}] around ${out.estimate}`);
    const pAt = (r: number) => wildClusterBootstrap(s, { ...opts, r }).pValue;
    const h = 1e-9;
    assert.ok(pAt(out.ciExactLow! + h) >= 0.05 && pAt(out.ciExactLow! - h) < 0.05, `null=${nullImposed}: lower crossing`);
    assert.ok(pAt(out.ciExactHigh! - h) >= 0.05 && pAt(out.ciExactHigh! + h) < 0.05, `null=${nullImposed}: upper crossing`);
    // fwildclusterboot's root finder (uniroot: tol 1e-6 but at most 10 iterations on a step function) stops
    // near the exact crossings, where p is within one draw (1/B) of 1 - level
    const width = out.ciExactHigh! - out.ciExactLow!;
    assert.ok(Math.abs(out.ciLow! - out.ciExactLow!) < 1e-3 * width && Math.abs(out.ciHigh! - out.ciExactHigh!) < 1e-3 * width, `null=${nullImposed}: uniroot bounds near`);
    for (const end of [out.ciLow!, out.ciHigh!]) assert.ok(Math.abs(pAt(end) - 0.05) <= 1 / (999 - out.invalid) + 1e-12, `null=${nullImposed}: p(${end}) = ${pAt(end)}`);
  }
});
