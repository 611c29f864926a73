// The compression route: GROUP BY the distinct (regressors x FE x cluster) cells into sufficient
// statistics (rows, sum w, sum w y, sum w y^2; with weights also sum w^2, sum w^2 y, sum w^2 y^2), then
// fit the cells in memory. Regressors, FE levels and clusters are constant within a cell, so the cell
// means of y with the cell weights give the exact coefficients (weighted least squares), and:
//  - SSR = sum over cells of W_c e_c^2 plus the within-cell sum of squares sum w y^2 - (sum w y)^2 / W_c;
//  - cluster scores: sum over a cluster's cells of z~_c W_c e_c (within a cell, sum w (y - ybar_c) = 0);
//  - HC1 meat: sum over cells of z~_c z~_c' sum_{i in c} w_i^2 (y_i - yhat_c)^2, which is
//    sum w^2 y^2 - 2 yhat_c sum w^2 y + yhat_c^2 sum w^2 (unweighted: within SS + n_c e_c^2).
// Singletons are dropped on the cells (a level's row count is the sum of its cells' counts), which is
// row-for-row what the in-memory engine drops.
import { EstimationError, type EstimationCore, type Factor, type RegressionInput } from '../types';
import type { FixedEffectInfo } from '../../results/types';
import { prepareModel, type PreparedModel } from '../model';
import { meatCluster, meatMultiway, meatHC } from '../vcov';
import { num } from './runner';
import { sumW, wmul, type BaseRelation } from './base';
import { numLit } from './dialect';
import { finishEstimate, specFields, type FitForMeat, type MeatResult, type MomentModel } from './finish';
import type { SqlRegressionSpec } from './spec';

/** The cells fitted in memory: the prepared model on the kept cells and what the full-data sums need. */
export interface CompressedCells {
  m: PreparedModel;
  N: number; // rows in the kept cells
  singletons: number;
  cy: number; // the shift of y (cell means are of y - cy)
  rows: Record<string, unknown>[]; // the cells as read
  n: Float64Array;
  sw: Float64Array;
  swy: Float64Array;
  swy2: Float64Array;
  w2: Float64Array[] | null; // sum w^2, sum w^2 y, sum w^2 y^2
  x: Float64Array[];
  ybar: Float64Array;
  /** codes of the given columns over the cells, levels numbered in sorted order of their values */
  codesOf(cols: string[]): { codes: Int32Array; nlevels: number };
}

export async function compressCells(b: BaseRelation, spec: SqlRegressionSpec, signal?: AbortSignal): Promise<CompressedCells> {
  const p = b.p;
  const constant = spec.constant ?? b.fes.length === 0;
  const hasFE = b.fes.length > 0;
  const centre = hasFE || constant;
  const cy = centre ? b.shiftY : 0;
  const yc = `(y - ${numLit(cy)})`;
  const gcols = [...new Set([...b.fes, ...b.clusters].flatMap((f) => f.cols))];
  const keys = [...Array.from({ length: p }, (_, j) => `x${j}`), ...gcols];
  const sel = [...keys, 'COUNT(*) AS n', `${sumW(b)} AS sw`, `SUM(${wmul(b, yc)}) AS swy`, `SUM(${wmul(b, `${yc} * ${yc}`)}) AS swy2`];
  if (b.weighted) sel.push('SUM(w * w) AS sw2', `SUM(w * w * ${yc}) AS sw2y`, `SUM(w * w * ${yc} * ${yc}) AS sw2y2`);
  const rows = await b.runner.all(`SELECT ${sel.join(', ')} FROM ${b.from} AS t${keys.length ? ` GROUP BY ${keys.join(', ')}` : ''}`, { signal });
  const C = rows.length;
  const n = Float64Array.from(rows, (r) => num(r.n));
  const sw = Float64Array.from(rows, (r) => num(r.sw));
  const swy = Float64Array.from(rows, (r) => num(r.swy));
  const swy2 = Float64Array.from(rows, (r) => num(r.swy2));
  const w2 = b.weighted ? [Float64Array.from(rows, (r) => num(r.sw2)), Float64Array.from(rows, (r) => num(r.sw2y)), Float64Array.from(rows, (r) => num(r.sw2y2))] : null;
  const codeOf = (cols: string[]) => sortedCodes(rows, cols);
  const feCodes = b.fes.map((f) => codeOf(f.cols));
  // singletons, iteratively on the cells: a level whose cells hold one row in all
  const alive = new Uint8Array(C).fill(1);
  let singletons = 0;
  if ((spec.dropSingletons ?? true) && hasFE) {
    for (;;) {
      const counts = feCodes.map((f) => new Float64Array(f.nlevels));
      for (let c = 0; c < C; c++) if (alive[c]) feCodes.forEach((f, q) => (counts[q][f.codes[c]] += n[c]));
      let removed = 0;
      for (let c = 0; c < C; c++) {
        if (alive[c] && feCodes.some((f, q) => counts[q][f.codes[c]] === 1)) {
          alive[c] = 0;
          removed += n[c];
        }
      }
      if (!removed) break;
      singletons += removed;
    }
  }
  const N = n.reduce((s, v, c) => s + (alive[c] ? v : 0), 0);
  if (N === 0) throw new EstimationError('no observations left after dropping singleton groups');
  const sample = alive;
  const x = Array.from({ length: p }, (_, j) => Float64Array.from(rows, (r) => num(r[`x${j}`])));
  const ybar = Float64Array.from(swy, (s, c) => s / sw[c]);
  const factor = (name: string, f: { codes: Int32Array; nlevels: number }): Factor => ({ name, codes: f.codes, nlevels: f.nlevels });
  const fes = b.fes.map((f, q) => factor(f.name, feCodes[q]));
  const clusters = b.clusters.map((c) => {
    const q = b.fes.findIndex((f) => f.cols.length === c.cols.length && f.cols.every((x) => c.cols.includes(x)));
    return q >= 0 ? fes[q] : factor(c.name, codeOf(c.cols));
  });
  const input: RegressionInput = {
    depvar: { name: spec.depvar, values: ybar },
    regressors: spec.regressors.map((name, j) => ({ name, values: x[j] })),
    fixedEffects: fes,
    constant,
    weights: sw,
    vcov: { type: spec.vce.type, clusters },
    sample,
    dropSingletons: false,
  };
  const m = prepareModel(input);
  return { m, N, singletons, cy, rows, n, sw, swy, swy2, w2, x, ybar, codesOf: codeOf };
}

export async function compressEstimate(b: BaseRelation, spec: SqlRegressionSpec, signal?: AbortSignal): Promise<EstimationCore> {
  const p = b.p;
  const constant = spec.constant ?? b.fes.length === 0;
  const hasFE = b.fes.length > 0;
  const { m, N, singletons, cy, n, sw, swy, swy2, w2, x, ybar } = await compressCells(b, spec, signal);
  const C = m.n;
  const rowsKept = m.rows;
  let W = 0;
  for (let i = 0; i < C; i++) W += sw[rowsKept[i]];
  const kappa = N / W;
  const om = new Float64Array(C); // cell weights on the in-memory scale
  let wss = 0; // within-cell sum of squares
  for (let i = 0; i < C; i++) {
    const c = rowsKept[i];
    om[i] = kappa * sw[c];
    wss += kappa * Math.max(0, swy2[c] - (swy[c] * swy[c]) / sw[c]);
  }
  const xt = m.xTilde;
  const yt = m.yTilde;
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  let yty = wss;
  for (let i = 0; i < C; i++) yty += om[i] * yt[i] * yt[i];
  for (let a = 0; a < p; a++) {
    for (let c = a; c < p; c++) {
      let s = 0;
      for (let i = 0; i < C; i++) s += om[i] * xt[a][i] * xt[c][i];
      xtx[a * p + c] = xtx[c * p + a] = s;
    }
    let s = 0;
    for (let i = 0; i < C; i++) s += om[i] * xt[a][i] * yt[i];
    xty[a] = s;
  }
  const mean = (v: Float64Array) => {
    let s = 0;
    for (let i = 0; i < C; i++) s += om[i] * v[rowsKept[i]];
    return s / N;
  };
  const yMean = mean(ybar);
  const ss = (v: Float64Array, mu: number) => {
    let s = 0;
    for (let i = 0; i < C; i++) s += om[i] * (v[rowsKept[i]] - mu) ** 2;
    return s;
  };
  const tss = m.absorbsConstant ? ss(ybar, yMean) + wss : ss(ybar, 0) + wss;
  if (!(tss > 0)) throw new EstimationError(`the dependent variable ${spec.depvar} is constant in the estimation sample`);
  const xbar = Float64Array.from(x, (v) => mean(v));
  const refSS = Float64Array.from(x, (v, j) => ss(v, m.absorbsConstant ? xbar[j] : 0));
  const fixedEffects: FixedEffectInfo[] = m.feFactors.map((f, q) => ({ name: f.name, levels: f.nlevels, nested: m.nested[q] }));
  const mm: MomentModel = {
    ...specFields(spec, b),
    ...{ N, sumWGiven: b.weighted ? W : undefined, xtx, xty, yty, tss, tssWithin: hasFE ? yty : null, refSS, xbar, yMean: cy + yMean },
    ...{ constant, absorbsConstant: m.absorbsConstant, hasFE, fixedEffects, kFeFull: m.kFeFull, kFeCluster: m.kFeCluster },
    ...{ singletonsRemoved: b.singletonsRemoved + singletons, iterations: m.iterations, converged: m.converged, warnings: m.warnings },
  };

  const meatOf = async (fit: FitForMeat): Promise<MeatResult | null> => {
    if (spec.vce.type === 'iid') return null;
    const { beta, keep } = fit;
    const e = new Float64Array(C);
    for (let i = 0; i < C; i++) {
      let r = yt[i];
      for (const j of keep) r -= beta[j] * xt[j][i];
      e[i] = r;
    }
    const z = keep.map((j) => xt[j]);
    if (constant) z.push(new Float64Array(C).fill(1));
    if (spec.vce.type === 'robust') {
      // per cell sum_i w_i^2 (y_i - yhat_c)^2 on the in-memory scale
      const u = new Float64Array(C);
      for (let i = 0; i < C; i++) {
        const c = rowsKept[i];
        if (w2) {
          const yhat = ybar[c] - e[i];
          u[i] = kappa * kappa * Math.max(0, w2[2][c] - 2 * yhat * w2[1][c] + yhat * yhat * w2[0][c]);
        } else u[i] = Math.max(0, swy2[c] - (swy[c] * swy[c]) / sw[c]) + n[c] * e[i] * e[i];
      }
      const cols = z.map((col) => Float64Array.from(col, (v, i) => Math.sqrt(u[i]) * v));
      return { meat: meatHC(cols), nClusters: [] };
    }
    const scores = z.map((col) => Float64Array.from(col, (v, i) => om[i] * e[i] * v));
    const cf = m.clusterFactors;
    const meat = cf.length === 1 ? meatCluster(scores, cf[0].codes, cf[0].nlevels) : meatMultiway(scores, cf);
    return { meat, nClusters: cf.map((c) => c.nlevels) };
  };
  return finishEstimate(mm, meatOf);
}

/** Codes of a factor over rows, levels numbered in sorted order of their values (numbers numerically). */
export function sortedCodes(rows: Record<string, unknown>[], cols: string[]): { codes: Int32Array; nlevels: number } {
  const keyOf = (r: Record<string, unknown>) => cols.map((c) => `${typeof r[c]}:${String(r[c])}`).join('|');
  const first = new Map<string, Record<string, unknown>>();
  for (const r of rows) {
    const k = keyOf(r);
    if (!first.has(k)) first.set(k, r);
  }
  const cmp = (a: unknown, b: unknown): number => {
    if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) return a < b ? -1 : a > b ? 1 : 0;
    const sa = String(a);
    const sb = String(b);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  };
  const order = [...first.entries()].sort(([, ra], [, rb]) => {
    for (const c of cols) {
      const d = cmp(ra[c], rb[c]);
      if (d) return d;
    }
    return 0;
  });
  const index = new Map(order.map(([k], i) => [k, i]));
  const codes = Int32Array.from(rows, (r) => index.get(keyOf(r))!);
  return { codes, nlevels: index.size };
}
