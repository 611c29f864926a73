// The weights a two-way fixed-effects regression puts on each treated cell's effect (de Chaisemartin
// and D'Haultfoeuille 2020, Theorem 1): regress the treatment D on the fixed effects over the
// estimation sample; a treated cell's weight is its residual e over the sum of the (weighted)
// residuals of the treated cells. Under staggered adoption some treated cells (early adopters in
// late periods) get negative residuals, hence negative weight: with heterogeneous effects the TWFE
// coefficient can then lie outside the range of the cell effects.
import type { FixedEffects } from '../demean';

export interface TwfeWeights {
  /** treated cells (rows with D != 0) */
  treated: number;
  /** treated cells with a negative weight */
  negative: number;
  /** negative / treated */
  negativeShare: number;
  /** sum of the negative weights (the weights sum to 1) */
  negativeSum: number;
  /** per sample row: the weight (0 for untreated rows) */
  weights: Float64Array;
}

/**
 * The TWFE weights of the treated cells. `d` is the treatment on the sample rows the FixedEffects
 * were built on (their analytic weights, if any, count as cell sizes). Undefined when no treated
 * cell has a positive total residual (no variation left after the fixed effects).
 */
export function twfeWeights(d: Float64Array, fe: FixedEffects): TwfeWeights | undefined {
  if (d.length !== fe.n) throw new RangeError(`treatment has ${d.length} rows, the fixed effects ${fe.n}`);
  const e = fe.demeanMany([d]).columns[0];
  const w = fe.weights;
  let denom = 0;
  let treated = 0;
  for (let i = 0; i < d.length; i++) {
    if (d[i] === 0) continue;
    treated++;
    denom += (w ? w[i] : 1) * e[i];
  }
  // the residuals of the treated cells sum to the within variance of D: ~0 means D is absorbed
  if (!treated || !(denom > 1e-12 * treated)) return undefined;
  const weights = new Float64Array(d.length);
  let negative = 0;
  let negativeSum = 0;
  for (let i = 0; i < d.length; i++) {
    if (d[i] === 0) continue;
    const wi = ((w ? w[i] : 1) * e[i]) / denom;
    weights[i] = wi;
    if (wi < 0) {
      negative++;
      negativeSum += wi;
    }
  }
  return { treated, negative, negativeShare: negative / treated, negativeSum, weights };
}

export interface Cohort {
  time: number;
  units: number;
}

/**
 * The adoption cohorts: units by their adoption period `adopt[i]` (NaN or 0: never treated), over the
 * rows given. A unit whose rows disagree counts in the cohort of its first row.
 */
export function adoptionCohorts(unit: Int32Array, adopt: Float64Array, rows?: Int32Array): Cohort[] {
  const seen = new Set<number>();
  const count = new Map<number, number>();
  const n = rows ? rows.length : unit.length;
  for (let k = 0; k < n; k++) {
    const i = rows ? rows[k] : k;
    const u = unit[i];
    if (u < 0 || seen.has(u)) continue;
    seen.add(u);
    const g = adopt[i];
    if (Number.isNaN(g) || g === 0) continue;
    count.set(g, (count.get(g) ?? 0) + 1);
  }
  return [...count.entries()].sort((a, b) => a[0] - b[0]).map(([time, units]) => ({ time, units }));
}

/**
 * Each row's adoption period: the first period in which its unit has D = 1 over all the rows given
 * (not only the estimation sample: a missing outcome in the adoption year does not move adoption),
 * 0 for units never treated. Rows with a missing unit or time get NaN.
 */
export function firstTreated(unit: Int32Array, time: Float64Array, d: Float64Array): Float64Array {
  const first = new Map<number, number>();
  for (let i = 0; i < unit.length; i++) {
    if (d[i] !== 1 || unit[i] < 0 || Number.isNaN(time[i])) continue;
    const prev = first.get(unit[i]);
    if (prev === undefined || time[i] < prev) first.set(unit[i], time[i]);
  }
  return Float64Array.from(unit, (u, i) => (u < 0 || Number.isNaN(time[i]) ? NaN : (first.get(u) ?? 0)));
}
