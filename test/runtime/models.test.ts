// Model bookkeeping in the interpreter: eststo names (explicit, automatic, standalone), esttab
// model resolution, quietly, factor-variable regressors, lags as regressors, option errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run, runOk } from './helpers';

const ROOT = resolve(__dirname, '..', '..', '..');
const MPDTA = { 'mpdta.csv': readFileSync(join(ROOT, 'test', 'reference', 'data', 'mpdta.csv'), 'utf8') };
const PREP = `use "mpdta.csv"\nxtset countyreal year\ngen post = treat * (year >= first_treat)\n`;

describe('models', () => {
  it('eststo NAME:, eststo: (est1, est2) and standalone eststo NAME', async () => {
    const out = await runOk(
      PREP +
        `eststo a: reghdfe lemp post, absorb(countyreal year)
eststo: reghdfe lemp post, absorb(countyreal year) vce(robust)
reghdfe lemp post, absorb(countyreal year) vce(cluster countyreal)
eststo c
eststo: reghdfe lemp post, absorb(countyreal year)
esttab
`,
      MPDTA,
    );
    const names = out.results.filter((r) => r.kind === 'estimation').map((r: any) => r.name);
    assert.deepEqual(names, ['a', 'est1', 'c', 'est2']);
    const t = out.results.find((r) => r.kind === 'table') as any;
    assert.deepEqual(t.models, ['a', 'est1', 'c', 'est2']);
    assert.deepEqual(out.results.filter((r) => r.kind === 'estimation').map((r: any) => r.vcov.type), ['iid', 'robust', 'cluster', 'iid']);
  });

  it('esttab of an unknown model is an error at the name', async () => {
    const out = await run(PREP + 'eststo a: reghdfe lemp post, absorb(countyreal year)\nesttab a b\n', MPDTA);
    assert.match(out.error!.message, /no stored model named b/);
    assert.equal(out.error!.range?.start.line, 4);
    assert.equal(out.error!.range?.start.character, 9);
  });

  it('quietly marks the result; unknown options are errors at the option', async () => {
    const q = await runOk(PREP + 'quietly: summarize lemp\n', MPDTA);
    assert.equal((q.results[1] as any).quiet, true);
    const bad = await run(PREP + 'reghdfe lemp post, absorb(countyreal year) wibble\n', MPDTA);
    assert.match(bad.error!.message, /option wibble\(\) not allowed/);
    assert.equal(bad.error!.range?.start.character, 43);
  });

  it('i.year dummies and L.x regressors', async () => {
    const out = await runOk(PREP + 'reg lemp post i.year\nreghdfe lemp L.lemp post, absorb(countyreal)\n', MPDTA);
    const [m1, m2] = out.results.filter((r) => r.kind === 'estimation') as any[];
    assert.deepEqual(m1.coefficients.map((c: any) => c.term), ['post', '2004.year', '2005.year', '2006.year', '2007.year', '_cons']);
    assert.equal(m2.coefficients[0].term, 'L.lemp');
    assert.equal(m2.nobs, 2000); // the first year has no lag
  });

  it('c.a#c.b and i.a#c.b regressors equal the hand-built products', async () => {
    const out = await runOk(
      PREP +
        `reghdfe lemp post c.post#c.lpop, absorb(countyreal year)
gen pl = post * lpop
reghdfe lemp post pl, absorb(countyreal year)
reghdfe lemp i.treat#c.year, absorb(countyreal)
`,
      MPDTA,
    );
    const [a, b, c] = out.results.filter((r) => r.kind === 'estimation') as any[];
    assert.equal(a.coefficients[1].term, 'c.post#c.lpop');
    assert.ok(Math.abs(a.coefficients[1].estimate - b.coefficients[1].estimate) < 1e-10);
    assert.ok(Math.abs(a.coefficients[1].se - b.coefficients[1].se) < 1e-10);
    assert.deepEqual(c.coefficients.map((x: any) => x.term), ['0.treat#c.year', '1.treat#c.year']);
  });

  it('ib2006.year, ib(first).year, ib(last).year equal the same model with hand-built dummies', async () => {
    const out = await runOk(
      PREP +
        `reg lemp post ib2006.year
gen y2003 = year == 2003
gen y2004 = year == 2004
gen y2005 = year == 2005
gen y2007 = year == 2007
reg lemp post y2003 y2004 y2005 y2007
reg lemp post ib(first).year
reg lemp post i.year
reg lemp post ib(last).year
gen y2006 = year == 2006
reg lemp post y2003 y2004 y2005 y2006
reg lemp ib2005.year#c.lpop
`,
      MPDTA,
    );
    const [ib, hand, first, plain, last, handLast, inter] = out.results.filter((r) => r.kind === 'estimation') as any[];
    // Stata's names, base left out
    assert.deepEqual(ib.coefficients.map((c: any) => c.term), ['post', '2003.year', '2004.year', '2005.year', '2007.year', '_cons']);
    assert.deepEqual(last.coefficients.map((c: any) => c.term), ['post', '2003.year', '2004.year', '2005.year', '2006.year', '_cons']);
    const same = (a: any, b: any) => {
      assert.equal(a.coefficients.length, b.coefficients.length);
      a.coefficients.forEach((c: any, k: number) => {
        assert.ok(Math.abs(c.estimate - b.coefficients[k].estimate) < 1e-9, `${c.term} estimate`);
        assert.ok(Math.abs(c.se - b.coefficients[k].se) < 1e-9, `${c.term} se`);
      });
      assert.equal(a.nobs, b.nobs);
    };
    same(ib, hand);
    same(last, handLast);
    same(first, plain);
    assert.deepEqual(first.coefficients.map((c: any) => c.term), plain.coefficients.map((c: any) => c.term));
    // with a continuous part every level is kept, as with i.
    assert.deepEqual(inter.coefficients.map((c: any) => c.term), ['2003.year#c.lpop', '2004.year#c.lpop', '2005.year#c.lpop', '2006.year#c.lpop', '2007.year#c.lpop', '_cons']);
  });

  it('in 1/500, in -500/l, in f/l on estimation equal the same model with if on _n', async () => {
    const out = await runOk(
      PREP +
        `reg lemp post in 1/500
gen n = _n
reg lemp post if n <= 500
reghdfe lemp post in -500/l, absorb(countyreal)
reghdfe lemp post if n > _N - 500, absorb(countyreal)
reg lemp post in f/l
reg lemp post
summarize lemp in 11/20
summarize lemp if inrange(n, 11, 20)
`,
      MPDTA,
    );
    const [a, b, c, d, e, f] = out.results.filter((r) => r.kind === 'estimation') as any[];
    for (const [x, y, nobs] of [[a, b, 500], [c, d, 500], [e, f, 2500]] as const) {
      assert.equal(x.nobs, nobs);
      assert.equal(y.nobs, nobs);
      x.coefficients.forEach((k: any, i: number) => {
        assert.ok(Math.abs(k.estimate - y.coefficients[i].estimate) < 1e-10, k.term);
        assert.ok(Math.abs(k.se - y.coefficients[i].se) < 1e-10, k.term);
      });
    }
    const [s1, s2] = out.results.filter((r) => r.kind === 'summary') as any[];
    assert.equal(s1.rows[0].n, 10);
    assert.deepEqual(s1.rows, s2.rows);
  });

  it('keep in, drop in, gen ... in; a range past the data is an error', async () => {
    const out = await runOk(PREP + 'keep in 1/20\ndrop in -5/l\ngen first3 = 1 in f/3\n', MPDTA);
    const t = out.session.data!;
    assert.equal(t.nrows, 15);
    const v = (t.get('first3') as any).values as Float64Array;
    assert.deepEqual(Array.from(v.slice(0, 4)), [1, 1, 1, NaN]);
    const bad = await run(PREP + 'summarize lemp in 2400/2600\n', MPDTA);
    assert.equal(bad.error?.message, 'observation numbers out of range: in 2400/2600 with 2500 observations');
    assert.equal(bad.error?.range?.start.character, 15);
  });

  it('a base level the data lacks is an error on the term', async () => {
    const bad = await run(PREP + 'reg lemp post ib1999.year\n', MPDTA);
    assert.equal(bad.error?.message, 'ib1999.year: year has no level 1999');
    assert.equal(bad.error?.range?.start.line, 3);
    assert.equal(bad.error?.range?.start.character, 14);
  });

  it('reghdfe without absorb() and did without fe() or xtset are clear errors', async () => {
    const a = await run(PREP + 'reghdfe lemp post\n', MPDTA);
    assert.match(a.error!.message, /absorb/);
    const b = await run('use "mpdta.csv"\ndid lemp treat\n', MPDTA);
    assert.match(b.error!.message, /fe\(VARLIST\)/);
    assert.equal(b.error!.range?.start.line, 1);
  });
});
