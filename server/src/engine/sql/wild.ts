// The wild cluster bootstrap's cluster-level sums (inference/wildBootstrap.ts: saa, sab and the G x G
// projection terms ca, cb) for a model on SQL-backed data, so that boottest runs after estimateSql:
//  - compressed models: the in-memory wildClusterSums on the cells (the tested regressor, the other
//    regressors and the FEs are constant within a cell and every sum is linear in y, so the cells give
//    the rows' sums exactly), with the row count as n;
//  - swept models: with the large FE A nested in the bootstrap clusters its projection term is zero, and
//    the small FEs' dummies join the other regressors: a = M x_j and b = M y partial [X2, D] out of the
//    A-demeaned moments; one pass sums w a^2, w a b, w a z2 and w b z2 per A level (within-A products),
//    then per cluster; the projection terms C[g,h] = R_g' H^-1 R_h go to the bootstrap in their rank-k2
//    form (left = R_a, right = H^-1 R), never as a G x G matrix.
// Cluster g is numbered in sorted order of the cluster values (the in-memory engine numbers clusters
// by first appearance in the data, the same order for data sorted by cluster): the bootstrap draws
// follow that numbering, the enumerated (all sign vectors) results do not depend on it.
import { EstimationError } from '../types';
import { cholesky, cholInverse } from '../linalg';
import { wildClusterSums } from '../inference/wildProblem';
import type { WildClusterSums } from '../inference/wildBootstrap';
import type { SqlRunner } from './runner';
import { num } from './runner';
import type { SqlRegressionSpec } from './spec';
import { buildBase, dropTemps, sumW, wmul } from './base';
import { sweepEstimate, type SweepState } from './sweep';
import { compressCells } from './compress';
import { checkSpec, chooseRoute, withOptions, type SqlEstimateOptions } from './estimateSql';
import { countDistinct, numLit } from './dialect';
import { sortedCodes } from './compress';

/** Bootstrap clusters read back from the database at most (each draw costs O(G k)). */
export const WILD_MAX_CLUSTERS = 1_000_000;

/**
 * @param term the tested regressor
 * @param cluster the bootstrap cluster variable (default: the model's one cluster variable)
 */
export async function wildClusterSumsSql(runner: SqlRunner, relation: string, spec: SqlRegressionSpec, term: string, cluster?: string, opts: SqlEstimateOptions = {}): Promise<WildClusterSums> {
  const signal = opts.signal;
  const given = spec.vce.type === 'cluster' ? (spec.vce.clusters ?? []) : [];
  const boot = cluster ?? (given.length === 1 ? given[0] : null);
  if (!boot) throw new EstimationError(given.length ? `the model is clustered by ${given.join(' and ')}: choose the bootstrap clusters with cluster(VAR)` : 'the model is not clustered: give the bootstrap clusters with cluster(VAR)');
  const j0 = spec.regressors.indexOf(term);
  if (j0 < 0) throw new EstimationError(`${term} is not a regressor of the model`);
  const s2: SqlRegressionSpec = { ...spec, vce: { type: 'cluster', clusters: [boot] } };
  checkSpec(s2);
  const base = await buildBase(withOptions(runner, opts), relation, s2, signal);
  try {
    const choice = chooseRoute(base, s2);
    if (choice.route === 'compress') {
      const cells = await compressCells(base, s2, signal);
      const m = cells.m;
      const cf = m.clusterFactors[0];
      if (cf.nlevels > WILD_MAX_CLUSTERS) throw tooMany(cf.nlevels);
      const sums = wildClusterSums(m, term, { clusters: [cf] });
      return { ...sums, n: cells.N };
    }
    if (choice.route !== 'sweep') throw new EstimationError('boottest on SQL-backed data needs a model that compresses or at most one large fixed effect');
    const { state } = await sweepEstimate(base, s2, choice.plan, signal);
    return await sweepWildSums(state, j0, signal);
  } finally {
    await dropTemps(base);
  }
}

function tooMany(G: number): EstimationError {
  return new EstimationError(`the wild cluster bootstrap reads its cluster sums into memory: ${G} clusters are more than ${WILD_MAX_CLUSTERS}`);
}

async function sweepWildSums(st: SweepState, j0: number, signal?: AbortSignal): Promise<WildClusterSums> {
  const b = st.base;
  const cl = b.clusters[0];
  if (!st.keep.includes(j0)) throw new EstimationError('the tested regressor was omitted from the model (collinear): nothing to test');
  if (!st.A || !st.aNestedIn(cl)) {
    throw new EstimationError('boottest on SQL-backed data needs the largest fixed effect nested in the bootstrap clusters (or a model that compresses)');
  }
  const A = st.A;
  const { M, nu, nz } = st;
  // Z2 = the other kept regressors and the kept dummies
  const z2 = [...st.keep.filter((j) => j !== j0), ...st.keptD.map((d) => nz + d)];
  const k2 = z2.length;
  const H = new Float64Array(k2 * k2);
  for (let a = 0; a < k2; a++) for (let c = 0; c < k2; c++) H[a * k2 + c] = M[z2[a] * nu + z2[c]];
  const sc = Float64Array.from({ length: k2 }, (_, a) => 1 / Math.sqrt(H[a * k2 + a]));
  const Hs = H.map((v, i) => v * sc[Math.floor(i / k2)] * sc[i % k2]);
  if (k2 > 0 && !cholesky(Hs, k2)) throw new EstimationError('the other regressors are collinear');
  const hInvS = k2 > 0 ? cholInverse(Hs, k2) : new Float64Array(0);
  const hInv = hInvS.map((v, i) => v * sc[Math.floor(i / k2)] * sc[i % k2]);
  const coefOn = (target: number) => {
    const g = new Float64Array(k2);
    for (let a = 0; a < k2; a++) for (let c = 0; c < k2; c++) g[a] += hInv[a * k2 + c] * M[z2[c] * nu + target];
    return g;
  };
  const ga = coefOn(j0);
  const gb = coefOn(nz - 1);
  const lin = (target: number, g: Float64Array) => `(${[st.column(target), ...z2.map((c, a) => (g[a] !== 0 ? `${numLit(g[a])} * ${st.column(c)}` : '')).filter((t) => t)].join(' - ')})`;
  const aE = lin(j0, ga);
  const bE = lin(nz - 1, gb);
  const zE = z2.map((c) => st.column(c));
  const extra = cl.cols.filter((c) => !A.cols.includes(c));
  const sel = [...A.cols, ...extra, `${sumW(b)} AS wa`, `SUM(${wmul(b, aE)}) AS sa`, `SUM(${wmul(b, bE)}) AS sb`, `SUM(${wmul(b, `${aE} * ${aE}`)}) AS saa`, `SUM(${wmul(b, `${aE} * ${bE}`)}) AS sab`];
  zE.forEach((z, m) => sel.push(`SUM(${wmul(b, z)}) AS sz${m}`, `SUM(${wmul(b, `${aE} * ${z}`)}) AS saz${m}`, `SUM(${wmul(b, `${bE} * ${z}`)}) AS sbz${m}`));
  const per = [`SUM(saa - sa * sa / wa) AS caa`, `SUM(sab - sa * sb / wa) AS cab`];
  zE.forEach((_, m) => per.push(`SUM(saz${m} - sa * sz${m} / wa) AS ra${m}`, `SUM(sbz${m} - sb * sz${m} / wa) AS rb${m}`));
  const [cnt] = await b.runner.all(`SELECT ${countDistinct(cl.cols)} AS g FROM ${b.from} AS t`, { signal });
  if (num(cnt.g) > WILD_MAX_CLUSTERS) throw tooMany(num(cnt.g));
  const rows = await b.runner.all(
    `SELECT ${cl.cols.join(', ')}, ${per.join(', ')} FROM (SELECT ${sel.join(', ')} FROM ${b.from} AS t GROUP BY ${[...A.cols, ...extra].join(', ')}) AS s GROUP BY ${cl.cols.join(', ')}`,
    { signal },
  );
  const G = rows.length;
  const order = sortedCodes(rows, cl.cols).codes; // row i is cluster order[i]
  const saa = new Float64Array(G);
  const sab = new Float64Array(G);
  const ra = new Float64Array(G * k2);
  const rb = new Float64Array(G * k2);
  rows.forEach((r, i) => {
    const g = order[i];
    saa[g] = num(r.caa);
    sab[g] = num(r.cab);
    for (let m = 0; m < k2; m++) {
      ra[g * k2 + m] = num(r[`ra${m}`]);
      rb[g * k2 + m] = num(r[`rb${m}`]);
    }
  });
  // C_a[g,h] = ra_g' H^-1 ra_h and C_b[g,h] = ra_g' H^-1 rb_h: the rank-k2 form left_g' right_h
  const rightA = new Float64Array(G * k2);
  const rightB = new Float64Array(G * k2);
  for (let h = 0; h < G; h++)
    for (let a = 0; a < k2; a++) {
      let sa = 0;
      let sb = 0;
      for (let c = 0; c < k2; c++) {
        sa += hInv[a * k2 + c] * ra[h * k2 + c];
        sb += hInv[a * k2 + c] * rb[h * k2 + c];
      }
      rightA[h * k2 + a] = sa;
      rightB[h * k2 + a] = sb;
    }
  const oneWay = { sign: 1 as const, G, cellCode: null };
  return {
    ...{ G, n: st.N, k: st.keep.length + (st.constant ? 1 : 0), cells: G, cellBoot: Int32Array.from({ length: G }, (_, g) => g), terms: [oneWay] },
    ...{ saa, sab, dense: null, R: k2, left: ra, rightA, rightB },
  };
}
