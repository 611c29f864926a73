// summarize (hand values, detail percentiles), entropy (hand-computed), export/esttab replace rule,
// errors keep earlier results, $global varlists.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { near, run, runOk, tempDir } from './helpers';
import { stataPercentile } from '../../server/src/runtime/stats';

const S = { 's.csv': 'x,y,w\n1,2,1\n2,.,2\n3,6,1\n4,8,2\n10,.,1\n' };

describe('summarize', () => {
  it('n, mean, sd (n-1), min, max with missing left out', async () => {
    const out = await runOk(`use "s.csv"\nsummarize x y\nsummarize x if y > 5\n`, S);
    const [a, b] = out.results.filter((r) => r.kind === 'summary') as any[];
    assert.deepEqual(a.rows[0].var, 'x');
    assert.equal(a.rows[0].n, 5);
    assert.equal(a.rows[0].mean, 4);
    assert.ok(near(a.rows[0].sd, Math.sqrt((9 + 4 + 1 + 0 + 36) / 4)));
    assert.equal(a.rows[0].min, 1);
    assert.equal(a.rows[0].max, 10);
    assert.equal(a.rows[1].n, 3);
    assert.ok(near(a.rows[1].mean, 16 / 3));
    // y > 5 is true for missing y too (Stata): x = 2 3 4 10
    assert.equal(b.rows[0].n, 4);
    assert.equal(b.rows[0].mean, 19 / 4);
    assert.equal(typeof a.seconds, 'number');
    assert.equal(a.line, 2);
  });

  it('detail: Stata percentiles, skewness and kurtosis', async () => {
    const out = await runOk(`use "s.csv"\nsummarize x, detail\n`, S);
    const r = (out.results[1] as any).rows[0];
    // n = 5: p50 -> P = 2.5 -> 3rd value; p25 -> 1.25 -> 2nd; p75 -> 3.75 -> 4th; p10 -> 0.5 -> 1st; p99 -> 4.95 -> 5th
    assert.equal(r.p50, 3);
    assert.equal(r.p25, 2);
    assert.equal(r.p75, 4);
    assert.equal(r.p10, 1);
    assert.equal(r.p99, 10);
    const d = [1, 2, 3, 4, 10].map((v) => v - 4);
    const m2 = d.reduce((a, v) => a + v * v, 0) / 5;
    const m3 = d.reduce((a, v) => a + v ** 3, 0) / 5;
    const m4 = d.reduce((a, v) => a + v ** 4, 0) / 5;
    assert.ok(near(r.skewness, m3 / m2 ** 1.5));
    assert.ok(near(r.kurtosis, m4 / (m2 * m2)));
  });

  it('percentile at an exact boundary averages the two neighbours', () => {
    // n = 4, p50 -> P = 2 exactly -> (x2 + x3) / 2
    assert.equal(stataPercentile([1, 2, 3, 4], 50), 2.5);
    assert.equal(stataPercentile([1, 2, 3, 4], 25), 1.5);
    assert.equal(stataPercentile([5], 1), 5);
  });
});

describe('entropy', () => {
  it('weights and index by the contract formula (hand-computed)', async () => {
    const out = await runOk(`use "e.csv"\nentropy idx = a b, negative(b) shift(0) scale(1)\n`, { 'e.csv': 'a,b\n0,3\n1,1\n3,0\n' });
    const r = out.results.find((x) => x.kind === 'index') as any;
    // a: x' = 0, 1/3, 1 -> p = 0, 1/4, 3/4 ; b (negative): (3-b)/3 = 0, 2/3, 1 -> p = 0, 2/5, 3/5
    const h = (ps: number[]) => -ps.filter((p) => p > 0).reduce((s, p) => s + p * Math.log(p), 0) / Math.log(3);
    const ea = h([0, 0.25, 0.75]);
    const eb = h([0, 0.4, 0.6]);
    const wa = (1 - ea) / (2 - ea - eb);
    const wb = (1 - eb) / (2 - ea - eb);
    assert.equal(r.name, 'idx');
    assert.equal(r.method, 'entropy');
    assert.deepEqual(r.weights.map((w: any) => [w.var, w.direction]), [['a', 1], ['b', -1]]);
    assert.ok(near(r.weights[0].weight, wa));
    assert.ok(near(r.weights[1].weight, wb));
    const idx = Array.from((out.session.data!.get('idx') as any).values as Float64Array);
    const expected = [0, wa / 3 + (wb * 2) / 3, 1];
    idx.forEach((v, i) => assert.ok(near(v, expected[i]), `row ${i}: ${v} vs ${expected[i]}`));
  });
});

describe('files and errors', () => {
  it('export delimited writes the CSV and needs replace to overwrite', async () => {
    const dir = tempDir(S);
    const spec = `use "s.csv"\nkeep if x < 4\nexport delimited "out.csv" x y\n`;
    const a = await run(spec, {}, dir);
    assert.equal(a.error, null);
    assert.equal(readFileSync(join(dir, 'out.csv'), 'utf8'), 'x,y\n1,2\n2,\n3,6\n');
    writeFileSync(join(dir, 'out.csv'), 'KEEP ME');
    const b = await run(spec, {}, dir);
    assert.match(b.error!.message, /already exists.*replace/);
    assert.equal(b.error!.range?.start.line, 2);
    assert.equal(readFileSync(join(dir, 'out.csv'), 'utf8'), 'KEEP ME');
    const c = await run(spec.replace('x y\n', 'x y, replace\n'), {}, dir);
    assert.equal(c.error, null);
    assert.equal(readFileSync(join(dir, 'out.csv'), 'utf8'), 'x,y\n1,2\n2,\n3,6\n');
  });

  it('a run-time error stops the run but keeps the results before it', async () => {
    const out = await run(`use "s.csv"\nsummarize x\ngen z = nosuch + 1\nsummarize y\n`, S);
    assert.equal(out.results.length, 2);
    assert.deepEqual(out.results.map((r) => r.kind), ['data', 'summary']);
    assert.equal(out.error!.range?.start.line, 2);
  });

  it('$globals expand in varlists, wildcards and ranges resolve by column order', async () => {
    const out = await runOk(`use "s.csv"\nglobal v x y\nsummarize $v\nsummarize x-y\nsummarize *\n`, S);
    const sums = out.results.filter((r) => r.kind === 'summary') as any[];
    assert.deepEqual(sums[0].rows.map((r: any) => r.var), ['x', 'y']);
    assert.deepEqual(sums[1].rows.map((r: any) => r.var), ['x', 'y']);
    assert.deepEqual(sums[2].rows.map((r: any) => r.var), ['x', 'y', 'w']);
  });

  it('use of a missing file is a data error at the use line', async () => {
    const out = await run(`use "nope.csv"\n`, {});
    assert.ok(out.error);
    assert.equal(out.error!.range?.start.line, 0);
    assert.equal(existsSync(join(out.dir, 'nope.csv')), false);
  });
});
