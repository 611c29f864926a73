// Bad input to the SQL estimator: the in-memory engine's messages (EstimationError), and cancel.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDuckRunner, type DuckRunner } from '../../server/src/engine/sql/duckRunner';
import { estimateSql } from '../../server/src/engine/sql/estimateSql';
import type { SqlRegressionSpec } from '../../server/src/engine/sql/spec';

let db: DuckRunner | null = null;
async function runner(): Promise<DuckRunner> {
  if (db) return db;
  db = await createDuckRunner({ threads: 1 });
  await db.all(`CREATE TABLE t AS SELECT i // 4 AS g, i % 4 AS p, CAST(i AS DOUBLE) * 0.37 % 1 AS x, CAST(i * i AS DOUBLE) % 7 AS y,
    CASE WHEN i = 5 THEN -1.0 ELSE 1.0 END AS wneg, CASE WHEN i = 3 THEN 'inf'::DOUBLE ELSE CAST(i AS DOUBLE) END AS xinf, CAST(NULL AS DOUBLE) AS nothing
    FROM range(0, 200) r(i)`);
  return db;
}
after(() => db?.close());

const spec: SqlRegressionSpec = { depvar: 'y', regressors: ['x'], absorb: ['g', 'p'], vce: { type: 'cluster', clusters: ['g'] } };
const fails = async (s: Partial<SqlRegressionSpec>, re: RegExp) =>
  assert.rejects(estimateSql(await runner(), 't', { ...spec, ...s }), (e: Error) => e.name === 'EstimationError' && re.test(e.message));

test('negative weights are refused', () => fails({ weights: 'wneg' }, /weights must not be negative/));
test('an infinite regressor is refused', () => fails({ regressors: ['xinf'] }, /infinite value/));
test('a regressor missing everywhere leaves no observations', () => fails({ regressors: ['nothing'] }, /no observations/));
test('a regressor written twice is refused', () => fails({ regressors: ['x', 'x'] }, /appears twice/));
test('Driscoll-Kraay is refused', () => fails({ vce: { type: 'dkraay' } }, /Driscoll-Kraay/));
test('a clustered VCOV without a cluster variable is refused', () => fails({ vce: { type: 'cluster', clusters: [] } }, /cluster variable/));
test('the iterative route needs two FEs', () => fails({ absorb: ['g'], route: 'iterate' }, /two or more fixed effects/));
test('a cancelled fit rejects and leaves no temporary table behind', async () => {
  const r = await runner();
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(estimateSql(r, 't', spec, { signal: ac.signal }));
  const left = await r.all(`SELECT COUNT(*) AS n FROM duckdb_tables() WHERE table_name LIKE '__panelspec_sql_%'`);
  assert.equal(Number(left[0].n), 0);
});

test('a fit cancelled between its queries (iterative route) drops its temporary tables', async () => {
  const r = await runner();
  const ac = new AbortController();
  let created = 0;
  // cancel right after the first temporary table is written
  const watching = {
    all: (sql: string, o?: { signal?: AbortSignal }) => {
      if (created) ac.abort();
      if (sql.startsWith('CREATE TEMP TABLE')) created++;
      return r.all(sql, o);
    },
  };
  await assert.rejects(estimateSql(watching, 't', { ...spec, route: 'iterate' }, { signal: ac.signal }), /cancelled/);
  assert.ok(created >= 1, 'a temporary table was written before the cancel');
  const left = await r.all(`SELECT COUNT(*) AS n FROM duckdb_tables() WHERE table_name LIKE '__panelspec_sql_%'`);
  assert.equal(Number(left[0].n), 0);
});
