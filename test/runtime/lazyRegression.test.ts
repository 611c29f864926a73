// reghdfe and regress on a lazy dataset (`use ..., lazy`: the SQL estimator on the DuckDB view) give
// the in-memory run's estimation result: every coefficient, SE, t, p and interval, N, R², the degrees
// of freedom and the cluster counts, to 1e-8 relative, on the reference data (after lazy data steps,
// with if, weights, interactions and string fixed effects). Bad input is a message at its line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parse } from '../../grammar/src/index';
import { runProgram } from '../../server/src/runtime/interpreter';
import type { EstimationResult } from '../../server/src/results/types';

const REF = join(__dirname, '..', '..', '..', 'test', 'reference', 'data');
const path = (f: string) => join(REF, f).replace(/\\/g, '/');

async function run(spec: string): Promise<{ models: EstimationResult[]; lazy: boolean; error?: string; line?: number }> {
  const program = parse(spec);
  assert.equal(program.errors.length, 0, program.errors.map((e) => e.message).join('; '));
  const out = await runProgram(program, { file: join(REF, 'spec.pspec') });
  const models = out.results.filter((r): r is EstimationResult => r.kind === 'estimation');
  const lazy = out.results.some((r) => r.kind === 'data' && 'lazy' in r && r.lazy === true);
  return { models, lazy, error: out.error?.message, line: out.error?.range ? out.error.range.start.line + 1 : undefined };
}

function near(a: number | null | undefined, b: number | null | undefined, what: string): void {
  if (a === null || a === undefined || b === null || b === undefined) return assert.equal(a ?? null, b ?? null, what);
  const d = Math.abs(a - b);
  assert.ok(d <= 1e-8 * Math.max(Math.abs(a), Math.abs(b)) || d <= 1e-13, `${what}: lazy ${a}, in memory ${b}`);
}

function sameModel(lazy: EstimationResult, mem: EstimationResult, what: string): void {
  assert.deepEqual(lazy.coefficients.map((c) => c.term), mem.coefficients.map((c) => c.term), `${what}: terms`);
  lazy.coefficients.forEach((c, i) => {
    for (const f of ['estimate', 'se', 't', 'p', 'ci_low', 'ci_high'] as const) near(c[f], mem.coefficients[i][f], `${what}: ${c.term} ${f}`);
  });
  for (const f of ['nobs', 'df_resid', 'singletons_removed', 'missing_removed'] as const) assert.equal(lazy[f], mem[f], `${what}: ${f}`);
  for (const f of ['r2', 'adj_r2', 'r2_within', 'rmse'] as const) near(lazy[f], mem[f], `${what}: ${f}`);
  assert.deepEqual(lazy.vcov, mem.vcov, `${what}: vcov type, clusters and their counts`);
  assert.deepEqual(lazy.fixed_effects, mem.fixed_effects, `${what}: fixed effects`);
  assert.equal(lazy.command, mem.command, `${what}: command`);
  assert.equal(lazy.line, mem.line, `${what}: line`);
}

/** The same steps after `use FILE` and after `use FILE, lazy`: every model equal. */
async function bothWays(file: string, steps: string): Promise<EstimationResult[]> {
  const mem = await run(`use "${path(file)}"\n${steps}\n`);
  assert.equal(mem.error, undefined, `in memory: ${mem.error}`);
  const lazy = await run(`use "${path(file)}", lazy\n${steps}\n`);
  assert.equal(lazy.error, undefined, `lazy: ${lazy.error} (line ${lazy.line})`);
  assert.ok(lazy.lazy && !mem.lazy, 'one run opened the file in DuckDB, the other in memory');
  assert.equal(lazy.models.length, mem.models.length);
  lazy.models.forEach((m, i) => sameModel(m, mem.models[i], `${file} model ${i + 1} (line ${m.line})`));
  return lazy.models;
}

test('lazy reghdfe equals in memory on mpdta (two-way FE; cluster, robust, iid; if; a lazy gen)', async () => {
  const models = await bothWays('mpdta.csv', [
    'gen post = treat * (year >= first_treat)',
    'reghdfe lemp post, absorb(countyreal year) vce(cluster countyreal)',
    'reghdfe lemp post lpop, absorb(countyreal year) vce(robust)',
    'reghdfe lemp post if year >= 2004, absorb(countyreal year)',
    'eststo m4: reghdfe lemp post, absorb(countyreal year) vce(cluster countyreal year)',
  ].join('\n'));
  assert.equal(models.length, 4);
  assert.equal(models[3].name, 'm4');
  assert.ok(models[0].coefficients[0].se > 0);
});

test('lazy regress equals in memory (constant, robust, weights, noconstant)', async () => {
  await bothWays('mpdta.csv', [
    'gen post = treat * (year >= first_treat)',
    'gen w = 1 + mod(countyreal, 3)',
    'reg lemp post lpop, vce(robust)',
    'reg lemp post lpop [aw=w], vce(cluster countyreal)',
    'reg lemp post lpop, noconstant',
  ].join('\n'));
});

test('lazy reghdfe equals in memory with three FEs, an interaction and string FEs (crime, trade)', async () => {
  await bothWays('crime_nc.csv', 'reghdfe lcrmrte lprbarr lprbconv lpolpc, absorb(county year region#year) vce(cluster county)');
  await bothWays('trade.csv', 'gen leuros = ln(Euros)\ngen ldist = ln(dist_km)\nreghdfe leuros ldist, absorb(Origin Destination Product) vce(cluster Origin)');
});

test('lazy regressions: what the SQL route cannot take is a message at its line', async () => {
  const cases: [string, RegExp][] = [
    ['reghdfe lemp i.treat, absorb(countyreal)', /plain variable .*gen.* it first, or `materialize`/],
    ['reghdfe lemp L.lpop, absorb(countyreal)', /plain variable/],
    ['reghdfe lemp lpop, absorb(countyreal) vce(dkraay 2)', /Driscoll-Kraay .* not available on lazy data/],
    ['reghdfe lemp lpop', /needs absorb/],
    ['reghdfe lemp nosuch, absorb(countyreal)', /nosuch/],
  ];
  for (const [line, re] of cases) {
    const out = await run(`use "${path('mpdta.csv')}", lazy\nxtset countyreal year\n${line}\n`);
    assert.match(out.error ?? '', re, line);
    assert.equal(out.line, 3, `${line}: the error is at its line`);
    assert.equal(out.models.length, 0);
  }
});
