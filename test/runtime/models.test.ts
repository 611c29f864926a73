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

  it('reghdfe without absorb() and did without fe() or xtset are clear errors', async () => {
    const a = await run(PREP + 'reghdfe lemp post\n', MPDTA);
    assert.match(a.error!.message, /absorb/);
    const b = await run('use "mpdta.csv"\ndid lemp treat\n', MPDTA);
    assert.match(b.error!.message, /fe\(VARLIST\)/);
    assert.equal(b.error!.range?.start.line, 1);
  });
});
