// The factor-code and FE-structure caches (runtime/factors.ts, engine/structureCache.ts): a model after
// a data step that changes an FE or cluster variable sees the new values, exactly as a fresh run does.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runOk } from './helpers';
import { DataTable } from '../../server/src/data/table';
import { codeColumn, combineCodes } from '../../server/src/runtime/factors';

const ROOT = resolve(__dirname, '..', '..', '..');
const MPDTA = { 'mpdta.csv': readFileSync(join(ROOT, 'test', 'reference', 'data', 'mpdta.csv'), 'utf8') };
const PREP = `use "mpdta.csv"\nxtset countyreal year\ngen post = treat * (year >= first_treat)\n`;
const MODEL = 'reghdfe lemp post lpop, absorb(countyreal year) vce(cluster countyreal)\n';

type Est = { coefficients: { term: string; estimate: number; se: number }[]; fixed_effects: { name: string; levels: number }[]; nobs: number; n_clusters: number[] };
const ests = (out: { results: { kind: string }[] }) => out.results.filter((r) => r.kind === 'estimation') as unknown as Est[];

function same(a: Est, b: Est): void {
  assert.deepEqual(a.fixed_effects, b.fixed_effects);
  assert.equal(a.nobs, b.nobs);
  assert.deepEqual(a.n_clusters, b.n_clusters);
  a.coefficients.forEach((c, j) => {
    assert.equal(c.term, b.coefficients[j].term);
    assert.ok(Math.abs(c.estimate - b.coefficients[j].estimate) <= 1e-12 * Math.abs(c.estimate), `${c.term} estimate`);
    assert.ok(Math.abs(c.se - b.coefficients[j].se) <= 1e-12 * Math.abs(c.se), `${c.term} se`);
  });
}

describe('factor and FE-structure caches', () => {
  it('a model after `replace` of the FE and cluster variable equals a fresh run with the replace done first', async () => {
    const merge = 'replace countyreal = 8001 if countyreal == 8019\n'; // two counties become one
    const cached = ests(await runOk(PREP + MODEL + MODEL + merge + MODEL, MPDTA));
    const fresh = ests(await runOk(PREP + merge + MODEL, MPDTA));
    same(cached[0], cached[1]); // the repeat (everything from the caches) equals the first fit
    assert.equal(cached[2].fixed_effects[0].levels, cached[0].fixed_effects[0].levels - 1);
    same(cached[2], fresh[0]);
  });

  it('sorted data, a subsample (`if`) and a renamed variable: each equals its fresh run', async () => {
    const steps = [
      ['sort year countyreal\n', MODEL],
      ['', MODEL.replace(', absorb', ' if year >= 2004, absorb')],
      ['rename countyreal county\n', MODEL.replace(/countyreal/g, 'county')],
    ];
    for (const [step, model] of steps) {
      const cached = ests(await runOk(PREP + MODEL + step + model, MPDTA));
      const fresh = ests(await runOk(PREP + step + model, MPDTA));
      same(cached[1], fresh[0]);
    }
  });

  it('codes are reused for the same column array and made afresh for a new one; a#b numbers pairs in order of first appearance', () => {
    const v = Float64Array.from([2004, 2003, NaN, 2004, 2007]);
    const t = new DataTable(5, [{ kind: 'numeric', name: 'y', values: v }]);
    const a = codeColumn(t, 'y');
    assert.deepEqual(Array.from(a.codes), [1, 0, -1, 1, 2]);
    assert.deepEqual(a.labels, ['2003', '2004', '2007']);
    assert.equal(codeColumn(t, 'y'), a);
    t.add({ kind: 'numeric', name: 'y', values: Float64Array.from([1.5, -0.5, 1.5, NaN, 1e300]) });
    const b = codeColumn(t, 'y');
    assert.notEqual(b, a);
    assert.deepEqual(Array.from(b.codes), [1, 0, 1, -1, 2]);
    assert.deepEqual(b.labels, ['-0.5', '1.5', '1e+300']);
    const ab = combineCodes([a, b]);
    assert.deepEqual(Array.from(ab.codes), [0, 1, -1, -1, 2]);
    assert.deepEqual(ab.labels, ['2004#1.5', '2003#-0.5', '2007#1e+300']);
    assert.equal(combineCodes([a, b]), ab);
  });
});
