// Test helpers for the SQL estimator: the same model fitted in memory from the same rows (read back
// from DuckDB), and a comparison of every number of the two EstimationCores to 1e-8.
import assert from 'node:assert/strict';
import type { SqlRunner } from '../../server/src/engine/sql/runner';
import type { SqlRegressionSpec } from '../../server/src/engine/sql/spec';
import { parseFactor } from '../../server/src/engine/sql/spec';
import type { EstimationCore, Factor, RegressionInput } from '../../server/src/engine/types';
import { estimate } from '../../server/src/engine/estimate';
import { estimateSqlRoute } from '../../server/src/engine/sql/estimateSql';

const q = (c: string) => `"${c}"`;

/** The spec's columns read back from the relation into a RegressionInput (NaN / -1 for NULL). */
export async function inputFromSql(runner: SqlRunner, relation: string, spec: SqlRegressionSpec): Promise<RegressionInput> {
  const facs = [...spec.absorb, ...(spec.vce.clusters ?? [])].map(parseFactor);
  const cols = [...new Set([spec.depvar, ...spec.regressors, ...(spec.weights ? [spec.weights] : []), ...facs.flatMap((f) => f.parts)])];
  const rows = await runner.all(`SELECT ${cols.map(q).join(', ')} FROM ${relation}`);
  const n = rows.length;
  const numCol = (c: string) => Float64Array.from(rows, (r) => (r[c] === null || r[c] === undefined ? NaN : Number(r[c])));
  const factor = (name: string): Factor => {
    const f = parseFactor(name);
    const map = new Map<string, number>();
    const codes = new Int32Array(n);
    rows.forEach((r, i) => {
      if (f.parts.some((p) => r[p] === null || r[p] === undefined)) return void (codes[i] = -1);
      const k = f.parts.map((p) => `${typeof r[p]}:${String(r[p])}`).join('|');
      let c = map.get(k);
      if (c === undefined) map.set(k, (c = map.size));
      codes[i] = c;
    });
    return { name, codes, nlevels: map.size };
  };
  const clusters = spec.vce.type === 'cluster' ? (spec.vce.clusters ?? []).map(factor) : undefined;
  // a cluster variable equal to an FE shares its codes (as the runtime passes them)
  const fes = spec.absorb.map(factor);
  const cl = clusters?.map((c) => fes.find((f) => f.name === c.name) ?? c);
  return {
    depvar: { name: spec.depvar, values: numCol(spec.depvar) },
    regressors: spec.regressors.map((r) => ({ name: r, values: numCol(r) })),
    fixedEffects: fes,
    constant: spec.constant ?? spec.absorb.length === 0,
    weights: spec.weights ? numCol(spec.weights) : undefined,
    vcov: { type: spec.vce.type, clusters: cl },
    dropSingletons: spec.dropSingletons,
    level: spec.level,
  };
}

export async function inMemory(runner: SqlRunner, relation: string, spec: SqlRegressionSpec): Promise<EstimationCore> {
  return estimate(await inputFromSql(runner, relation, spec));
}

function near(a: number | null | undefined, b: number | null | undefined, what: string, rel: number): void {
  if (a === null || b === null || a === undefined || b === undefined) return assert.equal(a ?? null, b ?? null, what);
  const d = Math.abs(a - b);
  assert.ok(d <= rel * Math.max(Math.abs(a), Math.abs(b)) || d <= 1e-14, `${what}: SQL ${a}, in memory ${b} (rel diff ${(d / Math.abs(b)).toExponential(2)})`);
}

/** Every number both cores report, to `rel` relative (1e-8 by default). */
export function sameCore(sql: EstimationCore, mem: EstimationCore, rel = 1e-8): void {
  assert.deepEqual(sql.coefficients.map((c) => c.term), mem.coefficients.map((c) => c.term), 'terms');
  sql.coefficients.forEach((c, i) => {
    const m = mem.coefficients[i];
    for (const f of ['estimate', 'se', 't', 'p', 'ci_low', 'ci_high'] as const) near(c[f], m[f], `${c.term} ${f}`, rel);
  });
  for (const f of ['nobs', 'df_resid', 'df_t', 'df_k', 'singletons_removed', 'missing_removed'] as const) assert.equal(sql[f], mem[f], f);
  for (const f of ['r2', 'adj_r2', 'r2_within', 'adj_r2_within', 'rmse', 'sigma', 'ssr', 'tss', 'f', 'vcov_scale', 'sum_weights'] as const) near(sql[f], mem[f], f, rel);
  assert.deepEqual(sql.n_clusters, mem.n_clusters, 'n_clusters');
  assert.deepEqual(sql.fixed_effects, mem.fixed_effects, 'fixed effects');
  assert.deepEqual(sql.omitted, mem.omitted, 'omitted');
  sql.vcov.forEach((row, i) => row.forEach((v, j) => near(v, mem.vcov[i][j], `vcov[${i}][${j}]`, rel * 10)));
}

export type ForcedRoute = 'compress' | 'sweep' | 'iterate';

/** The model fitted in memory and through each SQL route (default: every route that applies), compared. */
export async function allRoutes(runner: SqlRunner, relation: string, spec: SqlRegressionSpec, routes?: ForcedRoute[]): Promise<void> {
  const mem = await inMemory(runner, relation, spec);
  const list = routes ?? (['sweep', 'compress', ...(spec.absorb.length >= 2 ? ['iterate' as const] : [])] as ForcedRoute[]);
  for (const route of list) {
    const out = await estimateSqlRoute(runner, relation, { ...spec, route });
    assert.equal(out.route, route);
    try {
      sameCore(out.core, mem, Number(process.env.SQLREL ?? 1e-8));
    } catch (e) {
      (e as Error).message = `route ${route}: ${(e as Error).message}`;
      throw e;
    }
  }
}
