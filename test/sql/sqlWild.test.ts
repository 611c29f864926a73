// boottest after a SQL estimation: the cluster sums from wildClusterSumsSql give the in-memory engine's
// wild cluster bootstrap (t, SE, p-value, interval), through the compressed and the swept routes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDuckRunner, type DuckRunner } from '../../server/src/engine/sql/duckRunner';
import { wildClusterSumsSql } from '../../server/src/engine/sql/wild';
import type { SqlRegressionSpec } from '../../server/src/engine/sql/spec';
import { prepareModel } from '../../server/src/engine/model';
import { wildClusterSums } from '../../server/src/engine/inference/wildProblem';
import { wildClusterBootstrap, type WildOptions } from '../../server/src/engine/inference/wildBootstrap';
import { inputFromSql } from './sqlHelpers';
import { loadCase } from '../util/refdata';

const DATA = 'test/reference/data';
let db: DuckRunner | null = null;
const u = (key: string, s: number) => `(CAST(hash(${key} * 64 + ${s}) >> 11 AS DOUBLE) / 9007199254740992.0)`;
async function runner(): Promise<DuckRunner> {
  if (db) return db;
  db = await createDuckRunner({ threads: 2 });
  await db.all(`CREATE VIEW trade AS SELECT *, ln(Euros) AS leuros, ln(dist_km) AS ldist FROM read_csv('${DATA}/trade.csv') ORDER BY Origin`);
  await db.all(`CREATE TABLE panel AS SELECT unit, period, unit % 40 AS grp, 0.8 * x1 - 0.3 * x2 + 2 * ${u('unit', 6)} + 0.1 * period + ${u('i', 8)} - 0.5 AS y, x1, x2, 0.2 + 2 * ${u('i', 7)} AS w
    FROM (SELECT i, unit, period, ${u('i', 2)} + 0.3 * ${u('unit', 3)} AS x1, ${u('i', 4)} AS x2
      FROM (SELECT i, i // 10 AS unit, i % 10 AS period FROM range(0, 3000) r(i)) k WHERE ${u('i', 9)} > 0.1) g ORDER BY grp, unit, period`);
  return db;
}
after(() => db?.close());

async function compare(relation: string, spec: SqlRegressionSpec, term: string, opts: WildOptions) {
  const r = await runner();
  const input = await inputFromSql(r, relation, spec);
  const m = prepareModel(input);
  const mem = wildClusterBootstrap(wildClusterSums(m, term, { clusters: [m.clusterFactors[0]] }), opts);
  for (const route of ['sweep', 'compress'] as const) {
    if (route === 'sweep' && spec.absorb.length !== 1) continue;
    const sums = await wildClusterSumsSql(r, relation, { ...spec, route }, term);
    assert.equal(sums.n, m.n, 'n');
    const sql = wildClusterBootstrap(sums, opts);
    for (const f of ['estimate', 'se', 't', 'pValue', 'ciLow', 'ciHigh'] as const) {
      const a = sql[f]!;
      const b = mem[f]!;
      assert.ok(Math.abs(a - b) <= 1e-8 * Math.abs(b) + 1e-12, `${route} ${f}: SQL ${a}, in memory ${b}`);
    }
    assert.equal(sql.reps, mem.reps);
  }
  return mem;
}

test('trade_wcb_enum through SQL (compressed cells): all 2^15 sign vectors, as the in-memory engine and fwildclusterboot', async () => {
  const ref = loadCase('trade_wcb_enum');
  const spec: SqlRegressionSpec = { depvar: 'leuros', regressors: ['ldist'], absorb: ['Destination', 'Product', 'Year'], vce: { type: 'cluster', clusters: ['Origin'] } };
  const mem = await compare('trade', spec, 'ldist', { reps: 40000, weightType: 'rademacher', seed: 1, nullImposed: true, level: 0.95 });
  const wcr = ref.results.wcr_enum_impose_null;
  assert.ok(mem.enumerated);
  assert.equal(mem.pValue, wcr.p_val);
  assert.ok(Math.abs(mem.t - wcr.t_stat) <= 1e-6 * Math.abs(wcr.t_stat), `t ${mem.t} vs reference ${wcr.t_stat}`);
});

const panelSpec: SqlRegressionSpec = { depvar: 'y', regressors: ['x1', 'x2'], absorb: ['unit'], vce: { type: 'cluster', clusters: ['grp'] } };
test('swept unit FE nested in 40 clusters: Webb draws and interval equal the in-memory bootstrap', async () => void await
  compare('panel', panelSpec, 'x1', { reps: 999, weightType: 'webb', seed: 7, nullImposed: true, level: 0.95 }));
test('swept unit FE, weights, Rademacher without the null imposed', async () => void await
  compare('panel', { ...panelSpec, weights: 'w' }, 'x2', { reps: 499, weightType: 'rademacher', seed: 3, nullImposed: false, level: 0.9 }));
