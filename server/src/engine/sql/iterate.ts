// The iterative sweep route, for models with more than one large FE (worker and firm, ...): alternating
// projections as SQL, each step subtracting the weighted group means of every column over one FE (window
// sums), accelerated by Irons and Tuck's extrapolation (as fixest) from two full cycles computed in the same
// statement, until the change is below the in-memory engine's tolerance (engine/defaults.ts) squared in
// relative sum of squares. Then X~'WX~, X~'Wy~ and the scores in aggregate passes over the demeaned table.
import { EstimationError, type EstimationCore } from '../types';
import type { FixedEffectInfo } from '../../results/types';
import { DEMEAN_TOLERANCE } from '../defaults';
import { num } from './runner';
import { createTemp, numLit } from './dialect';
import { dropSingletonRound, sumW, tempName, type BaseFactor, type BaseRelation } from './base';
import { feCounts, componentCount, type FactorFacts } from './structure';
import { finishEstimate, specFields, splitMoments, type FitForMeat, type MeatResult, type MomentModel } from './finish';
import { clusterTerms } from './sweep';
import type { SqlRegressionSpec } from './spec';

/** Accelerated iterations (each two full cycles over the FEs) before giving up. */
export const SQL_MAX_ITERATIONS = 500;
/** Distinct pairs of the first two FEs read back for their connected components. */
const MAX_PAIRS = 5_000_000;

export async function iterateEstimate(b: BaseRelation, spec: SqlRegressionSpec, signal?: AbortSignal): Promise<EstimationCore> {
  const run = (sql: string) => b.runner.all(sql, { signal });
  const p = b.p;
  const nz = p + 1;
  const constant = spec.constant ?? b.fes.length === 0;
  if (b.fes.length < 2) throw new EstimationError('the iterative route is for two or more fixed effects');
  const Q = b.fes.length;
  // singletons, iteratively
  if (spec.dropSingletons ?? true) {
    for (;;) {
      const counts = await Promise.all(b.fes.map((f) => run(`SELECT COUNT(*) AS s FROM (SELECT ${f.cols.join(', ')} FROM ${b.from} AS t GROUP BY ${f.cols.join(', ')} HAVING COUNT(*) = 1) AS s`)));
      if (counts.every(([r]) => num(r.s) === 0)) break;
      await dropSingletonRound(b, signal);
    }
  }
  const wcol = b.weighted ? 'w' : '1.0';
  const cx = b.shiftX;
  const cy = b.shiftY;
  const v = (z: number): string => (z < p ? `(x${z} - ${numLit(cx[z])})` : `(y - ${numLit(cy)})`);
  const gcols = [...new Set([...b.fes, ...b.clusters].flatMap((f) => f.cols))];
  // raw moments (tss, refSS, means)
  const mom: string[] = ['COUNT(*) AS n', `${sumW(b)} AS sw`];
  for (let a = 0; a < nz; a++) mom.push(`SUM(${wcol} * ${v(a)}) AS s${a}`, `SUM(${wcol} * ${v(a)} * ${v(a)}) AS m${a}`);
  const [raw] = await run(`SELECT ${mom.join(', ')} FROM ${b.from} AS t`);
  const N = num(raw.n);
  const W = num(raw.sw);
  const S = Array.from({ length: nz }, (_, a) => num(raw[`s${a}`]));
  const SS = Array.from({ length: nz }, (_, a) => num(raw[`m${a}`]));
  const ss0 = SS.map((m, a) => Math.max(0, m - (S[a] * S[a]) / W));

  // facts about the factors
  const levels: number[] = [];
  for (const f of b.fes) {
    const [r] = await run(`SELECT COUNT(*) AS l FROM (SELECT DISTINCT ${f.cols.join(', ')} FROM ${b.from} AS t) AS d`);
    levels.push(num(r.l));
  }
  levels.forEach((l, q) => {
    if (l >= N) throw new EstimationError(`fixed effect ${b.fes[q].name} has as many levels (${l}) as observations (${N})`);
  });
  const nestedSql = async (inner: BaseFactor, outer: BaseFactor): Promise<boolean> => {
    if (outer.cols.every((c) => inner.cols.includes(c))) return true;
    const spread = outer.cols.filter((c) => !inner.cols.includes(c)).map((c) => `MIN(${c}) <> MAX(${c})`).join(' OR ');
    const [r] = await run(`SELECT COUNT(*) AS s FROM (SELECT ${inner.cols.join(', ')} FROM ${b.from} AS t GROUP BY ${inner.cols.join(', ')} HAVING ${spread}) AS s`);
    return num(r.s) === 0;
  };
  const nested: boolean[][] = [];
  for (let i = 0; i < Q; i++) {
    nested.push([]);
    for (let j = 0; j < Q; j++) nested[i].push(i === j ? true : await nestedSql(b.fes[i], b.fes[j]));
  }
  const nestedInCluster: boolean[] = [];
  for (const f of b.fes) {
    let any = false;
    for (const c of b.clusters) if (!any && (await nestedSql(f, c))) any = true;
    nestedInCluster.push(any);
  }
  const comps = new Map<string, number>();
  for (let i = 0; i < Q; i++)
    for (let j = i + 1; j < Q; j++) {
      const fi = b.fes[i];
      const fj = b.fes[j];
      const [cnt] = await run(`SELECT COUNT(*) AS n FROM (SELECT DISTINCT ${[...fi.cols, ...fj.cols].join(', ')} FROM ${b.from} AS t) AS d`);
      if (num(cnt.n) > MAX_PAIRS) throw new EstimationError(`fixed effects ${fi.name} and ${fj.name} have ${num(cnt.n)} distinct pairs: too many to count their connected components`);
      const ki = fi.cols.map((c, k) => `${c} AS a${k}`);
      const kj = fj.cols.map((c, k) => `${c} AS b${k}`);
      const pairs = await run(`SELECT DISTINCT ${[...ki, ...kj].join(', ')} FROM ${b.from} AS t`);
      const ia = new Map<string, number>();
      const ib = new Map<string, number>();
      const key = (r: Record<string, unknown>, pre: string, n: number) => Array.from({ length: n }, (_, k) => `${typeof r[`${pre}${k}`]}:${String(r[`${pre}${k}`])}`).join('|');
      const edges: [number, number][] = pairs.map((r) => {
        const ka = key(r, 'a', fi.cols.length);
        const kb = key(r, 'b', fj.cols.length);
        if (!ia.has(ka)) ia.set(ka, ia.size);
        if (!ib.has(kb)) ib.set(kb, ib.size);
        return [ia.get(ka)!, 0];
      });
      pairs.forEach((r, e) => (edges[e][1] = ia.size + ib.get(key(r, 'b', fj.cols.length))!));
      comps.set(`${i},${j}`, componentCount(ia.size + ib.size, edges));
    }
  const facts: FactorFacts = {
    levels,
    nestedIn: (i, j) => nested[i][j],
    components: (i, j) => comps.get(`${Math.min(i, j)},${Math.max(i, j)}`)!,
    nestedInCluster,
  };
  const counts = feCounts(facts, constant);

  // the demeaning: table with the FE and cluster columns, the weight and the working columns c0..cp
  const keepCols = [...gcols, ...(b.weighted ? ['w'] : [])];
  let table = tempName();
  await run(createTemp(table, `SELECT ${[...keepCols, ...Array.from({ length: nz }, (_, a) => `${v(a)} AS c${a}`)].join(', ')} FROM ${b.from} AS t`));
  b.temps.push(table);
  const cols = Array.from({ length: nz }, (_, a) => `c${a}`);
  const sweep = (src: string, prefix: string, from: string[], to: string[], carry: string[]): string => {
    // Q nested sweeps: subtract the weighted group means over FE q from every column
    let q0 = src;
    let cur = from;
    for (let q = 0; q < Q; q++) {
      const part = b.fes[q].cols.join(', ');
      const next = q === Q - 1 ? to : cur.map((_, a) => `${prefix}${q}_${a}`);
      const exprs = cur.map((c, a) => `${c} - SUM(${wcol} * ${c}) OVER (PARTITION BY ${part}) / SUM(${wcol}) OVER (PARTITION BY ${part}) AS ${next[a]}`);
      q0 = `(SELECT ${[...keepCols, ...carry, ...exprs].join(', ')} FROM ${q0} AS s${prefix}${q})`;
      cur = next;
    }
    return q0;
  };
  const tolSS = DEMEAN_TOLERANCE * DEMEAN_TOLERANCE;
  let iterations = 0;
  let converged = false;
  while (iterations < SQL_MAX_ITERATIONS) {
    iterations++;
    // X -> GX -> GGX, then Irons-Tuck: X' = GGX - <dGX, d2X>/<d2X, d2X> dGX with dGX = GGX - GX, d2X = dGX - GX + X
    const g1 = cols.map((_, a) => `g1_${a}`);
    const g2 = cols.map((_, a) => `g2_${a}`);
    const first = sweep(table, 'p', cols, g1, cols);
    const second = sweep(first, 'q', g1, g2, [...cols, ...g1]);
    const it = cols.map((c, a) => {
      const dG = `(g2_${a} - g1_${a})`;
      const d2 = `(g2_${a} - 2 * g1_${a} + ${c})`;
      return { num: `SUM(${wcol} * ${dG} * ${d2}) OVER ()`, den: `SUM(${wcol} * ${d2} * ${d2}) OVER ()`, dG, d2 };
    });
    const out = cols.map((c, a) => `CASE WHEN ${it[a].den} > 0 THEN g2_${a} - ${it[a].num} / ${it[a].den} * ${it[a].dG} ELSE g2_${a} END AS ${c}`);
    const diff = cols.map((c, a) => `g2_${a} - ${c} AS d${a}`);
    const nt = tempName();
    await run(createTemp(nt, `SELECT ${[...keepCols, ...out, ...diff].join(', ')} FROM ${second} AS z`));
    await run(`DROP TABLE ${table}`);
    b.temps.splice(b.temps.indexOf(table), 1, nt);
    table = nt;
    // the change of two plain cycles, relative to the column's centred sum of squares
    const [ch] = await run(`SELECT ${cols.map((_, a) => `SUM(${wcol} * d${a} * d${a}) AS e${a}`).join(', ')} FROM ${table}`);
    if (cols.every((_, a) => num(ch[`e${a}`]) <= tolSS * Math.max(ss0[a], 1e-300))) {
      converged = true;
      break;
    }
  }
  const warnings: string[] = [];
  if (!converged) warnings.push(`the fixed-effect sweeps did not converge in ${SQL_MAX_ITERATIONS} accelerated iterations; results may be inaccurate`);
  // one plain cycle after the extrapolation, so that the columns are projections to rounding
  const fin = tempName();
  await run(createTemp(fin, `SELECT * FROM ${sweep(table, 'f', cols, cols, [])} AS z`));
  b.temps.push(fin);
  const prod: string[] = [];
  for (let a = 0; a < nz; a++) for (let c = a; c < nz; c++) prod.push(`SUM(${wcol} * c${a} * c${c}) AS m${a}_${c}`);
  const [mm0] = await run(`SELECT ${prod.join(', ')} FROM ${fin}`);
  const kappa = b.weighted ? N / W : 1;
  const { xtx, xty, yty } = splitMoments(p, (a, c) => kappa * num(mm0[`m${Math.min(a, c)}_${Math.max(a, c)}`]));
  const tss = kappa * ss0[p];
  if (!(tss > 0)) throw new EstimationError(`the dependent variable ${spec.depvar} is constant in the estimation sample`);
  const fixedEffects: FixedEffectInfo[] = b.fes.map((f, q) => ({ name: f.name, levels: levels[q], nested: nestedInCluster[q] }));
  const model: MomentModel = {
    ...specFields(spec, b),
    ...{ N, sumWGiven: b.weighted ? W : undefined, xtx, xty, yty, tss, tssWithin: yty },
    refSS: Float64Array.from({ length: p }, (_, j) => kappa * ss0[j]),
    xbar: Float64Array.from({ length: p }, (_, j) => cx[j] + S[j] / W),
    ...{ yMean: cy + S[p] / W, constant, absorbsConstant: true, hasFE: true, fixedEffects, kFeFull: counts.kFeFull, kFeCluster: counts.kFeCluster },
    ...{ singletonsRemoved: b.singletonsRemoved, iterations, converged, warnings },
  };

  const meatOf = async (fit: FitForMeat): Promise<MeatResult | null> => {
    if (spec.vce.type === 'iid') return null;
    const { beta, keep } = fit;
    const e = `(c${p}${keep.map((j) => ` - ${numLit(beta[j])} * c${j}`).join('')})`;
    const k = keep.length;
    const meat = new Float64Array(k * k);
    const add = (row: Record<string, unknown>, sign: number) => {
      for (let a = 0; a < k; a++) for (let c = a; c < k; c++) {
        const x = sign * kappa * kappa * num(row[`p${a}_${c}`]);
        meat[a * k + c] += x;
        if (a !== c) meat[c * k + a] += x;
      }
    };
    const pairs = (f: (a: number) => string) => {
      const out: string[] = [];
      for (let a = 0; a < k; a++) for (let c = a; c < k; c++) out.push(`SUM(${f(a)} * ${f(c)}) AS p${a}_${c}`);
      return out;
    };
    if (spec.vce.type === 'robust') {
      const [row] = await run(`SELECT ${pairs((a) => `${wcol} * ${e} * c${keep[a]}`).join(', ')} FROM ${fin}`);
      add(row, 1);
      return { meat, nClusters: [] };
    }
    const nClusters: number[] = [];
    for (const term of clusterTerms(b.clusters)) {
      const sums = keep.map((j, a) => `SUM(${wcol} * ${e} * c${j}) AS t${a}`);
      const [row] = await run(`SELECT COUNT(*) AS g, ${pairs((a) => `t${a}`).join(', ')} FROM (SELECT ${sums.join(', ')} FROM ${fin} GROUP BY ${term.cols.join(', ')}) AS c`);
      add(row, term.sign);
      if (term.single) nClusters.push(num(row.g));
    }
    return { meat, nClusters };
  };
  const core = await finishEstimate(model, meatOf);
  for (const [q, g] of core.n_clusters.entries()) {
    if (g < 2) throw new EstimationError(`cluster variable ${b.clusters[q].name} has a single level in the estimation sample`);
  }
  return core;
}
