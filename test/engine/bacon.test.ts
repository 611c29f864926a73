// Goodman-Bacon decomposition against R bacondecomp 0.1.3 (mpdta_bacon): the nine 2x2s in
// bacondecomp's order, their estimates and weights, and the TWFE coefficient they add up to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBacon, type BaconInput } from '../../server/src/engine/did/bacon';
import { readCase, readCsv, rel } from '../study/helpers';

function close(a: number, b: number, what: string): void {
  assert.ok(rel(a, b) < 1e-6, `${what}: ${a} vs ${b}`);
}

const d = readCsv('test/reference/data/mpdta.csv');
const year = d.num('year').values;
const ft = d.num('first.treat').values;
const post = Float64Array.from(year, (t, i) => (ft[i] > 0 && t >= ft[i] ? 1 : 0));
const input: BaconInput = { y: d.num('lemp').values, treat: post, unit: d.num('countyreal').values, time: year };

test('bacon decomposition of mpdta matches bacondecomp', () => {
  const ref = readCase('mpdta_bacon').results;
  const r = runBacon(input);
  assert.equal(r.two_by_twos.length, ref.two_by_twos.length);
  r.two_by_twos.forEach((x, j) => {
    const e = ref.two_by_twos[j];
    assert.equal(x.treated, e.treated, `row ${j} treated`);
    assert.equal(x.untreated, e.untreated, `row ${j} untreated`);
    assert.equal(x.type, e.type, `row ${j} type`);
    close(x.estimate, e.estimate, `row ${j} estimate`);
    close(x.weight, e.weight, `row ${j} weight`);
  });
  close(r.twfe, ref.twfe_post, 'twfe');
  const sumW = r.two_by_twos.reduce((s, x) => s + x.weight, 0);
  assert.ok(Math.abs(sumW - 1) < 1e-12);
  close(r.two_by_twos.reduce((s, x) => s + x.weight * x.estimate, 0), ref.weighted_sum, 'weighted sum');
  for (const bt of ref.by_type) {
    const rs = r.two_by_twos.filter((x) => x.type === bt.type);
    const w = rs.reduce((s, x) => s + x.weight, 0);
    close(w, bt.total_weight, `${bt.type} weight`);
    close(rs.reduce((s, x) => s + x.weight * x.estimate, 0) / w, bt.avg_estimate, `${bt.type} average`);
  }
});

test('bacon: always-treated units make Later vs Always Treated comparisons; weighted sum stays the TWFE', () => {
  // cohort 2004 relabelled as treated from 2003 on (always treated in 2003-2007)
  const treat = Float64Array.from(post, (v, i) => (ft[i] === 2004 ? 1 : v));
  const r = runBacon({ ...input, treat });
  const always = r.two_by_twos.filter((x) => x.type === 'Later vs Always Treated');
  assert.deepEqual(always.map((x) => [x.treated, x.untreated]).sort(), [[2006, 'always'], [2007, 'always']]);
  assert.ok(!r.two_by_twos.some((x) => x.treated === 2003));
  const ws = r.two_by_twos.reduce((s, x) => s + x.weight * x.estimate, 0);
  assert.ok(Math.abs(ws - r.twfe) < 1e-12 * Math.max(1, Math.abs(r.twfe)), `${ws} vs ${r.twfe}`);
});

test('bacon: unbalanced panels and treatments that switch off are errors', () => {
  const sample = new Uint8Array(d.n).fill(1);
  sample[3] = 0;
  assert.throws(() => runBacon({ ...input, sample }), /balanced panel: unit 8001 has no row at time = 2006/);
  const off = Float64Array.from(post);
  const i = Array.from(ft).findIndex((g, j) => g === 2004 && year[j] === 2006);
  off[i] = 0;
  assert.throws(() => runBacon({ ...input, treat: off }), /switches off/);
  const two = Float64Array.from(post, (v) => v * 2);
  assert.throws(() => runBacon({ ...input, treat: two }), /must be 0 or 1/);
});
