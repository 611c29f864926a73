// The SQL estimator (engine/sql) against the in-memory engine on the reference data: every number to 1e-8.
import { test, after } from 'node:test';
import { createDuckRunner, type DuckRunner } from '../../server/src/engine/sql/duckRunner';
import type { SqlRegressionSpec } from '../../server/src/engine/sql/spec';
import { allRoutes, type ForcedRoute } from './sqlHelpers';

const DATA = 'test/reference/data';
let db: DuckRunner | null = null;
async function runner(): Promise<DuckRunner> {
  if (db) return db;
  db = await createDuckRunner({ threads: 2 });
  await db.all(`CREATE VIEW mpdta AS SELECT *, treat * CASE WHEN year >= "first.treat" THEN 1 ELSE 0 END AS post FROM read_csv('${DATA}/mpdta.csv')`);
  await db.all(`CREATE VIEW trade AS SELECT *, ln(Euros) AS leuros, ln(dist_km) AS ldist FROM read_csv('${DATA}/trade.csv')`);
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
