// The runtime resolves commands and options through the grammar's registry: every command the
// registry declares (except prefixes) has a handler, abbreviations and aliases work, unknown
// options are errors at the option; results report the registry's `reportAs` name.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allCommands } from '../../grammar/src/commands';
import { commandSpec, handlerFor, reportedName } from '../../server/src/runtime/commands/registry';
import { stripEnclosingQuotes } from '../../server/src/runtime/commands/data';
import { run, runOk } from './helpers';

const ROOT = resolve(__dirname, '..', '..', '..');
const MPDTA = { 'mpdta.csv': readFileSync(join(ROOT, 'test', 'reference', 'data', 'mpdta.csv'), 'utf8') };
const PREP = `use "mpdta.csv"\nxtset countyreal year\ngen post = treat * (year >= first_treat)\n`;

describe('runtime command registry', () => {
  it('every non-prefix command of the grammar registry has a handler; prefixes have none', () => {
    for (const c of allCommands()) {
      if (c.prefix) assert.equal(handlerFor(c), undefined, c.name);
      else assert.equal(typeof handlerFor(c), 'function', `no handler for ${c.name}`);
    }
  });

  it('names resolve with Stata abbreviations, case-sensitive as Stata, and report the contract name', () => {
    assert.equal(commandSpec('reg')?.name, 'regress');
    assert.equal(commandSpec('REG'), undefined); // Stata: command REG is unrecognized
    assert.equal(commandSpec('su')?.name, 'summarize');
    assert.equal(commandSpec('gr')?.name, 'graph');
    assert.equal(commandSpec('g')?.name, 'generate');
    assert.equal(commandSpec('nosuch'), undefined);
    assert.equal(reportedName(commandSpec('regress')!), 'reg');
    assert.equal(reportedName(commandSpec('areg')!), 'reg');
    assert.equal(reportedName(commandSpec('ivreg2')!), 'ivreghdfe');
    assert.equal(reportedName(commandSpec('did')!), 'did');
  });

  it('option abbreviations come from the registry (a() cl() vce(r) nocons keepsin tol())', async () => {
    const out = await runOk(
      PREP +
        `reghdfe lemp post, a(countyreal year) cl(countyreal) tol(1e-10) maxit(500)
reghdfe lemp post, absorb(countyreal year) vce(r) keepsin
areg lemp post, a(countyreal) vce(r)
`,
      MPDTA,
    );
    const est = out.results.filter((r) => r.kind === 'estimation') as any[];
    assert.deepEqual(est.map((r) => r.vcov.type), ['cluster', 'robust', 'robust']);
    assert.deepEqual(est.map((r) => r.command), ['reghdfe', 'reghdfe', 'reg']);
    assert.equal(est[0].vcov.n_clusters[0], 500);
    assert.deepEqual(est[2].fixed_effects.map((f: any) => f.name), ['countyreal']);
  });

  it('an unknown option is an error at the option; a handled-twice option too', async () => {
    const a = await run(PREP + 'reghdfe lemp post, absorb(countyreal year) bogus\n', MPDTA);
    assert.match(a.error!.message, /option bogus\(\) not allowed with reghdfe/);
    assert.equal(a.error!.range!.start.line, 3);
    assert.equal(a.error!.range!.start.character, 'reghdfe lemp post, absorb(countyreal year) '.length);
    const b = await run(PREP + 'reghdfe lemp post, absorb(countyreal) a(year)\n', MPDTA);
    assert.match(b.error!.message, /option absorb\(\) given twice/);
  });

  it('placebo options resolve through the registry (rep/uni/see abbreviations)', async () => {
    const full = await runOk(PREP + 'placebo reps(3) units(50) seed(7): did lemp post, fe(countyreal year)\n', MPDTA);
    const short = await runOk(PREP + 'placebo rep(3) uni(50) see(7): did lemp post, fe(countyreal year)\n', MPDTA);
    const draws = (o: typeof full) => (o.results.find((r) => r.kind === 'placebo') as any).draws;
    assert.equal(draws(full).length, 3);
    assert.deepEqual(draws(short), draws(full));
    const bad = await run(PREP + 'placebo reps(3) bogus(1): did lemp post, fe(countyreal year)\n', MPDTA);
    assert.match(bad.error!.message, /option bogus\(\) not allowed with placebo/);
  });

  it('esttab decimals() and fmt(%9.4f) set the decimals of the written table', async () => {
    const out = await runOk(
      PREP +
        `eststo m: reghdfe lemp post, absorb(countyreal year)
esttab m using "a.md", decimals(2)
esttab m using "b.md", fmt(%9.5f)
`,
      MPDTA,
    );
    const a = readFileSync(join(out.dir, 'a.md'), 'utf8');
    const b = readFileSync(join(out.dir, 'b.md'), 'utf8');
    const m = out.results.find((r) => r.kind === 'estimation') as any;
    const est = m.coefficients[0].estimate as number;
    assert.ok(a.includes(est.toFixed(2)), a);
    assert.ok(!a.includes(est.toFixed(3)));
    assert.ok(b.includes(est.toFixed(5)), b);
  });
});

describe('global quotes', () => {
  it('one enclosing pair of quotes is stripped, plain or compound', () => {
    assert.equal(stripEnclosingQuotes('"Table 3"'), 'Table 3');
    assert.equal(stripEnclosingQuotes('`"A "quoted" title"\''), 'A "quoted" title');
    assert.equal(stripEnclosingQuotes('a b'), 'a b');
    assert.equal(stripEnclosingQuotes('"a" "b"'), 'a" "b'); // as Stata: the outer pair only
  });

  it('a quoted global expands to its words, in terms, strings and expressions', async () => {
    const out = await runOk(
      PREP +
        `global t "Table 3"
global c \`"year >= 2006"'
global fe "countyreal year"
keep if $c
gen s = "$t"
eststo m: reghdfe lemp post, absorb($fe)
esttab m, title($t)
`,
      MPDTA,
    );
    assert.equal(out.session.data!.nrows, 1000); // mpdta: 2006 and 2007
    const s = out.session.data!.get('s')!;
    assert.equal(s.kind, 'string');
    assert.deepEqual((s as any).levels, ['Table 3']);
    assert.equal((out.results.find((r) => r.kind === 'table') as any).title, 'Table 3');
  });
});
