// Randomization inference (`ritest TREAT _b[TREAT], reps(N) seed(S) [strata(V) cluster(V)]: COMMAND`):
// the treatment assignment is permuted across permutation groups (the panel units, or the clusters with
// cluster()), within strata; each draw refits the model. As placebo, the sample, the absorbed fixed
// effects, the demeaned controls and the cluster structure are prepared once (prepareDesign), and a draw
// only demeans the new treatment column.
//
// A group's assignment is its treatment value when TREAT is constant within the group, or else its
// treatment path over time (TREAT constant within each group-period cell); a permuted group takes the
// value, or at each of its periods the value of the path it was given.
import betainc from '@stdlib/math-base-special-betainc';
import { prepareDesign as corePrepare, type PreparedDesign } from '../design';
import { EstimationError, type RegressionInput } from '../types';
import { Rng } from '../study/rng';

export interface RitestSpec {
  model: RegressionInput;
  treatment: string; // a regressor of the model
  groups: Int32Array; // permutation groups (units or clusters), full data length, -1 missing
  groupLabel: string; // for messages: "unit", "cluster"
  strata?: Int32Array; // full data length, -1 missing
  time?: Float64Array; // the panel time when the treatment varies within groups
  reps: number;
  seed: number;
  onProgress?: (fractionDone: number) => void;
  signal?: AbortSignal;
  /** sees each draw's permuted treatment column (tests refit it independently) */
  onAssignment?: (values: Float64Array, draw: number) => void;
}

export interface RitestOutcome {
  actual: number;
  reps: number;
  draws: number[]; // NaN: the permuted treatment was collinear
  p_value: number; // share of finite draws with |draw| >= |actual|
  p_ci: [number, number]; // exact (Clopper-Pearson) 95% interval of p over the Monte-Carlo draws
  extreme: number;
  mean: number;
  sd: number;
  groups: number;
  strata: number;
  by_time: boolean; // groups carried treatment paths over time
  collinear_draws: number;
  cancelled: boolean;
}

/** Quantile of Beta(a, b) by bisection on the regularized incomplete beta (for the interval of p). */
function betaQuantile(p: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (betainc(mid, a, b, true, false) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Exact binomial (Clopper-Pearson) interval of x successes in n trials at the given level. */
export function clopperPearson(x: number, n: number, level = 0.95): [number, number] {
  const a = (1 - level) / 2;
  const lo = x === 0 ? 0 : betaQuantile(a, x, n - x + 1);
  const hi = x === n ? 1 : betaQuantile(1 - a, x + 1, n - x);
  return [lo, hi];
}

export function runRitest(spec: RitestSpec, prepare: (m: RegressionInput, t: string) => PreparedDesign = corePrepare): RitestOutcome {
  const { reps } = spec;
  if (!Number.isInteger(reps) || reps < 1) throw new EstimationError(`ritest: reps(${reps}) must be a positive whole number`);
  const treatCol = spec.model.regressors.find((r) => r.name === spec.treatment);
  if (!treatCol) throw new EstimationError(`ritest: ${spec.treatment} is not a regressor of the command`);
  const design = prepare(spec.model, spec.treatment);
  const actualFit = design.full.coefficients.find((c) => c.term === spec.treatment);
  if (!actualFit) throw new EstimationError(`ritest: ${spec.treatment} was omitted from the model (collinear)`);
  const rows = design.sampleRows;
  const treat = treatCol.values;

  // permutation groups of the sample, numbered in order of appearance, with their stratum
  const gIndex = new Map<number, number>();
  const gOfRow = new Int32Array(rows.length);
  const stratumOf: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const code = spec.groups[r];
    if (code < 0) throw new EstimationError(`ritest: the ${spec.groupLabel} variable is missing in row ${r + 1}`);
    let g = gIndex.get(code);
    if (g === undefined) {
      g = gIndex.size;
      gIndex.set(code, g);
      stratumOf.push(spec.strata ? spec.strata[r] : 0);
    }
    gOfRow[i] = g;
    if (spec.strata) {
      const s = spec.strata[r];
      if (s < 0) throw new EstimationError(`ritest: the strata variable is missing in row ${r + 1}`);
      if (s !== stratumOf[g]) throw new EstimationError(`ritest: the strata variable must be constant within each ${spec.groupLabel} (row ${r + 1})`);
    }
  }
  const G = gIndex.size;
  if (G < 2) throw new EstimationError(`ritest: the estimation sample has a single ${spec.groupLabel}: nothing to permute`);

  // each group's assignment: one value, or a path over the periods
  let constant = true;
  const value = new Float64Array(G).fill(NaN);
  for (let i = 0; i < rows.length; i++) {
    const g = gOfRow[i];
    const v = treat[rows[i]];
    if (Number.isNaN(value[g])) value[g] = v;
    else if (value[g] !== v) constant = false;
  }
  let paths: Map<number, number>[] | null = null;
  if (!constant) {
    if (!spec.time) throw new EstimationError(`ritest: ${spec.treatment} varies within a ${spec.groupLabel}; xtset the panel so that treatment paths over time can be permuted`);
    paths = Array.from({ length: G }, () => new Map<number, number>());
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const t = spec.time[r];
      if (Number.isNaN(t)) throw new EstimationError(`ritest: the time variable is missing in row ${r + 1}`);
      const m = paths[gOfRow[i]];
      const v = m.get(t);
      if (v === undefined) m.set(t, treat[r]);
      else if (v !== treat[r]) throw new EstimationError(`ritest: ${spec.treatment} differs within ${spec.groupLabel} and period ${t} (row ${r + 1}); it must be assigned per ${spec.groupLabel} and period`);
    }
  }

  // strata: the groups of each stratum, permuted among themselves
  const byStratum = new Map<number, number[]>();
  for (let g = 0; g < G; g++) {
    const s = stratumOf[g];
    let list = byStratum.get(s);
    if (!list) byStratum.set(s, (list = []));
    list.push(g);
  }
  const strataLists = [...byStratum.values()];

  const rng = new Rng(spec.seed);
  const perm = new Int32Array(G); // group g receives the assignment of group perm[g]
  const values = new Float64Array(treat.length);
  const draws: number[] = [];
  let collinear = 0;
  let cancelled = false;
  for (let d = 0; d < reps; d++) {
    if (spec.signal?.aborted) {
      cancelled = true;
      break;
    }
    for (const list of strataLists) {
      // Fisher-Yates shuffle of the stratum's groups
      const k = list.length;
      const order = list.slice();
      for (let i = k - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (let i = 0; i < k; i++) perm[list[i]] = order[i];
    }
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const src = perm[gOfRow[i]];
      if (paths) {
        const v = paths[src].get(spec.time![r]);
        if (v === undefined) {
          throw new EstimationError(
            `ritest: cannot give ${spec.groupLabel} ${[...gIndex.keys()][gOfRow[i]]} the treatment path of another: that one has no row at period ${spec.time![r]} (a balanced panel is needed)`,
          );
        }
        values[r] = v;
      } else values[r] = value[src];
    }
    spec.onAssignment?.(values, d);
    const fit = design.refit(values);
    if (fit.collinear) collinear++;
    draws.push(fit.estimate);
    spec.onProgress?.((d + 1) / reps);
  }
  const ok = draws.filter((v) => Number.isFinite(v));
  const actual = actualFit.estimate;
  const extreme = ok.filter((v) => Math.abs(v) >= Math.abs(actual)).length;
  const mean = ok.reduce((s, v) => s + v, 0) / ok.length;
  const sd = Math.sqrt(ok.reduce((s, v) => s + (v - mean) ** 2, 0) / (ok.length - 1));
  return {
    actual,
    reps: draws.length,
    draws,
    p_value: ok.length ? extreme / ok.length : NaN,
    p_ci: ok.length ? clopperPearson(extreme, ok.length) : [NaN, NaN],
    extreme,
    mean: ok.length ? mean : NaN,
    sd: ok.length > 1 ? sd : NaN,
    groups: G,
    strata: strataLists.length,
    by_time: !constant,
    collinear_draws: collinear,
    cancelled,
  };
}
