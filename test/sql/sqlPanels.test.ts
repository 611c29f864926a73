// The SQL estimator against the in-memory engine on generated unbalanced panels: 2 and 3 FE (with an
// interaction), weights, missing values, singletons, iid / HC1 / one- and two-way clusters, and discrete
// regressors that compress well. Every number to 1e-8, through both routes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDuckRunner, type DuckRunner } from '../../server/src/engine/sql/duckRunner';
import { estimateSqlRoute } from '../../server/src/engine/sql/estimateSql';
import type { SqlRegressionSpec } from '../../server/src/engine/sql/spec';
import { allRoutes, type ForcedRoute } from './sqlHelpers';

let db: DuckRunner | null = null;
const u = (key: string, s: number) => `(CAST(hash(${key} * 64 + ${s}) >> 11 AS DOUBLE) / 9007199254740992.0)`;

async function runner(): Promise<DuckRunner> {
  if (db) return db;
  db = await createDuckRunner({ threads: 2 });
  const U = 400;
  const T = 12;
  // unbalanced (15 % of rows dropped), 3 % of y missing, units 395-399 reduced to one row (singletons), and
  // unit 390 to two rows in periods only it has after the drop (a second-round singleton is possible)
  await db.all(`CREATE TABLE panel AS
    SELECT unit, period, unit % 7 AS region, unit % 40 AS grp, CAST(unit % 23 AS VARCHAR) AS firm,
      CASE WHEN ${u('i', 1)} < 0.03 THEN NULL ELSE 0.8 * x1 - 0.3 * x2 + 0.5 * d + 0.2 * xd + a + 0.1 * period + e END AS y,
      x1, x2, d, xd, 0.2 + 2 * ${u('i', 7)} AS w
    FROM (SELECT i, unit, period,
        ${u('i', 2)} + 0.3 * ${u('unit', 3)} AS x1, ${u('i', 4)} AS x2,
        CASE WHEN unit % 3 = 0 AND period >= 6 THEN 1 ELSE 0 END AS d,
        CAST(floor(5 * ${u('i', 5)}) AS INTEGER) AS xd,
        2 * ${u('unit', 6)} AS a, ${u('i', 8)} - 0.5 AS e
      FROM (SELECT i, i // ${T} AS unit, i % ${T} AS period FROM range(0, ${U * T}) r(i)) k
      WHERE ${u('i', 9)} > 0.15 AND (unit < 395 OR period = 0)) g`);
  return db;
}
after(() => db?.close());

async function both(spec: SqlRegressionSpec, routes?: ForcedRoute[]): Promise<void> {
  await allRoutes(await runner(), 'panel', spec, routes);
}

const two = { depvar: 'y', regressors: ['x1', 'x2', 'd'], absorb: ['unit', 'period'] };
test('2 FE, unit clusters', () => both({ ...two, vce: { type: 'cluster', clusters: ['unit'] } }));
test('2 FE, weights, unit clusters', () => both({ ...two, weights: 'w', vce: { type: 'cluster', clusters: ['unit'] } }));
test('2 FE, weights, HC1', () => both({ ...two, weights: 'w', vce: { type: 'robust' } }));
test('2 FE, iid', () => both({ ...two, vce: { type: 'iid' } }));
test('2 FE, clusters of units (region) that the unit FE nests in', () => both({ ...two, vce: { type: 'cluster', clusters: ['region'] } }));
test('2 FE, two-way clusters unit and period, weights', () => both({ ...two, weights: 'w', vce: { type: 'cluster', clusters: ['unit', 'period'] } }));
test('2 FE, two-way clusters firm and period (the unit FE nested in neither)', () => both({ ...two, vce: { type: 'cluster', clusters: ['firm', 'period'] } }));
// region#period has 84 levels: a dummy block for the sweep when smallFeMax allows it
test('3 FE with an interaction (region#period), unit clusters', () => both({ ...two, absorb: ['unit', 'period', 'region#period'], smallFeMax: 100, vce: { type: 'cluster', clusters: ['unit'] } }));
test('3 FE (unit, period, firm), weights, two-way clusters', () => both({ ...two, absorb: ['unit', 'period', 'firm'], weights: 'w', vce: { type: 'cluster', clusters: ['unit', 'firm'] } }));
test('3 FE, firm nested in nothing, HC1', () => both({ ...two, absorb: ['firm', 'period', 'region'], vce: { type: 'robust' } }));
test('no FE, weights, constant, two-way clusters', () => both({ ...two, absorb: [], weights: 'w', vce: { type: 'cluster', clusters: ['unit', 'period'] } }));
test('singletons kept (dropSingletons false)', () => both({ ...two, dropSingletons: false, vce: { type: 'cluster', clusters: ['unit'] } }));

test('discrete regressors compress: the auto route picks compression and matches', async () => {
  const spec: SqlRegressionSpec = { depvar: 'y', regressors: ['d', 'xd'], absorb: ['region', 'period'], weights: 'w', vce: { type: 'cluster', clusters: ['region'] } };
  await both(spec);
  const out = await estimateSqlRoute(await runner(), 'panel', spec);
  assert.equal(out.route, 'compress');
  await both({ ...spec, weights: undefined, vce: { type: 'robust' } });
});

test('the sweep removes singletons and counts them as the in-memory engine', async () => {
  const r = await runner();
  const out = await estimateSqlRoute(r, 'panel', { ...two, route: 'sweep', vce: { type: 'iid' } });
  assert.ok(out.core.singletons_removed >= 1, `singletons removed: ${out.core.singletons_removed}`);
  assert.ok(out.core.missing_removed > 0);
});

test('a weakly connected worker-firm panel (two large FEs) through the iterative route', async () => {
  const r = await runner();
  // 800 workers x 8 periods, 80 firms; a worker moves to a random firm with probability 0.08 a period
  await r.all(`CREATE OR REPLACE TABLE wf AS
    WITH steps AS (SELECT i // 8 AS worker, i % 8 AS period, i,
        CASE WHEN i % 8 = 0 OR ${u('i', 20)} < 0.08 THEN CAST(floor(80 * ${u('i', 21)}) AS INTEGER) END AS jump FROM range(0, 6400) r(i)),
      firms AS (SELECT worker, period, i, LAST_VALUE(jump IGNORE NULLS) OVER (PARTITION BY worker ORDER BY period ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS firm FROM steps)
    SELECT worker, period, firm, ${u('i', 22)} AS x1, ${u('i', 23)} + 0.01 * firm AS x2,
      0.5 * ${u('i', 22)} - ${u('i', 23)} + ${u('worker', 24)} + 0.02 * firm + ${u('i', 25)} AS y FROM firms`);
  await allRoutes(r, 'wf', { depvar: 'y', regressors: ['x1', 'x2'], absorb: ['worker', 'firm'], vce: { type: 'cluster', clusters: ['worker'] } }, ['iterate', 'compress']);
  await allRoutes(r, 'wf', { depvar: 'y', regressors: ['x1', 'x2'], absorb: ['worker', 'firm', 'period'], vce: { type: 'robust' } }, ['iterate']);
});

test('no FE and no constant (noconstant), HC1 and clusters', async () => {
  await both({ ...two, absorb: [], constant: false, vce: { type: 'robust' } }, ['sweep', 'compress']);
  await both({ ...two, absorb: [], constant: false, weights: 'w', vce: { type: 'cluster', clusters: ['unit'] } }, ['sweep', 'compress']);
});

test('one FE (unit), level 90, weights, clusters by region', () => both({ ...two, absorb: ['unit'], weights: 'w', level: 90, vce: { type: 'cluster', clusters: ['region'] } }, ['sweep', 'compress']));
