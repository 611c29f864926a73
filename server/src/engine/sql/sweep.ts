// The sweep route: one large FE ("A") swept out analytically and the others entered as dummy columns,
// all from GROUP BY sums. Within A, sum_i w u v minus sum_a (sum_{i in a} w u)(sum_{i in a} w v)/W_a is
// the cross product of the A-demeaned columns; the small FEs' dummies are partialled out of that moment
// matrix (Frisch-Waugh-Lovell with a Schur complement). Passes over the rows: one grouped by the small
// FEs (raw moments), one grouped by A (between moments), and one for the scores (residual and demeaned
// regressors per row, summed by cluster). Exact, not iterative: equal to the in-memory engine's numbers.
import { EstimationError, type EstimationCore } from '../types';
import type { FixedEffectInfo } from '../../results/types';
import { num } from './runner';
import { createTemp, literal, numLit } from './dialect';
import { dropSingletonRound, sumW, tempName, wmul, type BaseFactor, type BaseRelation } from './base';
import { feCounts, componentCount, type FactorFacts } from './structure';
import { finishEstimate, specFields, splitMoments, type FitForMeat, type MeatResult, type MomentModel } from './finish';
import type { SqlRegressionSpec } from './spec';
import { cholesky, cholSolve } from '../linalg';

/** One dummy column: level `values` (per part) of small FE `fe`. */
interface DummyLevel {
  fe: number;
  values: unknown[];
  W: number; // weighted rows
  n: number; // rows
}

const key = (v: unknown): string => `${typeof v}:${String(v)}`;
const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && a.every((c) => b.includes(c));
const subset = (a: string[], b: string[]): boolean => a.every((c) => b.includes(c));

/** Which FE is swept (-1: none, the constant) and which enter as dummy columns. */
export interface SweepPlan {
  big: number;
  small: number[];
}

/** The FE with the most levels (approximately) is swept; null when another one is too large for dummies. */
export function sweepPlan(b: BaseRelation, smallMax: number): SweepPlan | null {
  const Q = b.fes.length;
  if (Q === 0) return { big: -1, small: [] };
  let big = 0;
  for (let q = 1; q < Q; q++) if (b.approxFeLevels[q] > b.approxFeLevels[big]) big = q;
  const small = b.fes.map((_, q) => q).filter((q) => q !== big);
  // HyperLogLog can be ~15 % off: allow for it here; pass 1 counts the levels exactly
  if (small.some((q) => b.approxFeLevels[q] > smallMax * 1.5)) return null;
  return { big, small };
}

export interface SweepOutput {
  core: EstimationCore;
  /** what the wild bootstrap needs to revisit the fit (see wild.ts) */
  state: SweepState;
}

/** What a later pass over the same sample needs (the wild bootstrap's cluster sums, wild.ts). */
export interface SweepState {
  base: BaseRelation;
  A: BaseFactor | null;
  /** the within-A moments of u = [x..., y, dummies...] (nu x nu) and the split point nz = p + 1 */
  M: Float64Array;
  nu: number;
  nz: number;
  keptD: number[]; // dummy columns kept (indices from 0 over the dummies)
  /** SQL of column a of u on a row, before the sweep (centred x and y; 0/1 dummies) */
  column(a: number): string;
  /** A lies inside one level of the factor */
  aNestedIn(c: BaseFactor): boolean;
  N: number;
  constant: boolean;
  keep: number[]; // kept regressors
}

export async function sweepEstimate(b: BaseRelation, spec: SqlRegressionSpec, plan: SweepPlan, signal?: AbortSignal): Promise<SweepOutput> {
  const constant = spec.constant ?? b.fes.length === 0;
  for (;;) {
    const out = await attempt(b, spec, plan, constant, signal);
    if (out !== 'singletons') return out;
    await dropSingletonRound(b, signal);
  }
}

async function attempt(b: BaseRelation, spec: SqlRegressionSpec, plan: SweepPlan, constant: boolean, signal?: AbortSignal): Promise<SweepOutput | 'singletons'> {
  const run = (sql: string) => b.runner.all(sql, { signal });
  const p = b.p;
  const nz = p + 1; // z = [x..., y]
  const hasA = plan.big >= 0;
  const A = hasA ? b.fes[plan.big] : null;
  const centre = b.fes.length > 0 || constant;
  const cx = b.shiftX.map((c) => (centre ? c : 0));
  const cy = centre ? b.shiftY : 0;
  const v = (z: number): string => (z < p ? `(x${z} - ${numLit(cx[z])})` : `(y - ${numLit(cy)})`);
  const dropSingletons = spec.dropSingletons ?? true;

  // ---- pass 1: raw moments by combination of the small FEs (min/max of other factors for nesting tests)
  const smallCols = [...new Set(plan.small.flatMap((q) => b.fes[q].cols))];
  const probeCols = smallCols.length ? [...new Set([...(A ? A.cols : []), ...b.clusters.flatMap((c) => c.cols)])].filter((c) => !smallCols.includes(c)) : [];
  const s1: string[] = ['COUNT(*) AS n', `${sumW(b)} AS sw`];
  for (let a = 0; a < nz; a++) s1.push(`SUM(${wmul(b, v(a))}) AS s${a}`);
  for (let a = 0; a < nz; a++) for (let c = a; c < nz; c++) s1.push(`SUM(${wmul(b, `${v(a)} * ${v(c)}`)}) AS m${a}_${c}`);
  for (const c of probeCols) s1.push(`MIN(${c}) AS min_${c}`, `MAX(${c}) AS max_${c}`);
  const rows1 = await run(`SELECT ${[...smallCols, ...s1].join(', ')} FROM ${b.from} AS t${smallCols.length ? ` GROUP BY ${smallCols.join(', ')}` : ''}`);
  // dummy levels of each small FE, in sorted order of their keys
  const levels: DummyLevel[] = [];
  const levelIndex = new Map<string, number>(); // fe + key -> index into levels
  const comboLevels: number[][] = rows1.map(() => []);
  for (const q of plan.small) {
    const cols = b.fes[q].cols;
    const seen = new Map<string, { values: unknown[]; W: number; n: number; rows: number[] }>();
    rows1.forEach((r, i) => {
      const vals = cols.map((c) => r[c]);
      const k = vals.map(key).join('|');
      let e = seen.get(k);
      if (!e) seen.set(k, (e = { values: vals, W: 0, n: 0, rows: [] }));
      e.W += num(r.sw);
      e.n += num(r.n);
      e.rows.push(i);
    });
    for (const k of [...seen.keys()].sort()) {
      const e = seen.get(k)!;
      levelIndex.set(`${q}#${k}`, levels.length);
      for (const i of e.rows) comboLevels[i].push(levels.length);
      levels.push({ fe: q, values: e.values, W: e.W, n: e.n });
    }
    if (seen.size > (spec.smallFeMax ?? 60) * 2) throw new EstimationError(`fixed effect ${b.fes[q].name} has ${seen.size} levels: too many for the sweep route`);
  }
  if (dropSingletons && levels.some((l) => l.n === 1)) return 'singletons';
  const L = levels.length;
  const nu = nz + L; // u = [x..., y, D...]
  const R = new Float64Array(nu * nu);
  let N = 0;
  let W = 0;
  const S = new Float64Array(nz);
  rows1.forEach((r, i) => {
    N += num(r.n);
    const sw = num(r.sw);
    W += sw;
    const s = Array.from({ length: nz }, (_, a) => num(r[`s${a}`]));
    for (let a = 0; a < nz; a++) {
      S[a] += s[a];
      for (let c = a; c < nz; c++) R[a * nu + c] += num(r[`m${a}_${c}`]);
    }
    const ls = comboLevels[i];
    for (const k of ls) {
      for (let a = 0; a < nz; a++) R[a * nu + nz + k] += s[a];
      for (const l of ls) if (l >= k) R[(nz + k) * nu + nz + l] += sw;
    }
  });
  symmetrize(R, nu);
  b.N = N;

  // ---- pass 2: between moments over the levels of A
  const Bm = new Float64Array(nu * nu);
  let levelsA = 1;
  const spanSmall = new Map<number, number>(); // small FE -> A levels spanning more than one of its levels
  const clusterSpread: number[] = b.clusters.map(() => 0); // A levels spanning more than one cluster
  const levelCond = (l: DummyLevel) => `(${b.fes[l.fe].cols.map((c, i) => `${c} = ${literal(l.values[i])}`).join(' AND ')})`;
  if (A) {
    const inner: string[] = [...A.cols, 'COUNT(*) AS na', `${sumW(b)} AS wa`];
    for (let a = 0; a < nz; a++) inner.push(`SUM(${wmul(b, v(a))}) AS u${a}`);
    levels.forEach((l, k) => inner.push(`SUM(CASE WHEN ${levelCond(l)} THEN ${b.weighted ? 'w' : '1.0'} ELSE 0.0 END) AS u${nz + k}`));
    const clusterProbe = b.clusters.map((c) => c.cols.filter((x) => !A.cols.includes(x)));
    clusterProbe.forEach((cols, ci) => cols.forEach((c) => inner.push(`MIN(${c}) AS cmin${ci}_${c}`, `MAX(${c}) AS cmax${ci}_${c}`)));
    const outer: string[] = ['COUNT(*) AS la', 'SUM(CASE WHEN na = 1 THEN 1 ELSE 0 END) AS sing'];
    for (let a = 0; a < nu; a++) for (let c = a; c < nu; c++) outer.push(`SUM(u${a} * u${c} / wa) AS b${a}_${c}`);
    for (const q of plan.small) {
      const ks = levels.map((l, k) => (l.fe === q ? k : -1)).filter((k) => k >= 0);
      outer.push(`SUM(CASE WHEN (${ks.map((k) => `CASE WHEN u${nz + k} > 0 THEN 1 ELSE 0 END`).join(' + ')}) > 1 THEN 1 ELSE 0 END) AS span${q}`);
    }
    clusterProbe.forEach((cols, ci) => {
      outer.push(cols.length ? `SUM(CASE WHEN ${cols.map((c) => `cmin${ci}_${c} <> cmax${ci}_${c}`).join(' OR ')} THEN 1 ELSE 0 END) AS spread${ci}` : `0 AS spread${ci}`);
    });
    const [r2] = await run(`SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${b.from} AS t GROUP BY ${A.cols.join(', ')}) AS g`);
    if (dropSingletons && num(r2.sing) > 0) return 'singletons';
    levelsA = num(r2.la);
    for (let a = 0; a < nu; a++) for (let c = a; c < nu; c++) Bm[a * nu + c] = num(r2[`b${a}_${c}`]);
    for (const q of plan.small) spanSmall.set(q, num(r2[`span${q}`]));
    b.clusters.forEach((_, ci) => (clusterSpread[ci] = num(r2[`spread${ci}`])));
  } else if (constant) {
    for (let a = 0; a < nz; a++) for (let c = a; c < nz; c++) Bm[a * nu + c] = (S[a] * S[c]) / W;
  }
  symmetrize(Bm, nu);
  const M = new Float64Array(nu * nu);
  for (let i = 0; i < nu * nu; i++) M[i] = R[i] - Bm[i];

  // ---- factor facts (the in-memory engine's counting rules, see structure.ts)
  const fesLevels = b.fes.map((_, q) => (q === plan.big ? levelsA : levels.filter((l) => l.fe === q).length));
  for (let q = 0; q < b.fes.length; q++) {
    if (fesLevels[q] >= N) throw new EstimationError(`fixed effect ${b.fes[q].name} has as many levels (${fesLevels[q]}) as observations (${N})`);
  }
  // per small FE level: the set of values another factor's columns take (from the pass-1 min/max)
  const smallNestedInCols = (q: number, cols: string[]): boolean => {
    const owner = new Map<string, string>();
    for (let i = 0; i < rows1.length; i++) {
      const r = rows1[i];
      const lk = b.fes[q].cols.map((c) => key(r[c])).join('|');
      const parts: string[] = [];
      for (const c of cols) {
        if (b.fes[q].cols.includes(c) || smallCols.includes(c)) parts.push(key(r[c]));
        else {
          if (key(r[`min_${c}`]) !== key(r[`max_${c}`])) return false;
          parts.push(key(r[`min_${c}`]));
        }
      }
      const o = owner.get(lk);
      const pk = parts.join('|');
      if (o === undefined) owner.set(lk, pk);
      else if (o !== pk) return false;
    }
    return true;
  };
  const nestedIn = (i: number, j: number): boolean => {
    const ci = b.fes[i].cols;
    const cj = b.fes[j].cols;
    if (subset(cj, ci)) return true;
    if (i === plan.big) return spanSmall.get(j) === 0;
    return smallNestedInCols(i, cj);
  };
  const nestedInCluster = b.fes.map((f, q) =>
    b.clusters.some((c, ci) => subset(c.cols, f.cols) || (q === plan.big ? clusterSpread[ci] === 0 : smallNestedInCols(q, c.cols))),
  );
  const components = (i: number, j: number): number => {
    if (i !== plan.big && j !== plan.big) {
      const li = levels.map((l, k) => (l.fe === i ? k : -1)).filter((k) => k >= 0);
      const lj = levels.map((l, k) => (l.fe === j ? k : -1)).filter((k) => k >= 0);
      const edges: [number, number][] = [];
      comboLevels.forEach((ls) => {
        const a = ls.find((k) => li.includes(k));
        const c = ls.find((k) => lj.includes(k));
        if (a !== undefined && c !== undefined) edges.push([a, c]);
      });
      return componentCount(L, edges) - (L - li.length - lj.length);
    }
    const other = i === plan.big ? j : i;
    const ks = levels.map((l, k) => (l.fe === other ? k : -1)).filter((k) => k >= 0);
    const edges: [number, number][] = [];
    for (const k of ks) for (const l of ks) if (l > k && Bm[(nz + k) * nu + nz + l] > 0) edges.push([ks.indexOf(k), ks.indexOf(l)]);
    return componentCount(ks.length, edges);
  };
  const facts: FactorFacts = { levels: fesLevels, nestedIn, components, nestedInCluster };
  const counts = feCounts(facts, constant);

  // ---- partial the dummies out of the within-A moments
  const keptD = independentColumns(M, nu, nz, levels.map((l) => l.W));
  const kd = keptD.length;
  const Mdd = new Float64Array(kd * kd);
  for (let a = 0; a < kd; a++) for (let c = 0; c < kd; c++) Mdd[a * kd + c] = M[(nz + keptD[a]) * nu + nz + keptD[c]];
  const sc = new Float64Array(kd);
  for (let a = 0; a < kd; a++) sc[a] = 1 / Math.sqrt(Mdd[a * kd + a]);
  for (let a = 0; a < kd; a++) for (let c = 0; c < kd; c++) Mdd[a * kd + c] *= sc[a] * sc[c];
  if (kd > 0 && !cholesky(Mdd, kd)) throw new EstimationError('the fixed-effect dummies are singular after the sweep');
  // Pi (kd x nz): coefficients of each z on the kept dummies
  const Pi = new Float64Array(kd * nz);
  for (let z = 0; z < nz; z++) {
    const rhs = new Float64Array(kd);
    for (let a = 0; a < kd; a++) rhs[a] = M[z * nu + nz + keptD[a]] * sc[a];
    const sol = kd ? cholSolve(Mdd, kd, rhs) : rhs;
    for (let a = 0; a < kd; a++) Pi[a * nz + z] = sol[a] * sc[a];
  }
  const Mz = new Float64Array(nz * nz);
  for (let a = 0; a < nz; a++)
    for (let c = 0; c < nz; c++) {
      let s = M[a * nu + c];
      for (let d = 0; d < kd; d++) s -= M[a * nu + nz + keptD[d]] * Pi[d * nz + c];
      Mz[a * nz + c] = s;
    }

  // weights on the in-memory scale (summing to N)
  const kappa = b.weighted ? N / W : 1;
  const { xtx, xty, yty } = splitMoments(p, (a, c) => kappa * Mz[a * nz + c]);
  const absorbsConstant = b.fes.length > 0 || constant;
  const tss = kappa * (absorbsConstant ? R[p * nu + p] - (S[p] * S[p]) / W : R[p * nu + p]);
  if (!(tss > 0)) throw new EstimationError(`the dependent variable ${spec.depvar} is constant in the estimation sample`);
  const refSS = new Float64Array(p);
  for (let j = 0; j < p; j++) refSS[j] = Math.max(0, kappa * (absorbsConstant ? R[j * nu + j] - (S[j] * S[j]) / W : R[j * nu + j]));
  const xbar = Float64Array.from(cx.map((c, j) => c + S[j] / W));
  const fixedEffects: FixedEffectInfo[] = b.fes.map((f, q) => ({ name: f.name, levels: fesLevels[q], nested: nestedInCluster[q] }));
  const mm: MomentModel = {
    ...specFields(spec, b),
    ...{ N, sumWGiven: b.weighted ? W : undefined, xtx, xty, yty, tss, tssWithin: b.fes.length ? yty : null, refSS, xbar, yMean: cy + S[p] / W },
    ...{ constant, absorbsConstant, hasFE: b.fes.length > 0, fixedEffects, kFeFull: counts.kFeFull, kFeCluster: counts.kFeCluster },
    ...{ singletonsRemoved: b.singletonsRemoved, iterations: 1, converged: true, warnings: [] },
  };
  const column = (a: number): string => (a < nz ? v(a) : `CASE WHEN ${levelCond(levels[a - nz])} THEN 1.0 ELSE 0.0 END`);
  const aNestedIn = (c: BaseFactor): boolean => {
    if (!A) return false;
    if (subset(c.cols, A.cols)) return true;
    const ci = b.clusters.findIndex((x) => sameSet(x.cols, c.cols));
    return ci >= 0 && clusterSpread[ci] === 0;
  };
  const state: SweepState = { base: b, A, M, nu, nz, keptD, column, aNestedIn, N, constant, keep: [] };
  // the per-row residual before sweeping A, r = y - Xb - D delta, and regressors q_j = x_j - D pi_j
  const dummyTerm = (coef: (d: number) => number): string => {
    const parts: string[] = [];
    for (const q of plan.small) {
      const whens: string[] = [];
      keptD.forEach((k, d) => {
        if (levels[k].fe !== q) return;
        const c = coef(d);
        if (c !== 0) whens.push(`WHEN ${levelCond(levels[k])} THEN ${numLit(c)}`);
      });
      if (whens.length) parts.push(`CASE ${whens.join(' ')} ELSE 0.0 END`);
    }
    return parts.length ? ` - (${parts.join(' + ')})` : '';
  };
  const meatOf = async (fit: FitForMeat): Promise<MeatResult | null> => {
    const { beta, keep } = fit;
    const rTerms = [v(p)];
    for (const j of keep) if (beta[j] !== 0) rTerms.push(`${numLit(beta[j])} * ${v(j)}`);
    const r = `(${rTerms.join(' - ')}${dummyTerm((d) => {
      let s = Pi[d * nz + p];
      for (const j of keep) s -= Pi[d * nz + j] * beta[j];
      return s;
    })})`;
    const qs = keep.map((j) => `(${v(j)}${dummyTerm((d) => Pi[d * nz + j])})`);
    state.keep = keep;
    if (spec.vce.type === 'iid') return null;
    // the A-level (or global) means of r and q: literals without A
    let rbar = 0;
    const qbar = keep.map(() => 0);
    if (!A && constant) {
      rbar = S[p] / W;
      keep.forEach((j, a) => {
        rbar -= (beta[j] * S[j]) / W;
        qbar[a] = S[j] / W;
      });
    }
    const k = keep.length;
    const ones = constant;
    const kz = k + (ones ? 1 : 0);
    const meat = new Float64Array(kz * kz);
    const nClusters: number[] = [];
    const addMeat = (row: Record<string, unknown>, sign: number, scale: number) => {
      for (let a = 0; a < kz; a++) for (let c = a; c < kz; c++) {
        const x = sign * scale * num(row[`p${a}_${c}`]);
        meat[a * kz + c] += x;
        if (c !== a) meat[c * kz + a] += x;
      }
    };
    const k2 = kappa * kappa;
    const productSums = (col: (a: number) => string) => {
      const out: string[] = [];
      for (let a = 0; a < kz; a++) for (let c = a; c < kz; c++) out.push(`SUM(${col(a)} * ${col(c)}) AS p${a}_${c}`);
      return out;
    };
    if (A && spec.vce.type === 'cluster' && b.clusters.every((_, ci) => nestedAInCluster(A, b.clusters[ci], clusterSpread[ci]))) {
      // every cluster contains whole A levels: per A level, sum w (r - rbar_a)(q - qbar_a) = S_rq - S_r S_q / W_a
      const extra = [...new Set(b.clusters.flatMap((c) => c.cols))].filter((c) => !A.cols.includes(c));
      const sel = [...A.cols, ...extra, `${sumW(b)} AS wa`, `SUM(${wmul(b, r)}) AS sr`];
      qs.forEach((q, a) => sel.push(`SUM(${wmul(b, q)}) AS sq${a}`, `SUM(${wmul(b, `${r} * ${q}`)}) AS srq${a}`));
      let aLevel = `(SELECT ${sel.join(', ')} FROM ${b.from} AS t GROUP BY ${[...A.cols, ...extra].join(', ')})`;
      const terms = clusterTerms(b.clusters);
      if (terms.length > 1) {
        const tn = tempName();
        await run(createTemp(tn, `SELECT * FROM ${aLevel} AS s`));
        b.temps.push(tn);
        aLevel = tn;
      }
      const scoreA = (a: number) => `(srq${a} - sr * sq${a} / wa)`;
      for (const term of terms) {
        let row: Record<string, unknown>;
        if (sameSet(term.cols, A.cols)) {
          [row] = await run(`SELECT COUNT(*) AS g, ${productSums(scoreA).join(', ')} FROM ${aLevel} AS s`);
        } else {
          const sums = qs.map((_, a) => `SUM(${scoreA(a)}) AS t${a}`);
          [row] = await run(`SELECT COUNT(*) AS g, ${productSums((a) => `t${a}`).join(', ')} FROM (SELECT ${sums.join(', ')} FROM ${aLevel} AS s GROUP BY ${term.cols.join(', ')}) AS c`);
        }
        addMeat(row, term.sign, k2);
        if (term.single) nClusters.push(num(row.g));
      }
      return { meat, nClusters };
    }
    // per row: e = r - mean of r in the row's A level, x~ = q - its mean
    let from = `${b.from} AS t`;
    let e = `(${r} - ${numLit(rbar)})`;
    let xt = qs.map((q, a) => `(${q} - ${numLit(qbar[a])})`);
    if (A) {
      const sel = [...A.cols, `SUM(${wmul(b, r)}) / ${sumW(b)} AS mr`, ...qs.map((q, a) => `SUM(${wmul(b, q)}) / ${sumW(b)} AS mq${a}`)];
      from = `${b.from} AS t JOIN (SELECT ${sel.join(', ')} FROM ${b.from} AS t0 GROUP BY ${A.cols.join(', ')}) AS am USING (${A.cols.join(', ')})`;
      e = `(${r} - mr)`;
      xt = qs.map((q, a) => `(${q} - mq${a})`);
    }
    const zcol = (a: number) => (a < k ? xt[a] : '1.0');
    if (spec.vce.type === 'robust') {
      const ww = b.weighted ? 'w * w * ' : '';
      const out: string[] = [];
      for (let a = 0; a < kz; a++) for (let c = a; c < kz; c++) out.push(`SUM(${ww}${e} * ${e} * ${zcol(a)} * ${zcol(c)}) AS p${a}_${c}`);
      const [row] = await run(`SELECT ${out.join(', ')} FROM ${from}`);
      addMeat(row, 1, k2);
      return { meat, nClusters: [] };
    }
    for (const term of clusterTerms(b.clusters)) {
      const sums = Array.from({ length: kz }, (_, a) => `SUM(${wmul(b, `${e} * ${zcol(a)}`)}) AS t${a}`);
      const [row] = await run(`SELECT COUNT(*) AS g, ${productSums((a) => `t${a}`).join(', ')} FROM (SELECT ${sums.join(', ')} FROM ${from} GROUP BY ${term.cols.join(', ')}) AS c`);
      addMeat(row, term.sign, k2);
      if (term.single) nClusters.push(num(row.g));
    }
    return { meat, nClusters };
  };
  const core = await finishEstimate(mm, meatOf);
  for (const [q, g] of core.n_clusters.entries()) {
    if (g < 2) throw new EstimationError(`cluster variable ${b.clusters[q].name} has a single level in the estimation sample`);
  }
  return { core, state };
}

function nestedAInCluster(A: BaseFactor, c: BaseFactor, spread: number): boolean {
  return subset(c.cols, A.cols) || spread === 0;
}

/** The Cameron-Gelbach-Miller terms: every non-empty subset of the cluster variables, as the union of their columns. */
export function clusterTerms(clusters: BaseFactor[]): { cols: string[]; sign: number; single: boolean }[] {
  const out: { cols: string[]; sign: number; single: boolean }[] = [];
  const Q = clusters.length;
  for (let mask = 1; mask < 1 << Q; mask++) {
    const cols = new Set<string>();
    let bits = 0;
    for (let q = 0; q < Q; q++) if (mask & (1 << q)) { bits++; clusters[q].cols.forEach((c) => cols.add(c)); }
    out.push({ cols: [...cols], sign: bits % 2 ? 1 : -1, single: bits === 1 });
  }
  // the single-variable terms first, in the order written (their counts are the reported n_clusters)
  return out.sort((a, b) => Number(b.single) - Number(a.single));
}

function symmetrize(m: Float64Array, n: number): void {
  for (let a = 0; a < n; a++) for (let c = 0; c < a; c++) m[a * n + c] = m[c * n + a];
}

/**
 * The dummy columns (u indices nz..nz+L-1) that are linearly independent after the sweep: in order, a
 * column is dropped when its residual sum of squares on the kept ones is a tiny share of its own (the
 * redundant level of each extra FE, and levels inside a single A level).
 */
function independentColumns(M: Float64Array, nu: number, nz: number, rawSS: number[]): number[] {
  const keep: number[] = [];
  const Lrows: number[][] = [];
  for (let k = 0; k < rawSS.length; k++) {
    const dk = M[(nz + k) * nu + nz + k];
    // a level (almost) constant within the A levels it occurs in has nothing left after the sweep
    if (!(dk > 1e-10 * rawSS[k])) continue;
    const sk = 1 / Math.sqrt(dk);
    const row: number[] = [];
    let d = 1;
    for (let a = 0; a < keep.length; a++) {
      const i = keep[a];
      let s = (M[(nz + k) * nu + nz + i] * sk) / Math.sqrt(M[(nz + i) * nu + nz + i]);
      for (let m = 0; m < a; m++) s -= row[m] * Lrows[a][m];
      const x = s / Lrows[a][a];
      row.push(x);
      d -= x * x;
    }
    if (d <= 1e-9) continue;
    row.push(Math.sqrt(d));
    Lrows.push(row);
    keep.push(k);
  }
  return keep;
}
