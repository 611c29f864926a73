// The shared front half of OLS estimation: sample selection, factor encoding, absorbing the fixed
// effects (or the constant) and dropping collinear regressors. `estimate` and `prepareDesign` build on it.
import { EstimationError, type RegressionInput, type NamedColumn, type Factor } from './types';
import { StructureCache } from './structureCache';
import { clusterFeParameters, compactCodes, fullyRedundant, isNestedIn, redundantLevels, type SampleFactor } from './factors';
import { selectSample, type SampleSelection } from './sample';
import { FixedEffects } from './demean';
import { findCollinear } from './collinear';
import { crossProducts } from './linalg';
import { reordered, wholeColumns, type DemeanedColumns } from './additiveColumns';
import { valueFacts } from './columnFacts';
import { vcovRequest as requestFor, type VcovRequest } from './vcov';
import { periodCodes } from './inference/driscollKraay';

export interface PreparedModel {
  input: RegressionInput;
  selection: SampleSelection;
  rows: Int32Array;
  n: number;
  w: Float64Array | null; // analytic weights rescaled to sum to n (as Stata does)
  sumW: number;
  /** Sum of the weights as given (reported as sum_weights). */
  sumWGiven: number;
  fe: FixedEffects; // real FEs, or a one-level "constant" factor when the model has no FE but a constant
  feFactors: SampleFactor[]; // real FEs only
  nested: boolean[]; // per real FE: nested in a cluster variable
  clusterFactors: SampleFactor[];
  vcovRequest: VcovRequest;
  absorbsConstant: boolean; // FE or the constant were partialled out (centred R2)
  reportConstant: boolean;
  y: Float64Array; // raw, sample rows
  yMean: number; // weighted
  /** The demeaned regressors (columns 0..p-1, all of them) and dependent variable (column p): stored, or made block by block. */
  demeaned: DemeanedColumns;
  /** demeaned's column p, stored on first use. */
  readonly yTilde: Float64Array;
  tss: number;
  tssWithin: number | null;
  names: string[]; // all regressors as given
  xRaw: Float64Array[]; // all regressors, sample rows
  /** All regressors demeaned, stored on first use. */
  readonly xTilde: Float64Array[];
  /** Unweighted means of the regressors when the fused demeaning computed them (no weights), else null. */
  xMeans: Float64Array | null;
  keep: number[]; // indices (into names) of the kept regressors
  dropped: number[];
  xtxKept: Float64Array; // X~'WX~ of the kept columns
  xtyKept: Float64Array; // X~'Wy~ of the kept columns
  refSS: Float64Array; // per regressor: (weighted) sum of squares before absorbing, centred when a constant or FE is absorbed
  xtxAll: Float64Array; // X~'WX~ of all regressors (p x p), for the diagnostics
  feRedundant: boolean[]; // per real FE: all its levels redundant (a finer FE is nested in it)
  kFeFull: number; // FE parameters: levels less redundant ones (1 for the constant alone)
  kFeCluster: number; // the same without FE nested in a cluster (nested FE count as one)
  iterations: number;
  converged: boolean;
  warnings: string[];
}

/** Values on the sample rows; the input array itself when every row is in the sample (never mutated). */
export function sampleColumn(values: Float64Array, rows: Int32Array): Float64Array {
  if (rows.length === values.length) return values; // rows are ascending and distinct: identity
  const out = new Float64Array(rows.length);
  for (let j = 0; j < rows.length; j++) out[j] = values[rows[j]];
  return out;
}

/**
 * Analytic weights rescaled to sum to the number of rows, as Stata does: estimates do not depend on
 * the scale, and weights like 1e150 (whose squares overflow) or 1e-320 (subnormal) then work as
 * their ratios say. Divided by the largest first, so that neither step overflows.
 */
export function normaliseAnalyticWeights(given: Float64Array): Float64Array {
  const n = given.length;
  let max = 0;
  for (let i = 0; i < n; i++) if (given[i] > max) max = given[i];
  const out = new Float64Array(n);
  if (!(max > 0)) return out;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += out[i] = given[i] / max;
  const k = n / sum;
  for (let i = 0; i < n; i++) out[i] *= k;
  return out;
}

function weightedMean(x: Float64Array, w: Float64Array | null, sumW: number): number {
  let s = 0;
  if (w) for (let i = 0; i < x.length; i++) s += w[i] * x[i];
  else for (let i = 0; i < x.length; i++) s += x[i];
  return s / sumW;
}

/** Weighted sum of squares about the mean (or about 0) in one pass, shifted by the first value against cancellation; for tolerances only. */
function centredSS(x: Float64Array, w: Float64Array | null, sumW: number, centre: boolean): number {
  const n = x.length;
  if (!centre) {
    let s = 0;
    if (w) for (let i = 0; i < n; i++) s += w[i] * x[i] * x[i];
    else for (let i = 0; i < n; i++) s += x[i] * x[i];
    return s;
  }
  const c = n ? x[0] : 0;
  let s1 = 0;
  let s2 = 0;
  if (w) for (let i = 0; i < n; i++) { const d = x[i] - c; const wd = w[i] * d; s1 += wd; s2 += wd * d; }
  else for (let i = 0; i < n; i++) { const d = x[i] - c; s1 += d; s2 += d * d; }
  return Math.max(0, s2 - (s1 * s1) / sumW);
}

/** What the sample rows and the factor arrays alone determine (see structureCache.ts). */
interface FeStructure {
  feFactors: SampleFactor[];
  clusterFactors: SampleFactor[];
  periods: SampleFactor | null; // Driscoll-Kraay time periods
  nested: boolean[];
  fe: FixedEffects;
  feRedundant: boolean[];
  kFeFull: number;
  kFeCluster: number;
}

const structures = new StructureCache<FeStructure>();
const WITH_CONSTANT = {}; // a key marking models with a constant (it is absorbed when there is no FE)

/**
 * The FE structure of a model, reused when an earlier model had the same factor arrays, weights and rows
 * (the FixedEffects keeps the first model's normalised weights: the same weights on the same rows).
 */
function feStructure(input: RegressionInput, clusters: Factor[], dkTime: Factor | undefined, rows: Int32Array, w: Float64Array | null): FeStructure {
  const keys = [...input.fixedEffects.map((f) => f.codes), null, ...clusters.map((c) => c.codes), null, dkTime?.codes ?? null, input.weights ?? null, input.constant ? WITH_CONSTANT : null];
  let st = structures.get(keys, rows);
  if (!st) structures.set(keys, rows, (st = buildFeStructure(input, clusters, dkTime, rows, w)));
  // names are not part of the key (a renamed column keeps its array)
  const named = (f: SampleFactor, name: string) => (f.name === name ? f : { ...f, name });
  return {
    ...st,
    feFactors: st.feFactors.map((f, q) => named(f, input.fixedEffects[q].name)),
    clusterFactors: st.clusterFactors.map((c, q) => named(c, clusters[q].name)),
    periods: st.periods && dkTime ? named(st.periods, dkTime.name) : st.periods,
  };
}

function buildFeStructure(input: RegressionInput, clusters: Factor[], dkTime: Factor | undefined, rows: Int32Array, w: Float64Array | null): FeStructure {
  const n = rows.length;
  const feFactors = input.fixedEffects.map((f) => compactCodes(f.name, f.codes, rows));
  for (const f of feFactors) {
    if (f.nlevels >= n) throw new EstimationError(`fixed effect ${f.name} has as many levels (${f.nlevels}) as observations (${n})`);
  }
  // a cluster variable that is also an absorbed FE (the usual `absorb(city year) vce(cluster city)`) is encoded once
  const clusterFactors = clusters.map((c) => {
    const q = input.fixedEffects.findIndex((f) => f.codes === c.codes);
    return q >= 0 ? { ...feFactors[q], name: c.name } : compactCodes(c.name, c.codes, rows);
  });
  for (const c of clusterFactors) {
    if (c.nlevels < 2) throw new EstimationError(`cluster variable ${c.name} has a single level in the estimation sample`);
  }
  let periods: SampleFactor | null = null;
  if (dkTime) {
    const pc = periodCodes(dkTime.codes, rows);
    periods = { name: dkTime.name, codes: pc.codes, nlevels: pc.T };
    if (pc.T < 2) throw new EstimationError(`Driscoll-Kraay standard errors need at least 2 periods of ${dkTime.name}; the sample has ${pc.T}`);
  }
  // fixest's 'nested' rule treats the Driscoll-Kraay time variable like a cluster variable
  const nestTargets = periods ? [periods] : clusterFactors;
  const nested = feFactors.map((f) => nestTargets.some((c) => c.codes === f.codes || isNestedIn(f, c)));
  const hasFE = feFactors.length > 0;
  const absorbed: SampleFactor[] = hasFE ? feFactors : input.constant ? [{ name: '_cons', codes: new Int32Array(n), nlevels: 1 }] : [];
  const fe = new FixedEffects(absorbed, w, n);
  const sizes = absorbed.map((f) => f.nlevels);
  const feRedundant = fullyRedundant(feFactors);
  // a complete grid of two FEs is one connected component: no union-find pass needed
  const redundant = fe.balanced ? 1 : redundantLevels(absorbed, hasFE ? feRedundant : undefined);
  const kFeFull = sizes.reduce((s, v) => s + v, 0) - redundant;
  let kFeCluster = kFeFull;
  // FEs nested in a cluster variable are not parameters (see clusterFeParameters)
  if (feFactors.some((_, q) => nested[q] && !feRedundant[q])) kFeCluster = clusterFeParameters(feFactors, nested, feRedundant);
  return { feFactors, clusterFactors, periods, nested, fe, feRedundant, kFeFull, kFeCluster };
}

export function prepareModel(input: RegressionInput): PreparedModel {
  if (input.endogenous?.length || input.instruments?.length) {
    throw new EstimationError('estimate() fits OLS; models with instrumented regressors go to the IV estimator');
  }
  const nrows = input.depvar.values.length;
  if (input.regressors.length === 0 && input.fixedEffects.length === 0 && !input.constant) {
    throw new EstimationError('nothing to estimate: no regressors, no constant and no fixed effects');
  }
  const clusters = input.vcov.type === 'cluster' ? (input.vcov.clusters ?? []) : [];
  if (input.vcov.type === 'cluster' && clusters.length === 0) throw new EstimationError('clustered standard errors need a cluster variable');
  const dkTime = input.vcov.type === 'dkraay' ? input.vcov.time : undefined;
  if (input.vcov.type === 'dkraay' && !dkTime) throw new EstimationError('Driscoll-Kraay standard errors need a time variable (xtset)');
  const names = input.regressors.map((r) => r.name);
  const seen = new Set<string>();
  for (const nm of names) {
    if (seen.has(nm)) throw new EstimationError(`regressor ${nm} appears twice`);
    seen.add(nm);
  }
  const columns: NamedColumn[] = [input.depvar, ...input.regressors];
  const selection = selectSample({
    nrows,
    columns,
    weights: input.weights,
    fixedEffects: input.fixedEffects,
    clusters: dkTime ? [dkTime] : clusters, // rows with a missing period are dropped too
    sample: input.sample,
    dropSingletons: input.dropSingletons ?? true,
  });
  const rows = selection.rows;
  const n = rows.length;
  if (n === 0) {
    throw new EstimationError(
      selection.singletonsRemoved > 0 ? 'no observations left after dropping singleton groups' : 'no observations: every row has a missing value or is excluded',
    );
  }
  const given = input.weights ? sampleColumn(input.weights, rows) : null;
  const w = given ? normaliseAnalyticWeights(given) : null;
  const sumW = n;
  let sumWGiven = n;
  if (given) {
    sumWGiven = 0;
    for (let i = 0; i < n; i++) sumWGiven += given[i];
  }
  const st = feStructure(input, clusters, dkTime, rows, w);
  const { feFactors, clusterFactors, periods, nested, fe, feRedundant } = st;
  if (periods) {
    const lags = input.vcov.lags ?? 0;
    const T = periods.nlevels;
    if (!Number.isInteger(lags) || lags < 0 || lags >= T) {
      throw new EstimationError(`Driscoll-Kraay lag ${lags} must be a whole number from 0 to ${T - 1} (the sample has ${T} periods of ${periods.name})`);
    }
  }
  const hasFE = feFactors.length > 0;
  const absorbsConstant = hasFE || input.constant;

  const y = sampleColumn(input.depvar.values, rows);
  // y's mean and centred sum of squares from the loader's profile when the sample is the whole column
  // (two passes it made about the exact mean, as here)
  const yf = !w && y === input.depvar.values ? valueFacts(y) : undefined;
  const known = yf && yf.finite && Number.isFinite(yf.mean) && Number.isFinite(yf.centredSS);
  const yMean = known ? yf.mean : weightedMean(y, w, sumW);
  // TSS enters R2: two passes (about the exact mean), not the one-pass shortcut used for the thresholds
  let tss = 0;
  if (known && absorbsConstant) tss = yf.centredSS;
  else {
    const mu = absorbsConstant ? yMean : 0;
    if (w) for (let i = 0; i < n; i++) tss += w[i] * (y[i] - mu) * (y[i] - mu);
    else for (let i = 0; i < n; i++) tss += (y[i] - mu) * (y[i] - mu);
  }
  if (!(tss > 0)) throw new EstimationError(`the dependent variable ${input.depvar.name} is constant in the estimation sample`);

  const xRaw = input.regressors.map((r) => sampleColumn(r.values, rows));
  const opts = { tolerance: input.tolerance, maxIterations: input.maxIterations };
  const p = xRaw.length;
  let dm: { iterations: number; converged: boolean; warnings: string[] };
  let demeaned: DemeanedColumns; // [X~, y~]
  let cp: Float64Array; // cross products of [X~, y~]
  let refSS: Float64Array | null = null;
  let xMeans: Float64Array | null = null;
  if (fe.balanced) {
    // balanced panel: demeaning (as additive terms), cross products and the raw sums of squares in two fused passes
    const g = fe.demeanGridFused([...xRaw, y]);
    dm = { iterations: 1, converged: true, warnings: [] };
    demeaned = g.columns;
    cp = g.cross;
    refSS = g.centredSS.subarray(0, p);
    xMeans = g.means.subarray(0, p);
  } else {
    // two FEs, rows grouped by unit: the direct solve in two passes per column (null when it does not apply)
    const d = fe.demeanDirectFused([...xRaw, y], opts, [...names, input.depvar.name]);
    if (d) {
      dm = d;
      demeaned = d.columns;
      cp = d.cross;
      refSS = d.centredSS.subarray(0, p);
      xMeans = d.means.subarray(0, p);
    } else {
      // the forward sweep of all columns at once, with their cross products (null when it does not apply);
      // y first, as demeanMany takes them (its warnings come in that order)
      const s = fe.demeanSweepFused([y, ...xRaw], opts, [input.depvar.name, ...names]);
      if (s) {
        dm = s;
        // [y~, X~] to [X~, y~]
        const k = p + 1;
        const at = (a: number) => (a < p ? a + 1 : 0);
        demeaned = reordered(s.columns, Array.from({ length: k }, (_, a) => at(a)));
        cp = new Float64Array(k * k);
        for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) cp[a * k + b] = s.cross[at(a) * k + at(b)];
        refSS = s.centredSS.subarray(1);
        xMeans = s.means.subarray(1);
      } else {
        const r = fe.demeanMany([y, ...xRaw], opts, [input.depvar.name, ...names]);
        dm = r;
        const cols = [...r.columns.slice(1), r.columns[0]];
        demeaned = wholeColumns(cols, n);
        // one blocked pass for X~'X~, X~'y~ and y~'y~
        cp = crossProducts(cols, cols, w);
      }
    }
  }
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) xtx[a * p + b] = cp[a * (p + 1) + b];
    xty[a] = cp[a * (p + 1) + p];
  }
  const tssWithin = hasFE ? cp[(p + 1) * (p + 1) - 1] : null;
  if (!refSS) {
    refSS = new Float64Array(p);
    for (let j = 0; j < p; j++) refSS[j] = centredSS(xRaw[j], w, sumW, absorbsConstant);
  }
  const col = findCollinear(xtx, p, refSS);
  if (p > 0 && col.keep.length === 0) {
    throw new EstimationError(
      `all regressors are collinear${absorbsConstant ? (hasFE ? ' with the fixed effects' : ' with the constant') : ''}: ${col.dropped.map((j) => names[j]).join(', ')}`,
    );
  }
  const kk = col.keep.length;
  const xtxKept = new Float64Array(kk * kk);
  const xtyKept = new Float64Array(kk);
  for (let a = 0; a < kk; a++) {
    for (let b = 0; b < kk; b++) xtxKept[a * kk + b] = xtx[col.keep[a] * p + col.keep[b]];
    xtyKept[a] = xty[col.keep[a]];
  }

  const { kFeFull, kFeCluster } = st;
  const vcovRequest: VcovRequest = requestFor(input.vcov.type, clusterFactors, periods ? { periods, lags: input.vcov.lags ?? 0 } : undefined);

  return {
    input,
    selection,
    rows,
    n,
    w,
    sumW,
    sumWGiven,
    fe,
    feFactors,
    nested,
    clusterFactors,
    vcovRequest,
    absorbsConstant,
    reportConstant: input.constant,
    y,
    yMean,
    demeaned,
    get yTilde() {
      return demeaned.column(p);
    },
    tss,
    tssWithin,
    names,
    xRaw,
    get xTilde() {
      return xRaw.map((_, j) => demeaned.column(j));
    },
    xMeans: w ? null : xMeans,
    keep: col.keep,
    dropped: col.dropped,
    xtxKept,
    xtyKept,
    refSS,
    xtxAll: xtx,
    feRedundant,
    kFeFull,
    kFeCluster,
    iterations: dm.iterations,
    converged: dm.converged,
    warnings: dm.warnings,
  };
}

/** K for the small-sample factor: all FE parameters for iid/robust, non-nested ones when clustered. */
export function dofK(m: PreparedModel, kSlopes: number): number {
  return kSlopes + (m.vcovRequest.type === 'cluster' || m.vcovRequest.type === 'dkraay' ? m.kFeCluster : m.kFeFull);
}

export { weightedMean };
