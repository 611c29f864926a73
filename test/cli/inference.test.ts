// Inference through the CLI JSON: Driscoll-Kraay (mpdta_dk), boottest (trade_wcb_enum, fwildclusterboot),
// estimates restore, ritest (against refitting the same permutations with the plain estimator), esttab's
// p_boot/ci_boot rows, and the messages for bad input.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { close, loadCase, PREP, runSpecText } from './helpers';

function check(label: string, actual: unknown, expected: number, rel = 1e-6): void {
  assert.equal(typeof actual, 'number', `${label}: missing (expected ${expected})`);
  assert.ok(close(actual as number, expected, rel), `${label}: ${actual} vs reference ${expected}`);
}

const TRADE = `use "trade.csv"
gen lEuros = log(Euros)
gen ldist = log(dist_km)
eststo grav: reghdfe lEuros ldist, absorb(Destination Product Year) vce(cluster Origin)
`;

describe('Driscoll-Kraay standard errors (mpdta_dk, fixest DK(2))', () => {
  it('reghdfe vce(dkraay 2) and did dkraay(2) match fixest to 1e-6', () => {
    const ref = loadCase('mpdta_dk').results;
    const r = runSpecText(`${PREP}reghdfe lemp post, absorb(countyreal year) vce(dkraay 2)\ndid lemp post, fe(countyreal year) dkraay(2)\n`, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const models = r.json.results.filter((x: any) => x.kind === 'estimation');
    assert.equal(models.length, 2);
    for (const m of models) {
      assert.deepEqual(m.vcov, { type: 'dkraay', clusters: [], n_clusters: [], lags: 2, time: 'year', periods: 5 });
      const c = m.coefficients[0];
      const e = ref.coefficients.post;
      check('estimate', c.estimate, e.estimate);
      check('se', c.se, e.std_error);
      check('t', c.t, e.t);
      check('p', c.p, e.p_value);
      check('ci_low', c.ci_low, e.ci_low);
      check('ci_high', c.ci_high, e.ci_high);
      assert.equal(m.df_resid, ref.df_resid);
    }
  });

  it('a lag of at least the number of periods, and no xtset, are clear errors', () => {
    const r = runSpecText(`${PREP}reghdfe lemp post, absorb(countyreal year) vce(dkraay 5)\n`, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /spec\.pspec:4:\d+: error: Driscoll-Kraay lag 5 must be a whole number from 0 to 4 \(the sample has 5 periods of year\)/);
    const r2 = runSpecText(`use "mpdta.csv"\nreg lemp treat, vce(dkraay 1)\n`, { datasets: ['mpdta.csv'] });
    assert.equal(r2.status, 2);
    assert.match(r2.stderr, /need the panel time variable: xtset UNIT TIME first/);
  });
});

describe('boottest (trade_wcb_enum, fwildclusterboot 0.14.3)', () => {
  it('WCR and WCU under full enumeration: t, p and the test-inversion CI', () => {
    const ref = loadCase('trade_wcb_enum').results;
    const r = runSpecText(`${TRADE}boottest ldist, reps(40000)\nboottest ldist, reps(40000) nonull seed(99)\n`, { datasets: ['trade.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const bt = r.json.results.filter((x: any) => x.kind === 'boottest');
    for (const [b, key, nullImposed] of [[bt[0], 'wcr_enum_impose_null', true], [bt[1], 'wcu_enum_no_null', false]] as const) {
      const e = ref[key];
      assert.equal(b.model, 'grav');
      assert.equal(b.term, 'ldist');
      assert.equal(b.enumerated, true);
      assert.equal(b.reps, e.B_used);
      assert.equal(b.weighttype, 'rademacher');
      assert.equal(b.null_imposed, nullImposed);
      assert.equal(b.n_clusters, 15);
      check(`${key} t`, b.t, e.t_stat);
      assert.equal(b.p_value, e.p_val, `${key} p`);
      check(`${key} ci_low`, b.ci_low, e.conf_int[0]);
      check(`${key} ci_high`, b.ci_high, e.conf_int[1]);
    }
  });

  it('Webb weights: within Monte-Carlo error of fwildclusterboot; estimates restore makes a stored model current', () => {
    const e = loadCase('trade_wcb_enum').results.webb_random_impose_null;
    const r = runSpecText(`${TRADE}reg lEuros ldist\nestimates restore grav\nboottest ldist, reps(9999) weighttype(webb) seed(1)\nesttab grav, scalars(p_boot ci_boot)\n`, { datasets: ['trade.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const b = r.json.results.find((x: any) => x.kind === 'boottest');
    assert.equal(b.model, 'grav');
    assert.equal(b.enumerated, false);
    assert.equal(b.reps, 9999);
    check('t', b.t, e.t_stat);
    assert.ok(Math.abs(b.p_value - e.p_val) < 4 * Math.sqrt((e.p_val * (1 - e.p_val)) / 9999), `p ${b.p_value} vs ${e.p_val}`);
    assert.ok(Math.abs(b.ci_low - e.conf_int[0]) < 0.05 && Math.abs(b.ci_high - e.conf_int[1]) < 0.05, `ci ${b.ci_low} ${b.ci_high}`);
    // esttab shows the bootstrap p and interval with the model
    const text = runSpecText(`${TRADE}boottest ldist, reps(9999) weighttype(webb) seed(1)\nesttab grav, scalars(p_boot ci_boot)\n`, { datasets: ['trade.csv'], json: false });
    assert.match(text.stdout, new RegExp(`Wild bootstrap p\\s+${b.p_value.toFixed(4)}`));
    assert.match(text.stdout, new RegExp(`Wild bootstrap CI\\s+\\[${b.ci_low.toFixed(4)}, ${b.ci_high.toFixed(4)}\\]`));
    assert.match(text.stdout, /boottest ldist \(model grav\): wild cluster bootstrap-t, null imposed \(WCR\), Webb weights, 9,999 draws, 15 clusters of Origin/);
  });

  it("after eventstudy and did: boottest's t is the model's t rescaled by sqrt((N - k)/(N - K))", () => {
    const r = runSpecText(
      `${PREP}eventstudy lemp lpop, treat(first_treat) window(-3 3) fe(countyreal year) cluster(countyreal)\nboottest _k_0, reps(99)\ndid lemp post lpop, fe(countyreal year) cluster(countyreal)\nboottest post, reps(99) nonull\n`,
      { datasets: ['mpdta.csv'] },
    );
    assert.equal(r.status, 0, r.stderr);
    const models = r.json.results.filter((x: any) => x.kind === 'estimation');
    const boots = r.json.results.filter((x: any) => x.kind === 'boottest');
    for (const [i, term] of [[0, '_k_0'], [1, 'post']] as const) {
      const m = models[i];
      const b = boots[i];
      const c = m.coefficients.find((x: any) => x.term === term);
      const k = m.coefficients.length; // non-FE coefficients (no constant reported)
      check(`${term} t`, b.t, c.t * Math.sqrt((m.nobs - k) / (m.nobs - m.df_k)), 1e-9);
      check(`${term} estimate`, b.estimate, c.estimate, 1e-12);
      assert.equal(b.n_clusters, 500);
    }
  });

  it('enumeration does not depend on the seed', () => {
    const r = runSpecText(`${TRADE}boottest ldist, reps(40000) seed(1)\nboottest ldist, reps(50000) seed(777)\n`, { datasets: ['trade.csv'] });
    const [a, b] = r.json.results.filter((x: any) => x.kind === 'boottest');
    for (const k of ['t', 'p_value', 'ci_low', 'ci_high', 'reps']) assert.equal(a[k], b[k], k);
  });

  it('bad input: clear messages', () => {
    const cases: [string, RegExp][] = [
      ['boottest post\n', /spec\.pspec:4:1: error: boottest: no estimation results yet/],
      ['reghdfe lemp post, absorb(countyreal year) cluster(countyreal)\nboottest lpop\n', /boottest: lpop is not in the model \(its coefficients: post\)/],
      ['reghdfe lemp post, absorb(countyreal year) cluster(countyreal)\nboottest post, reps(0)\n', /spec\.pspec:5:21: error: option reps\(\) must be between 1 and 100,000, found 0/],
      ['reghdfe lemp post, absorb(countyreal year) cluster(countyreal)\nboottest post, reps(-5)\n', /option reps\(\) must be between 1 and 100,000, found -5/],
      ['reghdfe lemp post, absorb(countyreal year) cluster(countyreal)\nboottest post, level(120)\n', /option level\(\) must be between 10 and 99\.99, found 120/],
      ['reghdfe lemp post, absorb(countyreal year) cluster(countyreal)\nboottest post, weighttype(gamma)\n', /weighttype\(gamma\): use rademacher, webb, mammen or normal/],
      ['reghdfe lemp post, absorb(countyreal year)\nboottest post\n', /the model is not clustered: give the bootstrap clusters with cluster\(VAR\)/],
      ['gen one = 1\nreghdfe lemp post, absorb(countyreal year) cluster(countyreal)\nboottest post, cluster(one)\n', /one has a single cluster in the estimation sample/],
      ['estimates restore nope\n', /estimates restore: no stored model named nope/],
      ['reghdfe lemp post treat, absorb(countyreal year) cluster(countyreal)\nboottest treat\n', /boottest: treat was omitted from the model \(collinear\)/],
    ];
    for (const [body, re] of cases) {
      const r = runSpecText(PREP + body, { datasets: ['mpdta.csv'] });
      assert.notEqual(r.status, 0, body);
      assert.match(r.stderr, re, body);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    // few clusters: a warning, not an error
    const r = runSpecText(`${PREP}reghdfe lemp post, absorb(countyreal year) cluster(countyreal)\nboottest post, cluster(year)\n`, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const b = r.json.results.find((x: any) => x.kind === 'boottest');
    assert.equal(b.n_clusters, 5);
    assert.equal(b.enumerated, true);
    assert.equal(b.reps, 32);
    assert.match(b.warnings[0], /only 5 clusters: 32 distinct Rademacher sign vectors/);
  });
});

describe('boottest after two-way clustering (Cameron-Gelbach-Miller, fwildclusterboot conventions)', () => {
  it('reghdfe vce(cluster c1 c2), did cluster(c1 c2) and boottest cluster(c1 c2) give the same test; bootcluster() sets the draws', () => {
    const r = runSpecText(
      `${PREP}reghdfe lemp post lpop, absorb(countyreal year) vce(cluster countyreal first_treat)\nboottest post, reps(199) seed(4)\n` +
        `did lemp post lpop, fe(countyreal year) cluster(countyreal first_treat)\nboottest post, reps(199) seed(4)\n` +
        `reghdfe lemp post lpop, absorb(countyreal year) cluster(countyreal)\nboottest post, reps(199) seed(4) cluster(countyreal first_treat)\n` +
        `boottest post, reps(199) seed(4) cluster(countyreal first_treat) bootcluster(first_treat)\n`,
      { datasets: ['mpdta.csv'] },
    );
    assert.equal(r.status, 0, r.stderr);
    const [a, b, c, d] = r.json.results.filter((x: any) => x.kind === 'boottest');
    for (const x of [a, b, c]) {
      assert.equal(x.cluster, 'countyreal first_treat');
      assert.equal(x.bootcluster, 'countyreal#first_treat');
      // counties are nested in their adoption cohort: the intersection is the county
      assert.equal(x.n_clusters, 500);
      assert.equal(x.reps, 199);
    }
    for (const k of ['estimate', 'se', 't', 'p_value', 'ci_low', 'ci_high']) {
      assert.equal(b[k], a[k], `did vs reghdfe: ${k}`);
      assert.equal(c[k], a[k], `cluster(c1 c2) vs the model's: ${k}`);
    }
    // bootstrap clusters = the 4 cohorts: 16 sign vectors, all enumerated, and the few-clusters warning
    assert.equal(d.bootcluster, 'first_treat');
    assert.equal(d.n_clusters, 4);
    assert.equal(d.enumerated, true);
    assert.equal(d.reps, 16);
    assert.equal(d.t, a.t, 'the test statistic does not depend on the bootstrap clusters');
    assert.match(d.warnings[0], /only 4 bootstrap clusters: 16 distinct Rademacher sign vectors/);
  });

  it('a clustering with a single cluster is an error at that variable', () => {
    const r = runSpecText(`${PREP}gen one = 1\nreghdfe lemp post, absorb(countyreal year) cluster(countyreal)\nboottest post, cluster(countyreal one)\n`, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /spec\.pspec:6:35: error: boottest: one has a single cluster in the estimation sample; the wild cluster bootstrap needs at least 2 in every clustering/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  it('boottest with no estimation above is a checker error (exit 1, nothing run), as is estimates restore of a name never stored', () => {
    for (const [body, re] of [
      ['boottest post\n', /spec\.pspec:4:1: error: boottest: no estimation results yet: run reg, reghdfe or did first \(or estimates restore NAME\)/],
      ['estimates restore m9\n', /spec\.pspec:4:19: error: estimates restore: no stored model named m9 \(none stored yet/],
    ] as const) {
      const r = runSpecText(PREP + body, { datasets: ['mpdta.csv'] });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, re);
      assert.deepEqual(r.json?.results ?? [], [], 'nothing run');
    }
  });
});

describe('ritest', () => {
  it('p = share of |draw| >= |actual| with its interval; the same seed gives the same draws; actual is the model', () => {
    const r = runSpecText(`${PREP}ritest post _b[post], reps(20) seed(4): reghdfe lemp post lpop, absorb(countyreal year) vce(cluster countyreal)\n`, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const ri = r.json.results.find((x: any) => x.kind === 'ritest');
    assert.equal(ri.term, 'post');
    assert.equal(ri.reps, 20);
    assert.equal(ri.draws.length, 20);
    const extreme = ri.draws.filter((d: number) => Math.abs(d) >= Math.abs(ri.actual)).length;
    assert.equal(ri.p_value, extreme / 20);
    assert.ok(ri.p_ci[0] <= ri.p_value && ri.p_value <= ri.p_ci[1]);
    // the same seed gives the same draws; another seed other draws
    const again = runSpecText(`${PREP}ritest post _b[post], reps(20) seed(4): reghdfe lemp post lpop, absorb(countyreal year) vce(cluster countyreal)\n`, { datasets: ['mpdta.csv'] });
    assert.deepEqual(again.json.results.find((x: any) => x.kind === 'ritest').draws, ri.draws);
    // the actual estimate is the model's
    const m = runSpecText(`${PREP}reghdfe lemp post lpop, absorb(countyreal year) vce(cluster countyreal)\n`, { datasets: ['mpdta.csv'] });
    check('actual', ri.actual, m.json.results.find((x: any) => x.kind === 'estimation').coefficients[0].estimate, 1e-12);
  });

  it('a cross-section permutes observations; bad input gives messages', () => {
    const r = runSpecText(`use "mpdta.csv"\nritest treat _b[treat], reps(30) seed(1): reg lemp treat lpop\n`, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const ri = r.json.results.find((x: any) => x.kind === 'ritest');
    assert.equal(ri.permuted, 'observation');
    assert.equal(ri.draws.length, 30);
    const bad: [string, RegExp][] = [
      ['ritest post _b[lpop], reps(5): reghdfe lemp post lpop, absorb(countyreal year)\n', /the statistic must be the coefficient of the permuted variable, _b\[post\]/],
      ['ritest lpop _b[lpop], reps(5): reghdfe lemp post, absorb(countyreal year)\n', /ritest: lpop is not a regressor of the command/],
      ['ritest post _b[post], reps(0): reghdfe lemp post, absorb(countyreal year)\n', /option reps\(\) must be between 1 and 100,000, found 0/],
      ['ritest post _b[post], reps(5) strata(year): reghdfe lemp post, absorb(countyreal year)\n', /the strata variable must be constant within each unit/],
    ];
    for (const [body, re] of bad) {
      const x = runSpecText(PREP + body, { datasets: ['mpdta.csv'] });
      assert.notEqual(x.status, 0, body);
      assert.match(x.stderr, re, body);
    }
  });
});
