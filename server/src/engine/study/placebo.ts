// Placebo (randomisation) test of a staggered DID: `placebo reps(N) units(M) seed(S): did y TREAT ...`.
//
// As CONTRACT.md defines it, each draw picks M units of the estimation sample at random as
// pseudo-treated, gives each an adoption time drawn (with replacement) from the adoption times of
// the really treated units (the first time TREAT is 1), rebuilds TREAT = 1{time >= adoption} and
// re-runs the model. The FE structure, the demeaned controls and the clusters are prepared once
// (prepareDesign); each draw only demeans the new treatment column.

import { prepareDesign as corePrepare, type PreparedDesign } from '../design';
import { EstimationError, type RegressionInput } from '../types';
import { Rng } from './rng';

export interface PlaceboSpec {
  model: RegressionInput; // the did model; its regressor `treatment` is TREAT
  treatment: string;
  unit: Int32Array; // unit codes, full dataset length (-1 missing)
  time: Float64Array; // time, full dataset length
  reps: number;
  units: number; // M
  seed: number;
  onProgress?: (fractionDone: number) => void;
  signal?: AbortSignal;
  shouldCancel?: () => boolean;
}

export interface PlaceboOutcome {
  reps: number; // draws completed
  draws: number[]; // the N placebo estimates of TREAT's coefficient (NaN = collinear draw)
  actual: number;
  actual_se: number;
  mean: number;
  sd: number; // n - 1
  p_value: number; // share of draws with |draw| >= |actual|
  seed: number;
  units: number;
  treated_units: number;
  adoption_times: number[]; // the distinct adoption times drawn from
  collinear_draws: number;
  cancelled: boolean;
}

/** Per unit (code), the first time its TREAT is 1 within the sample rows; NaN when never. */
export function adoptionTimes(rows: Int32Array, unit: Int32Array, time: Float64Array, treat: Float64Array): Map<number, number> {
  const first = new Map<number, number>();
  for (const r of rows) {
    if (treat[r] !== 1) continue;
    const u = unit[r];
    const t = time[r];
    const cur = first.get(u);
    if (cur === undefined || t < cur) first.set(u, t);
  }
  return first;
}

export function runPlacebo(spec: PlaceboSpec, prepare: (m: RegressionInput, t: string) => PreparedDesign = corePrepare): PlaceboOutcome {
  const { reps, units: M } = spec;
  if (!Number.isInteger(reps) || reps < 1) throw new EstimationError(`placebo: reps(${reps}) must be a positive integer`);
  if (!Number.isInteger(M) || M < 1) throw new EstimationError(`placebo: units(${M}) must be a positive integer`);
  const treatCol = spec.model.regressors.find((r) => r.name === spec.treatment);
  if (!treatCol) throw new EstimationError(`placebo: the treatment ${spec.treatment} is not among the model's regressors`);
  const design = prepare(spec.model, spec.treatment);
  const rows = design.sampleRows;
  // units of the estimation sample, in order of first appearance
  const unitIndex = new Map<number, number>();
  for (const r of rows) {
    const u = spec.unit[r];
    if (u < 0) throw new EstimationError(`placebo: the panel unit is missing in row ${r + 1}`);
    if (Number.isNaN(spec.time[r])) throw new EstimationError(`placebo: the time variable is missing in row ${r + 1}`);
    if (!unitIndex.has(u)) unitIndex.set(u, unitIndex.size);
  }
  const nUnits = unitIndex.size;
  if (M > nUnits) throw new EstimationError(`placebo: units(${M}) exceeds the ${nUnits} units in the estimation sample`);
  for (const r of rows) {
    const v = treatCol.values[r];
    if (v !== 0 && v !== 1) throw new EstimationError(`placebo: ${spec.treatment} must be 0/1 (row ${r + 1} has ${v})`);
  }
  const adopt = adoptionTimes(rows, spec.unit, spec.time, treatCol.values);
  const pool = [...adopt.values()];
  if (!pool.length) throw new EstimationError(`placebo: ${spec.treatment} is never 1 in the estimation sample`);

  const actualFit = design.full.coefficients.find((c) => c.term === spec.treatment);
  if (!actualFit) throw new EstimationError(`placebo: ${spec.treatment} was dropped from the model (collinear)`);
  const rng = new Rng(spec.seed);
  const n = spec.time.length;
  const unitOfRow = new Int32Array(rows.length);
  rows.forEach((r, i) => { unitOfRow[i] = unitIndex.get(spec.unit[r])!; });
  const pseudoAdopt = new Float64Array(nUnits);
  const values = new Float64Array(n);
  const scratch = new Int32Array(nUnits);
  const draws: number[] = [];
  let collinear = 0;
  let cancelled = false;
  for (let d = 0; d < reps; d++) {
    if (spec.signal?.aborted || spec.shouldCancel?.()) { cancelled = true; break; }
    pseudoAdopt.fill(Infinity);
    const chosen = rng.sample(nUnits, M, scratch);
    for (const u of chosen) pseudoAdopt[u] = pool[rng.int(pool.length)];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      values[r] = spec.time[r] >= pseudoAdopt[unitOfRow[i]] ? 1 : 0;
    }
    const fit = design.refit(values);
    if (fit.collinear) collinear++;
    draws.push(fit.estimate);
    spec.onProgress?.((d + 1) / reps);
  }
  const ok = draws.filter((v) => Number.isFinite(v));
  const mean = ok.reduce((s, v) => s + v, 0) / ok.length;
  const sd = Math.sqrt(ok.reduce((s, v) => s + (v - mean) ** 2, 0) / (ok.length - 1));
  const actual = actualFit.estimate;
  const extreme = ok.filter((v) => Math.abs(v) >= Math.abs(actual)).length;
  return {
    reps: draws.length,
    draws,
    actual,
    actual_se: actualFit.se,
    mean: ok.length ? mean : NaN,
    sd: ok.length > 1 ? sd : NaN,
    p_value: ok.length ? extreme / ok.length : NaN,
    seed: spec.seed,
    units: M,
    treated_units: pool.length,
    adoption_times: [...new Set(pool)].sort((a, b) => a - b),
    collinear_draws: collinear,
    cancelled,
  };
}
