// Heterogeneity-robust DID through the CLI (`panelspec run ... --json`): eventstudy estimator(sunab)
// and estimator(bjs), did_imputation and bacondecomp against the R references (fixest sunab,
// didimputation 0.4.0, bacondecomp 0.1.3), the Bacon plot from graph export, and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { close, loadCase, PREP, runSpecText } from './helpers';

function near(a: number, b: number, what: string): void {
  assert.ok(close(a, b), `${what}: ${a} vs ${b}`);
}

type Row = { term: string; estimate: number; 'std.error': number; 'conf.low': number; 'conf.high': number };

const mp = runSpecText(
  PREP +
    `eststo sa: eventstudy lemp, treat(first_treat) fe(countyreal year) cluster(countyreal) estimator(sunab)
eventstudy lemp, treat(first_treat) fe(countyreal year) estimator(bjs) window(-3 3)
eventstudy lemp, treat(first_treat) fe(countyreal year) estimator(bjs)
did_imputation lemp countyreal year first_treat
did_imputation lemp countyreal year first_treat, horizons(0 3) pretrends(3)
did_imputation lemp first_treat, horizons(0 3) pretrends(4)
eventstudy lemp, treat(first_treat) fe(countyreal year) cluster(countyreal)
bacondecomp lemp post
graph export "bacon.svg"
`,
  { datasets: ['mpdta.csv'] },
);
const results = (mp.json?.results ?? []) as any[];
const at = (line: number): any => results.find((r) => r.line === line);

test('the hrdid spec runs cleanly', () => {
  assert.equal(mp.status, 0, mp.stderr);
  assert.equal(mp.stderr, '');
});

test('estimator(sunab) reproduces fixest sunab() on mpdta: every period, the ATT and every cell', () => {
  const ref = loadCase('mpdta_sunab').results;
  const r = at(4);
  assert.equal(r.command, 'eventstudy');
  assert.equal(r.estimator, 'sunab');
  assert.equal(r.name, 'sa');
  assert.deepEqual(r.event_time.map((e: any) => e.k), [-4, -3, -2, -1, 0, 1, 2, 3]);
  for (const e of r.event_time) {
    if (e.k === -1) {
      assert.deepEqual([e.estimate, e.se], [0, 0]);
      continue;
    }
    const c = ref.coefficients[`year::${e.k}`];
    near(e.estimate, c.estimate, `k=${e.k}`);
    near(e.se, c.std_error, `k=${e.k} se`);
    near(e.ci_low, c.ci_low, `k=${e.k} ci_low`);
    near(e.ci_high, c.ci_high, `k=${e.k} ci_high`);
    const coef = r.coefficients.find((x: any) => x.term === e.term);
    near(coef.t, c.t, `k=${e.k} t`);
    near(coef.p, c.p_value, `k=${e.k} p`);
  }
  near(r.att.estimate, ref.aggregate_ATT.estimate, 'ATT');
  near(r.att.se, ref.aggregate_ATT.std_error, 'ATT se');
  near(r.att.t, ref.aggregate_ATT.t, 'ATT t');
  near(r.att.p, ref.aggregate_ATT.p_value, 'ATT p');
  assert.equal(r.cohort_cells.length, 12);
  for (const c of r.cohort_cells) {
    const d = ref.disaggregated.coefficients[`year::${c.k}:cohort::${c.cohort}`];
    near(c.estimate, d.estimate, `cell ${c.k}/${c.cohort}`);
    near(c.se, d.std_error, `cell ${c.k}/${c.cohort} se`);
  }
  assert.equal(r.nobs, ref.nobs);
  assert.deepEqual(r.vcov.n_clusters, [ref.n_clusters.countyreal]);
  near(r.r2, ref.r2, 'r2');
});

test('estimator(sunab) with a control reproduces fixest on base_stagg (never treated coded 10000)', () => {
  const ref = loadCase('base_stagg_sunab').results;
  const run = runSpecText('use "base_stagg.csv"\nxtset id year\neventstudy y x1, treat(year_treated) fe(id year) cluster(id) estimator(sunab)\n', { datasets: ['base_stagg.csv'] });
  assert.equal(run.status, 0, run.stderr);
  const r = run.json.results.find((x: any) => x.line === 3);
  const ks = r.event_time.map((e: any) => e.k);
  assert.deepEqual(ks, [...Array.from({ length: 8 }, (_, j) => j - 9), -1, ...Array.from({ length: 9 }, (_, j) => j)]);
  for (const e of r.event_time) {
    if (e.k === -1) continue;
    const c = ref.coefficients[`year::${e.k}`];
    near(e.estimate, c.estimate, `k=${e.k}`);
    near(e.se, c.std_error, `k=${e.k} se`);
  }
  const x1 = r.coefficients.find((c: any) => c.term === 'x1');
  near(x1.estimate, ref.coefficients.x1.estimate, 'x1');
  near(x1.se, ref.coefficients.x1.std_error, 'x1 se');
  near(r.att.estimate, ref.aggregate_ATT.estimate, 'ATT');
  near(r.att.se, ref.aggregate_ATT.std_error, 'ATT se');
  assert.equal(r.cohort_cells.length, 81);
});

/** event_time rows (bjs) or coefficient rows (did_imputation) against one didimputation table */
function checkTable(rows: Map<string, any>, table: Row[], what: string): void {
  assert.deepEqual([...rows.keys()].sort(), table.map((t) => t.term).sort(), what);
  for (const t of table) {
    const x = rows.get(t.term);
    near(x.estimate, t.estimate, `${what} ${t.term}`);
    near(x.se, t['std.error'], `${what} ${t.term} se`);
    near(x.ci_low, t['conf.low'], `${what} ${t.term} ci_low`);
    near(x.ci_high, t['conf.high'], `${what} ${t.term} ci_high`);
  }
}

const bjs = loadCase('mpdta_bjs').results;

test('estimator(bjs) window(-3 3) is didimputation horizon 0..3 with pretrends -3..-1; att is the static tau', () => {
  const r = at(5);
  assert.equal(r.estimator, 'bjs');
  assert.deepEqual(r.event_time.map((e: any) => e.k), [-3, -2, -1, 0, 1, 2, 3]);
  checkTable(new Map(r.event_time.map((e: any) => [String(e.k), e])), bjs.horizon.table, 'horizon');
  const st: Row = bjs.static.table[0];
  near(r.att.estimate, st.estimate, 'att');
  near(r.att.se, st['std.error'], 'att se');
  assert.equal(r.ref, null);
});

test('estimator(bjs) without window uses every lead: -1 is the collinear reference row at 0', () => {
  const r = at(6);
  assert.deepEqual(r.event_time.map((e: any) => e.k), [-4, -3, -2, -1, 0, 1, 2, 3]);
  const refRow = r.event_time.find((e: any) => e.k === -1);
  assert.deepEqual([refRow.estimate, refRow.se], [0, 0]);
  assert.equal(r.ref, -1);
  const rows = new Map<string, any>(r.event_time.filter((e: any) => e.k !== -1).map((e: any) => [String(e.k), e]));
  checkTable(rows, bjs.horizon_all_pretrends.table, 'all leads');
});

test('did_imputation: static tau, horizons with leads, and the pre-trend F from the lead regression', () => {
  const s = at(7);
  assert.equal(s.command, 'did_imputation');
  assert.deepEqual(s.coefficients.map((c: any) => c.term), ['tau']);
  checkTable(new Map([['treat', s.coefficients[0]]]), bjs.static.table, 'static');
  assert.deepEqual(s.vcov, { type: 'cluster', clusters: ['countyreal'], n_clusters: [500] });
  assert.equal(s.nobs, bjs.sample.n_obs);
  assert.equal(s.n_treated, bjs.sample.n_treated_obs);

  const h = at(8);
  assert.deepEqual(h.coefficients.map((c: any) => c.term), ['tau0', 'tau1', 'tau2', 'tau3', 'pre1', 'pre2', 'pre3']);
  const byTerm = new Map<string, any>(h.coefficients.map((c: any) => [c.term.startsWith('pre') ? `-${c.term.slice(3)}` : c.term.slice(3), c]));
  checkTable(byTerm, bjs.horizon.table, 'did_imputation horizon');
  const fit = bjs.pretrend_regression.pretrends_3.fit;
  for (const c of h.coefficients.filter((x: any) => x.term.startsWith('pre'))) {
    const f = fit.coefficients[`event_time::-${c.term.slice(3)}`];
    near(c.t, f.t, `${c.term} t`);
    near(c.p, f.p_value, `${c.term} p`);
  }
  // Wald F of the three leads from the reference's own coefficients and VCOV (Gauss-Jordan)
  const names: string[] = fit.coef_order;
  const b = names.map((t) => fit.coefficients[t].estimate);
  const M = fit.vcov.map((row: number[], i: number) => [...row, b[i]]);
  for (let c = 0; c < 3; c++) {
    const pv = M[c][c];
    for (let j = c; j <= 3; j++) M[c][j] /= pv;
    for (let rr = 0; rr < 3; rr++) if (rr !== c) { const f = M[rr][c]; for (let j = c; j <= 3; j++) M[rr][j] -= f * M[c][j]; }
  }
  near(h.pretrend.f, b.reduce((s2, bi, i) => s2 + bi * M[i][3], 0) / 3, 'pretrend F');
  assert.equal(h.pretrend.df, 3);
  assert.ok(h.pretrend.p > 0 && h.pretrend.p < 1);

  const a = at(9);
  assert.deepEqual(a.coefficients.map((c: any) => c.term), ['tau0', 'tau1', 'tau2', 'tau3', 'pre2', 'pre3', 'pre4']);
  assert.deepEqual(a.omitted, [{ term: 'pre1', reason: 'collinear' }]);
  const byTerm2 = new Map<string, any>(a.coefficients.map((c: any) => [c.term.startsWith('pre') ? `-${c.term.slice(3)}` : c.term.slice(3), c]));
  checkTable(byTerm2, bjs.horizon_all_pretrends.table, 'did_imputation all leads');
});

test('eventstudy without estimator() is the TWFE event study and says so', () => {
  const r = at(10);
  assert.equal(r.estimator, 'twfe');
  const ref = loadCase('mpdta_es_twfe').results;
  for (const e of r.event_time) if (e.k !== -1) near(e.estimate, ref.coefficients[`rel_time::${e.k}`].estimate, `twfe k=${e.k}`);
  assert.equal(r.att, undefined);
});

test('bacondecomp reproduces bacondecomp: nine 2x2s in order, weights, TWFE; graph export draws them', () => {
  const ref = loadCase('mpdta_bacon').results;
  const r = at(11);
  assert.equal(r.kind, 'bacon');
  near(r.twfe, ref.twfe_post, 'twfe');
  assert.equal(r.two_by_twos.length, 9);
  r.two_by_twos.forEach((x: any, j: number) => {
    const e = ref.two_by_twos[j];
    assert.deepEqual([x.treated, x.untreated, x.type], [e.treated, e.untreated, e.type], `row ${j}`);
    near(x.estimate, e.estimate, `row ${j} estimate`);
    near(x.weight, e.weight, `row ${j} weight`);
  });
  near(r.two_by_twos.reduce((s: number, x: any) => s + x.weight * x.estimate, 0), ref.weighted_sum, 'weighted sum');
  for (const bt of ref.by_type) {
    const t = r.by_type.find((x: any) => x.type === bt.type);
    near(t.weight, bt.total_weight, `${bt.type} weight`);
    near(t.avg_estimate, bt.avg_estimate, `${bt.type} average`);
  }
  const g = at(12);
  assert.deepEqual([g.kind, g.plot, g.source_line], ['graph', 'bacon', 11]);
  const svgPath = join(mp.dir, 'bacon.svg');
  assert.ok(existsSync(svgPath));
  const svg = readFileSync(svgPath, 'utf8');
  assert.equal((svg.match(/class="ps-point"/g) ?? []).length, 9 + 3, 'nine comparisons plus three legend markers');
  for (const t of ['Treated vs Untreated', 'Earlier vs Later Treated', 'Later vs Earlier Treated']) assert.ok(svg.includes(t), t);
  assert.ok(!svg.includes('Later vs Always Treated'));
});

test('text output shows the Bacon table, the ATT and the imputation notes', () => {
  const run = runSpecText(PREP + 'eventstudy lemp, treat(first_treat) fe(countyreal year) cluster(countyreal) estimator(sunab)\ndid_imputation lemp countyreal year first_treat, pretrends(2)\nbacondecomp lemp post\n', { datasets: ['mpdta.csv'], json: false });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /Event study \(Sun-Abraham\): lemp/);
  assert.match(run.stdout, /Overall ATT: -0\.0400 \(SE 0\.0118\)/);
  assert.match(run.stdout, /pre1\.\.: leads from the regression on untreated rows; joint test F\(2, 499\)/);
  assert.match(run.stdout, /2007 vs never treated\s+Treated vs Untreated\s+-0\.0431\s+0\.5357/);
  assert.match(run.stdout, /TWFE estimate -0\.0365/);
});

const BAD: { name: string; body: string; status: number; message: RegExp }[] = [
  { name: 'unknown estimator (checker)', body: 'eventstudy lemp, treat(first_treat) fe(countyreal year) estimator(sunib)', status: 1, message: /:4:67: error: option estimator\(sunib\) is not one of: twfe, sunab, cs, bjs/ },
  { name: 'bjs with weights', body: 'eventstudy lemp [aw=lpop], treat(first_treat) fe(countyreal year) estimator(bjs)', status: 2, message: /:4:\d+: error: estimator\(bjs\) does not take weights/ },
  { name: 'three variables (checker)', body: 'did_imputation lemp countyreal year', status: 1, message: /:4:1: error: did_imputation takes 2 or 4 variables \(did_imputation DEPVAR UNIT TIME ADOPTVAR\), found 3/ },
  { name: 'leads beyond the data', body: 'did_imputation lemp countyreal year first_treat, pretrends(5)', status: 2, message: /:4:1: error: pretrends\(5\): no untreated observation at event time -5/ },
  { name: 'negative horizons (checker)', body: 'did_imputation lemp countyreal year first_treat, horizons(-1 3)', status: 1, message: /:4:59: error: option horizons\(\) must be at least 0, found -1/ },
  { name: 'two cluster variables (checker)', body: 'did_imputation lemp countyreal year first_treat, cluster(countyreal year)', status: 1, message: /:4:\d+: error: too many arguments in cluster\(\): expected one variable/ },
  { name: 'bjs with controls', body: 'eventstudy lemp lpop, treat(first_treat) fe(countyreal year) estimator(bjs)', status: 2, message: /:4:1: error: estimator\(bjs\) takes no control variables/ },
  { name: 'bjs window before adoption', body: 'eventstudy lemp, treat(first_treat) fe(countyreal year) estimator(bjs) window(-3 -1)', status: 2, message: /:4:\d+: error: estimator\(bjs\): window\(-3 -1\) has no post-treatment period/ },
  { name: 'unbalanced panel', body: 'bacondecomp lemp post if !(countyreal == 8001 & year == 2005)', status: 2, message: /:4:1: error: bacondecomp needs a balanced panel: countyreal 8001 has no row at year = 2005/ },
  { name: 'treatment switching off', body: 'gen d = post * (year != 2007)\nbacondecomp lemp d', status: 2, message: /:5:1: error: bacondecomp: d switches off: countyreal \d+ is treated from year = \d+ but not at 2007/ },
  { name: 'non-binary treatment', body: 'bacondecomp lemp first_treat', status: 2, message: /:4:1: error: bacondecomp: first_treat must be 0 or 1/ },
];

for (const b of BAD) {
  test(`bad input: ${b.name}`, () => {
    const run = runSpecText(PREP + b.body + '\n', { datasets: ['mpdta.csv'] });
    assert.equal(run.status, b.status, run.stderr);
    assert.match(run.stderr, b.message);
    assert.ok(!/\n\s+at /.test(run.stderr), 'no stack trace');
  });
}

test('bacondecomp without xtset is an error at the command', () => {
  const run = runSpecText('use "mpdta.csv"\ngen post = treat * (year >= first_treat)\nbacondecomp lemp post\n', { datasets: ['mpdta.csv'] });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /spec\.pspec:3:1: error: bacondecomp needs the panel: xtset UNIT TIME first/);
});

test('bacondecomp on the divorce panel (always-treated states, string ids): the 2x2s add up to reghdfe', () => {
  const run = runSpecText(
    'use "divorce.csv"\nkeep if sex == 2\nxtset st year\nbacondecomp suiciderate_elast_jag unilateral\nreghdfe suiciderate_elast_jag unilateral, absorb(st year)\n',
    { datasets: ['divorce.csv'] },
  );
  assert.equal(run.status, 0, run.stderr);
  const b = run.json.results.find((r: any) => r.kind === 'bacon');
  const m = run.json.results.find((r: any) => r.command === 'reghdfe');
  const beta = m.coefficients.find((c: any) => c.term === 'unilateral').estimate;
  near(b.twfe, beta, 'bacon twfe vs reghdfe');
  near(b.two_by_twos.reduce((s: number, x: any) => s + x.weight * x.estimate, 0), beta, 'weighted sum vs reghdfe');
  assert.ok(Math.abs(b.two_by_twos.reduce((s: number, x: any) => s + x.weight, 0) - 1) < 1e-12);
  const always = b.two_by_twos.filter((x: any) => x.type === 'Later vs Always Treated');
  assert.ok(always.length > 0 && always.every((x: any) => x.untreated === 'always'));
  assert.ok(b.two_by_twos.every((x: any) => x.weight > 0 && Number.isFinite(x.estimate)));
});
