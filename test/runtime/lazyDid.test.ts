// `did` on lazy data (the SQL estimator on the DuckDB view): equal to the in-memory did to 1e-8 and
// to the fixest reference cases (mpdta_twfe_cluster / _hetero / _iid) to 1e-6, with fe() or with the
// xtset unit and time as its default fixed effects. And boottest after lazy models (cluster sums in
// SQL, the in-memory bootstrap on them): the in-memory boottest's p-value, interval, t and G.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../grammar/src/index';
import { runProgram } from '../../server/src/runtime/interpreter';
import type { BoottestResult, CommandResult, EstimationResult } from '../../server/src/results/types';

const REF = join(__dirname, '..', '..', '..', 'test', 'reference');
const DATA = join(REF, 'data', 'mpdta.csv').replace(/\\/g, '/');

async function results(spec: string): Promise<CommandResult[]> {
  const out = await runProgram(parse(spec), { file: join(REF, 'data', 'spec.pspec') });
  if (out.error) throw new Error(`line ${(out.error.range?.start.line ?? -1) + 1}: ${out.error.message}`);
  return out.results;
}
const models = async (spec: string) => (await results(spec)).filter((r): r is EstimationResult => r.kind === 'estimation');
const boottests = async (spec: string) => (await results(spec)).filter((r): r is BoottestResult => r.kind === 'boottest');

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

test('lazy did equals the in-memory did and the fixest reference cases', async () => {
  const steps = [
    'xtset countyreal year',
    'gen post = treat * (year >= first_treat)',
    'did lemp post, fe(countyreal year) cluster(countyreal)',
    'did lemp post, robust',
    'did lemp post',
  ].join('\n');
  const lazy = await models(`use "${DATA}", lazy\n${steps}\n`);
  const mem = await models(`use "${DATA}"\n${steps}\n`);
  assert.equal(lazy.length, 3);
  assert.equal(mem.length, 3);
  const cases = ['mpdta_twfe_cluster', 'mpdta_twfe_hetero', 'mpdta_twfe_iid'].map((c) => JSON.parse(readFileSync(join(REF, 'cases', `${c}.json`), 'utf8')));
  lazy.forEach((m, i) => {
    assert.equal(m.command, 'did');
    assert.equal(m.nobs, mem[i].nobs);
    assert.deepEqual(m.vcov, mem[i].vcov);
    const c = m.coefficients[0];
    const k = mem[i].coefficients[0];
    assert.equal(c.term, 'post');
    for (const f of ['estimate', 'se', 't', 'p'] as const) assert.ok(rel(c[f], k[f]) <= 1e-8, `model ${i + 1} ${f}: lazy ${c[f]}, in memory ${k[f]}`);
    const ref = cases[i].results.coefficients.post;
    assert.ok(rel(c.estimate, ref.estimate) <= 1e-6, `model ${i + 1} estimate vs ${cases[i].case}`);
    assert.ok(rel(c.se, ref.std_error) <= 1e-6, `model ${i + 1} se vs ${cases[i].case}: ${c.se} vs ${ref.std_error}`);
  });
});

const near = (a: number | null, b: number | null, what: string) => {
  if (a === null || b === null) return assert.equal(a, b, what);
  assert.ok(Math.abs(a - b) <= 1e-8 * Math.max(1, Math.abs(b)), `${what}: lazy ${a}, in memory ${b}`);
};

test('lazy boottest equals in-memory boottest (drawn and enumerated)', async () => {
  const steps = [
    'xtset countyreal year',
    'gen post = treat * (year >= first_treat)',
    'reghdfe lemp post, absorb(countyreal year) vce(cluster countyreal)',
    'boottest post, reps(999) seed(3)',
    'did lemp post, fe(countyreal year) cluster(first_treat)',
    'boottest post',
  ].join('\n');
  const lazy = await boottests(`use "${DATA}", lazy\n${steps}\n`);
  const mem = await boottests(`use "${DATA}"\n${steps}\n`);
  assert.equal(lazy.length, 2);
  lazy.forEach((b, i) => {
    const m = mem[i];
    assert.equal(b.n_clusters, m.n_clusters);
    assert.equal(b.enumerated, m.enumerated);
    assert.equal(b.cluster, m.cluster);
    for (const f of ['estimate', 't', 'p_value', 'ci_low', 'ci_high'] as const) near(b[f], m[f], `boottest ${i + 1} ${f}`);
  });
  assert.equal(lazy[0].n_clusters, 500);
  assert.equal(lazy[1].enumerated, true, 'four first_treat clusters: every sign vector');
});
