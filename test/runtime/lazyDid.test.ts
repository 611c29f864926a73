// `did` on lazy data (the SQL estimator on the DuckDB view): equal to the in-memory did to 1e-8 and
// to the fixest reference cases (mpdta_twfe_cluster / _hetero / _iid) to 1e-6, with fe() or with the
// xtset unit and time as its default fixed effects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../grammar/src/index';
import { runProgram } from '../../server/src/runtime/interpreter';
import type { EstimationResult } from '../../server/src/results/types';

const REF = join(__dirname, '..', '..', '..', 'test', 'reference');
const DATA = join(REF, 'data', 'mpdta.csv').replace(/\\/g, '/');

async function models(spec: string): Promise<EstimationResult[]> {
  const out = await runProgram(parse(spec), { file: join(REF, 'data', 'spec.pspec') });
  if (out.error) throw new Error(`line ${(out.error.range?.start.line ?? -1) + 1}: ${out.error.message}`);
  return out.results.filter((r): r is EstimationResult => r.kind === 'estimation');
}

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
