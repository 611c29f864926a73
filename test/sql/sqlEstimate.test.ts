// The SQL estimator (engine/sql) against the in-memory engine on the reference data: every number to 1e-8.
import { test, after } from 'node:test';
import { createDuckRunner, type DuckRunner } from '../../server/src/engine/sql/duckRunner';
import type { SqlRegressionSpec } from '../../server/src/engine/sql/spec';
import { allRoutes, type ForcedRoute } from './sqlHelpers';
import { estimateSql } from '../../server/src/engine/sql/estimateSql';
import { loadCase } from '../util/refdata';
import { close } from '../engine/helpers';
import assert from 'node:assert/strict';

const DATA = 'test/reference/data';
let db: DuckRunner | null = null;
async function runner(): Promise<DuckRunner> {
  if (db) return db;
  db = await createDuckRunner({ threads: 2 });
  await db.all(`CREATE VIEW mpdta AS SELECT *, treat * CASE WHEN year >= "first.treat" THEN 1 ELSE 0 END AS post FROM read_csv('${DATA}/mpdta.csv')`);
  await db.all(`CREATE VIEW trade AS SELECT *, ln(Euros) AS leuros, ln(dist_km) AS ldist FROM read_csv('${DATA}/trade.csv')`);
  // the reference case's subset: county 8001 alone in 2007 and then alone (an iterative singleton chain), 20 counties kept only in 2005
  await db.all(`CREATE VIEW mp_s AS WITH a AS (SELECT * FROM mpdta WHERE NOT (year = 2007 AND countyreal <> 8001) AND NOT (countyreal = 8001 AND year IN (2004, 2005, 2006))),
    ids AS (SELECT countyreal, ROW_NUMBER() OVER (ORDER BY countyreal) AS rk FROM (SELECT DISTINCT countyreal FROM a) AS d)
    SELECT a.* FROM a JOIN ids USING (countyreal) WHERE NOT (rk BETWEEN 5 AND 500 AND (rk - 5) % 25 = 0 AND year <> 2005)`);
  const rel = [-4, -3, -2, 0, 1, 2, 3].map((k) => `CASE WHEN rel_time = ${k} THEN 1.0 ELSE 0.0 END AS "rel_time::${k}"`);
  await db.all(`CREATE VIEW mp_es AS SELECT *, ${rel.join(', ')} FROM (SELECT *, CASE WHEN "first.treat" = 0 THEN -1000 ELSE year - "first.treat" END AS rel_time FROM mpdta) AS m`);
  await db.all(`CREATE VIEW crime AS SELECT * FROM read_csv('${DATA}/crime_nc.csv')`);
  await db.all(`CREATE VIEW stagg AS SELECT *, CASE WHEN year >= year_treated THEN 1 ELSE 0 END AS treat_post FROM read_csv('${DATA}/base_stagg.csv')`);
  return db;
}
after(() => db?.close());

async function both(relation: string, spec: SqlRegressionSpec, routes?: ForcedRoute[]): Promise<void> {
  await allRoutes(await runner(), relation, spec, routes);
}

const mp = { depvar: 'lemp', regressors: ['post'], absorb: ['countyreal', 'year'] };
test('mpdta_twfe_cluster through SQL', () => both('mpdta', { ...mp, vce: { type: 'cluster', clusters: ['countyreal'] } }));
test('mpdta_twfe_iid through SQL', () => both('mpdta', { ...mp, vce: { type: 'iid' } }));
test('mpdta_twfe_hetero through SQL', () => both('mpdta', { ...mp, vce: { type: 'robust' } }));
test('mpdta_twfe_lpop_cluster through SQL (lpop collinear with the county FE)', () => both('mpdta', { ...mp, regressors: ['post', 'lpop'], vce: { type: 'cluster', clusters: ['countyreal'] } }));
test('crime_3fe_regionyear through SQL', () =>
  both('crime', { depvar: 'lcrmrte', regressors: ['lprbarr', 'lprbconv', 'lprbpris', 'lavgsen', 'lpolpc'], absorb: ['county', 'year', 'region#year'], vce: { type: 'cluster', clusters: ['county'] } }));
test('trade_3fe through SQL', () => both('trade', { depvar: 'leuros', regressors: ['ldist'], absorb: ['Origin', 'Destination', 'Product'], vce: { type: 'cluster', clusters: ['Origin'] } }));
test('base_stagg_twfe through SQL', () => both('stagg', { depvar: 'y', regressors: ['x1', 'treat_post'], absorb: ['id', 'year'], vce: { type: 'cluster', clusters: ['id'] } }));
test('reg without FE through SQL (constant, robust)', () => both('mpdta', { depvar: 'lemp', regressors: ['post', 'lpop'], absorb: [], vce: { type: 'robust' } }));
test('reg without FE through SQL (constant, clustered)', () => both('mpdta', { depvar: 'lemp', regressors: ['post', 'lpop'], absorb: [], vce: { type: 'cluster', clusters: ['countyreal'] } }));
test('two-way clusters through SQL', () => both('mpdta', { ...mp, vce: { type: 'cluster', clusters: ['countyreal', 'year'] } }));
test('cluster not nesting the FE through SQL', () => both('mpdta', { ...mp, vce: { type: 'cluster', clusters: ['first.treat'] } }));

test('mpdta_singletons through SQL: the iterative chain of singletons, and the fixest numbers', async () => {
  const spec: SqlRegressionSpec = { ...mp, vce: { type: 'cluster', clusters: ['countyreal'] } };
  await both('mp_s', spec);
  const ref = loadCase('mpdta_singletons').result_iterative_removal;
  for (const route of ['sweep', 'compress', 'iterate'] as const) {
    const core = await estimateSql(await runner(), 'mp_s', { ...spec, route });
    assert.equal(core.nobs, ref.nobs);
    assert.equal(core.singletons_removed, ref.n_removed);
    close(core.coefficients[0].estimate, ref.coefficients.post.estimate, `${route} estimate`);
    close(core.coefficients[0].se, ref.coefficients.post.std_error, `${route} se`);
  }
});

test('mpdta_es_twfe through SQL: event-time dummies, and the fixest numbers', async () => {
  const ref = loadCase('mpdta_es_twfe').results;
  const spec: SqlRegressionSpec = { depvar: 'lemp', regressors: ref.coef_order, absorb: ['countyreal', 'year'], vce: { type: 'cluster', clusters: ['countyreal'] } };
  await both('mp_es', spec);
  const core = await estimateSql(await runner(), 'mp_es', spec);
  for (const c of core.coefficients) {
    close(c.estimate, ref.coefficients[c.term].estimate, `${c.term} estimate`);
    close(c.se, ref.coefficients[c.term].std_error, `${c.term} se`);
  }
});
