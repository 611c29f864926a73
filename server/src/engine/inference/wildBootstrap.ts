// Wild cluster bootstrap-t of one coefficient = r (Roodman, MacKinnon, Nielsen and Webb 2019), working
// only from cluster-level sums, so that a replication costs O(G^2) and never touches the rows.
//
// Notation (all after partialling out the fixed effects and the other regressors, W = analytic weights):
// a = the tested regressor, b = the outcome, u = b - r a the restricted residuals (WCR) or b - beta a
// (WCU). With v the cluster weights, the bootstrap numerator is beta* - r = sum_h v_h s_h / A with
// s_h = sum_{i in h} w a u and A = a'Wa, and the bootstrap residual's cluster score sums are
//   e_g(v) = v_g s_g - sum_h C[g,h] v_h - Saa_g (sum_h v_h s_h) / A,
// where C[g,h] = sum_{i in g} w a_i [P(u 1_h)]_i carries the projection of the bootstrap residuals on the
// fixed effects and the other regressors (zero when those are nested in the clusters). Everything is linear
// in r, so each draw is stored as five numbers: numerator n0 + r n1 and sum_g e_g^2 = Q0 + 2 r Q1 + r^2 Q2;
// the test inversion then costs O(B) per trial value of r (fwildclusterboot's CC + 2 CD r + DD r^2).
//
// Multiway clustering (Cameron, Gelbach and Miller; fwildclusterboot's and Stata boottest's conventions):
// the rows above are "cells" (the bootstrap clusters intersected with every clustering, wildClusters.ts),
// the weights are drawn per bootstrap cluster, and the variance is sum_x f_x sign_x sum_{g in x} e_g^2
// over the terms x of V1 + V2 - V12, each with its own factor f_x = (N-1)/(N-k) G_x/(G_x-1); a term's
// cluster score is the sum of its cells' scores. The factors are folded into Q0, Q1, Q2.
import { Rng } from '../study/rng';
import { exactInterval, fwildclusterbootInterval } from './invertTest';
import type { WildVarianceTerm } from './wildClusters';

export type WildWeightType = 'rademacher' | 'webb' | 'mammen' | 'normal';

/** The cluster-level sufficient statistics of one tested coefficient (see the header). */
export interface WildClusterSums {
  G: number; // bootstrap clusters
  n: number; // observations
  k: number; // non-FE coefficients (the small-sample factor's k)
  cells: number; // cells (the bootstrap clusters themselves when one-way)
  cellBoot: Int32Array; // bootstrap cluster of each cell
  terms: WildVarianceTerm[]; // the terms of the (multiway) variance
  saa: Float64Array; // per cell sum w a^2
  sab: Float64Array; // per cell sum w a b
  // the projection terms C_a[c,h] = sum_{i in c} w a_i [P(a 1_h)]_i and C_b (b for a), h a bootstrap
  // cluster, as a cells x G matrix (when the FE need one) plus a rank-R part left_c' right_h
  dense: { ca: Float64Array; cb: Float64Array } | null;
  R: number;
  left: Float64Array; // cells x R
  rightA: Float64Array; // G x R
  rightB: Float64Array; // G x R
}

export interface WildOptions {
  reps: number;
  weightType: WildWeightType;
  seed: number;
  nullImposed: boolean;
  level: number; // confidence level in (0, 1)
  r?: number; // the null value (0)
}

export interface WildResult {
  estimate: number;
  se: number; // with boottest's small-sample factor
  t: number;
  pValue: number;
  ciLow: number | null; // null: the interval is unbounded on that side
  ciHigh: number | null;
  /** the exact crossings of p(r) = alpha (fwildclusterboot's root finder stops within ~1e-5 of them) */
  ciExactLow: number | null;
  ciExactHigh: number | null;
  reps: number; // draws used (2^G under enumeration)
  enumerated: boolean;
  /** draws whose multiway variance is negative at the tested value: left out, as fwildclusterboot does */
  invalid: number;
}

/**
 * boottest's small-sample factor of each variance term, signed: (N-1)/(N-k) x G_x/(G_x-1) x sign_x,
 * k = non-FE coefficients (fwildclusterboot's ssc with cluster.df = "conventional").
 */
export function termFactors(s: WildClusterSums): number[] {
  return s.terms.map((t) => t.sign * ((s.n - 1) / (s.n - s.k)) * (t.G / (t.G - 1)));
}

/**
 * The multiway quadratic forms of the cell values x and y: sum_x f_x sum_{g in x} X_g Y_g with X_g the
 * sum of x over the cells of g (likewise Y), for (x, x), (x, y) and (y, y) in one pass per term.
 */
function termForms(s: WildClusterSums, f: readonly number[], x: Float64Array, y: Float64Array, scratch: TermScratch): [number, number, number] {
  let xx = 0;
  let xy = 0;
  let yy = 0;
  for (let t = 0; t < s.terms.length; t++) {
    const term = s.terms[t];
    let sxx = 0;
    let sxy = 0;
    let syy = 0;
    const code = term.cellCode;
    if (!code) {
      for (let c = 0; c < s.cells; c++) {
        sxx += x[c] * x[c];
        sxy += x[c] * y[c];
        syy += y[c] * y[c];
      }
    } else {
      const gx = scratch.x.subarray(0, term.G).fill(0);
      const gy = scratch.y.subarray(0, term.G).fill(0);
      for (let c = 0; c < s.cells; c++) {
        gx[code[c]] += x[c];
        gy[code[c]] += y[c];
      }
      for (let g = 0; g < term.G; g++) {
        sxx += gx[g] * gx[g];
        sxy += gx[g] * gy[g];
        syy += gy[g] * gy[g];
      }
    }
    xx += f[t] * sxx;
    xy += f[t] * sxy;
    yy += f[t] * syy;
  }
  return [xx, xy, yy];
}

interface TermScratch {
  x: Float64Array;
  y: Float64Array;
}

function termScratch(s: WildClusterSums): TermScratch {
  const top = Math.max(1, ...s.terms.map((t) => t.G));
  return { x: new Float64Array(top), y: new Float64Array(top) };
}

/** The bootstrap clusters' sums of per-cell values. */
function bootSums(s: WildClusterSums, x: Float64Array): Float64Array {
  const out = new Float64Array(s.G);
  for (let c = 0; c < s.cells; c++) out[s.cellBoot[c]] += x[c];
  return out;
}

/** What a draw needs besides v: A = a'Wa and the bootstrap clusters' sums (the numerator's weights). */
interface ResidualMaps {
  A: number;
  sabB: Float64Array; // per bootstrap cluster sum w a b
  saaB: Float64Array; // per bootstrap cluster sum w a^2
}

function residualMaps(s: WildClusterSums): ResidualMaps {
  let A = 0;
  for (let c = 0; c < s.cells; c++) A += s.saa[c];
  return { A, sabB: bootSums(s, s.sab), saaB: bootSums(s, s.saa) };
}

/** Fills v with the next draw of cluster weights. */
function drawWeights(type: WildWeightType, rng: Rng, v: Float64Array): void {
  const G = v.length;
  switch (type) {
    case 'rademacher':
      // one random bit per cluster, 32 clusters per generator output
      for (let g = 0; g < G; g += 32) {
        const bits = rng.nextU32();
        const top = Math.min(32, G - g);
        for (let k = 0; k < top; k++) v[g + k] = (bits >>> k) & 1 ? 1 : -1;
      }
      return;
    case 'webb':
      // six points +/-sqrt(1/2), +/-1, +/-sqrt(3/2) with equal probability (Webb 2023); the index from
      // the top of a 32-bit output (bias below 2^-29)
      for (let g = 0; g < G; g++) v[g] = WEBB[Math.floor((rng.nextU32() * 6) / 4294967296)];
      return;
    case 'mammen': {
      // two points (1-sqrt5)/2 with probability (sqrt5+1)/(2 sqrt5), else (1+sqrt5)/2: mean 0, variance 1
      const s5 = Math.sqrt(5);
      const p = (s5 + 1) / (2 * s5);
      for (let g = 0; g < G; g++) v[g] = rng.uniform() < p ? (1 - s5) / 2 : (1 + s5) / 2;
      return;
    }
    case 'normal':
      for (let g = 0; g < G; g++) v[g] = rng.normal();
      return;
  }
}

const WEBB = Float64Array.from([-Math.sqrt(1.5), -1, -Math.sqrt(0.5), Math.sqrt(0.5), 1, Math.sqrt(1.5)]);

/** The per-draw coefficients of t*(r)^2 = (n0 + r n1)^2 / (c (Q0 + 2 r Q1 + r^2 Q2)). */
interface DrawCoefficients {
  B: number;
  n0: Float64Array;
  n1: Float64Array;
  q0: Float64Array;
  q1: Float64Array;
  q2: Float64Array;
}

/**
 * Accumulates the coefficients of one draw v into slot b (the factors f folded in). The cell scores are
 * e(v) = M0 v + r M1 v with, for cell c in bootstrap cluster h(c),
 *   (M0 v)_c = v_h(c) sab_c - (C_b v)_c - saa_c (sabB . v) / A,  (M1 v)_c = -v_h(c) saa_c + (C_a v)_c + saa_c (saaB . v) / A.
 */
function storeDraw(s: WildClusterSums, maps: ResidualMaps, f: readonly number[], v: Float64Array, d: DrawCoefficients, b: number, w: DrawScratch): void {
  const { G, cells, cellBoot, saa, sab, R, left, rightA, rightB, dense } = s;
  const { sabB, saaB, A } = maps;
  let nb = 0;
  let na = 0;
  for (let h = 0; h < G; h++) {
    nb += v[h] * sabB[h];
    na += v[h] * saaB[h];
  }
  // the low-rank part: t = right' v
  const { ta, tb, e0, e1 } = w;
  ta.fill(0);
  tb.fill(0);
  for (let h = 0; h < G; h++) {
    const vh = v[h];
    const o = h * R;
    for (let r = 0; r < R; r++) {
      ta[r] += rightA[o + r] * vh;
      tb[r] += rightB[o + r] * vh;
    }
  }
  const nbA = nb / A;
  const naA = na / A;
  for (let c = 0; c < cells; c++) {
    const vc = v[cellBoot[c]];
    let x0 = vc * sab[c] - saa[c] * nbA;
    let x1 = -vc * saa[c] + saa[c] * naA;
    const o = c * R;
    for (let r = 0; r < R; r++) {
      x0 -= left[o + r] * tb[r];
      x1 += left[o + r] * ta[r];
    }
    if (dense) {
      const { ca, cb } = dense;
      const od = c * G;
      for (let h = 0; h < G; h++) {
        const vh = v[h];
        x0 -= cb[od + h] * vh;
        x1 += ca[od + h] * vh;
      }
    }
    e0[c] = x0;
    e1[c] = x1;
  }
  d.n0[b] = nb;
  d.n1[b] = -na;
  const [q0, q1, q2] = termForms(s, f, e0, e1, w.terms);
  d.q0[b] = q0;
  d.q1[b] = q1;
  d.q2[b] = q2;
}

interface DrawScratch {
  e0: Float64Array;
  e1: Float64Array;
  ta: Float64Array;
  tb: Float64Array;
  terms: TermScratch;
}

function drawScratch(s: WildClusterSums): DrawScratch {
  return { e0: new Float64Array(s.cells), e1: new Float64Array(s.cells), ta: new Float64Array(s.R), tb: new Float64Array(s.R), terms: termScratch(s) };
}

function allocDraws(B: number): DrawCoefficients {
  return { B, n0: new Float64Array(B), n1: new Float64Array(B), q0: new Float64Array(B), q1: new Float64Array(B), q2: new Float64Array(B) };
}

/**
 * Bootstrap t statistics t*(r) for given weight vectors (rows of V, B x G), null imposed at r or not.
 * The reference implementation's per-draw values, exposed for tests against refitting the model.
 */
export function bootTStats(s: WildClusterSums, V: Float64Array, nullImposed: boolean, r = 0): Float64Array {
  const G = s.G;
  const B = V.length / G;
  const maps = residualMaps(s);
  const d = allocDraws(B);
  const f = termFactors(s);
  const w = drawScratch(s);
  for (let b = 0; b < B; b++) storeDraw(s, maps, f, V.subarray(b * G, (b + 1) * G), d, b, w);
  const at = nullImposed ? r : maps.A > 0 ? estimateOf(s, maps.A) : 0;
  const out = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const num = d.n0[b] + at * d.n1[b];
    out[b] = num / Math.sqrt(d.q0[b] + 2 * at * d.q1[b] + at * at * d.q2[b]);
  }
  return out;
}

function estimateOf(s: WildClusterSums, A: number): number {
  let ab = 0;
  for (let c = 0; c < s.cells; c++) ab += s.sab[c];
  return ab / A;
}

/**
 * The estimate and its (multiway) clustered standard error from the cell sums, with the given signed
 * term factors (boottest's by default); NaN when the multiway variance is not positive.
 */
export function clusteredEstimate(s: WildClusterSums, f: readonly number[] = termFactors(s)): { estimate: number; se: number } {
  let A = 0;
  for (let c = 0; c < s.cells; c++) A += s.saa[c];
  const beta = estimateOf(s, A);
  // the original cell scores: e_c = sab_c - beta saa_c (residuals of the full model)
  const e = new Float64Array(s.cells);
  for (let c = 0; c < s.cells; c++) e[c] = s.sab[c] - beta * s.saa[c];
  const v = termForms(s, f, e, e, termScratch(s))[0] / (A * A);
  return { estimate: beta, se: v > 0 ? Math.sqrt(v) : NaN };
}

/** Smallest m with m / B >= alpha (as R compares the p-value with the level). */
function criticalCount(alpha: number, B: number): number {
  let m = Math.max(0, Math.floor(alpha * B) - 1);
  while (m / B < alpha) m++;
  return m;
}

/** The m-th largest value of x[0..len) (1-based m), partially reordering the scratch copy. */
function mthLargest(x: Float64Array, len: number, m: number): number {
  // quickselect for index len - m in ascending order
  const kth = len - m;
  let lo = 0;
  let hi = len - 1;
  while (lo < hi) {
    const pivot = x[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (x[i] < pivot) i++;
      while (x[j] > pivot) j--;
      if (i <= j) {
        const t = x[i];
        x[i] = x[j];
        x[j] = t;
        i++;
        j--;
      }
    }
    if (kth <= j) hi = j;
    else if (kth >= i) lo = i;
    else return x[kth];
  }
  return x[kth];
}

/**
 * The wild cluster bootstrap test of beta = r (default 0): t, symmetric p-value and the confidence
 * interval by inverting the test (the r at which the p-value crosses 1 - level).
 */
export function wildClusterBootstrap(s: WildClusterSums, opts: WildOptions): WildResult {
  const { G } = s;
  if (G < 2) throw new RangeError('the wild cluster bootstrap needs at least 2 clusters');
  for (const t of s.terms) if (t.G < 2) throw new RangeError('the wild cluster bootstrap needs at least 2 clusters in every clustering');
  const maps = residualMaps(s);
  const f = termFactors(s);
  const w = drawScratch(s);
  const { estimate: beta, se } = clusteredEstimate(s, f);
  if (!(se > 0)) throw new RangeError('the clustered variance of the tested coefficient is not positive (multiway: V1 + V2 - V12 < 0): the bootstrap t is undefined');
  const r0 = opts.r ?? 0;
  const t = (beta - r0) / se;

  // draws: all 2^G sign vectors when they are no more than reps (Rademacher); v and -v give the same |t*|,
  // so only the half with v_0 = +1 is computed, each counting twice
  const enumerated = opts.weightType === 'rademacher' && G < 31 && 2 ** G <= opts.reps;
  const v = new Float64Array(G);
  let d: DrawCoefficients;
  let mult = 1;
  let B: number;
  if (enumerated) {
    const half = 2 ** (G - 1);
    d = allocDraws(half);
    for (let code = 0; code < half; code++) {
      v[0] = 1;
      for (let g = 1; g < G; g++) v[g] = (code >>> (g - 1)) & 1 ? -1 : 1;
      storeDraw(s, maps, f, v, d, code, w);
    }
    mult = 2;
    B = 2 * half;
  } else {
    B = opts.reps;
    d = allocDraws(B);
    const rng = new Rng(opts.seed);
    for (let b = 0; b < B; b++) {
      drawWeights(opts.weightType, rng, v);
      storeDraw(s, maps, f, v, d, b, w);
    }
  }
  const L = d.B;
  const scratch = new Float64Array(L);
  // |t*_b(r)|^2 for every stored draw, packed at the front of scratch; returns how many are valid. A
  // multiway variance can be negative: fwildclusterboot drops such draws (NaN t*) from the p-value.
  // WCU draws are those of the null r = beta, whatever r is tested
  const fillT2 = (r: number): number => {
    const at = opts.nullImposed ? r : beta;
    let valid = 0;
    for (let b = 0; b < L; b++) {
      const num = d.n0[b] + at * d.n1[b];
      const den = d.q0[b] + 2 * at * d.q1[b] + at * at * d.q2[b];
      if (den < 0) continue;
      scratch[valid++] = den > 0 ? (num * num) / den : num === 0 ? 0 : Infinity;
    }
    return valid;
  };
  const tOf = (r: number): number => (beta - r) / se;
  // p-value: share of (valid) draws with |t*| > |t| (strict, as fwildclusterboot)
  const pAt = (r: number): number => {
    const valid = fillT2(r);
    if (!valid) return NaN;
    const tr = tOf(r);
    const t2 = tr * tr;
    let count = 0;
    for (let b = 0; b < valid; b++) if (scratch[b] > t2) count++;
    return count / valid;
  };
  const pValue = pAt(r0);
  const invalid = (L - fillT2(r0)) * mult;
  if (Number.isNaN(pValue)) throw new RangeError('the multiway variance is negative in every bootstrap draw: no p-value');

  // the interval {r : p(r) >= alpha} = {r : |t(r)| < q_m(r)}, q_m the m-th largest |t*|: q_m^2 - t(r)^2 is
  // continuous in r (an order statistic of continuous functions) with the sign of p(r) - alpha
  const alpha = 1 - opts.level;
  const inside = (r: number): number => {
    const valid = fillT2(r);
    // under enumeration each stored draw stands for two
    const mHalf = Math.ceil(criticalCount(alpha, valid * mult) / mult);
    if (mHalf < 1) return Infinity; // alpha so small that no draw can reject
    if (mHalf > valid) return -Infinity;
    const q = mthLargest(scratch, valid, mHalf);
    const tr = tOf(r);
    return q - tr * tr;
  };
  const exact = exactInterval(inside, beta, se);
  const fwb = fwildclusterbootInterval(pAt, beta, Math.abs(beta - r0), alpha);
  // report fwildclusterboot's bounds (the reference); its procedure can fail where the exact one does not
  const lo = fwb.low ?? exact.low;
  const hi = fwb.high ?? exact.high;
  return { estimate: beta, se, t, pValue, ciLow: lo, ciHigh: hi, ciExactLow: exact.low, ciExactHigh: exact.high, reps: B, enumerated, invalid };
}
