// Every OLS/IV reference case (fixest, test/reference/cases) reproduced through the CLI: the
// spec reads the CSV, builds the case's variables as its data_prep does, runs the model, and the
// JSON must match every coefficient's estimate/se/t/p/ci and nobs, r2, within r2, clusters to 1e-6.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { close, loadCase, runSpecText } from './helpers';

interface Case {
  name: string;
  data: string;
  spec: string;
  /** reference term -> PanelSpec term */
  term?: (t: string) => string;
  /** which block of the case file holds the expected numbers */
  pick?: (c: any) => any;
  command: string;
  singletons?: number;
}

const MPDTA_PREP = `use "mpdta.csv"
xtset countyreal year
gen post = treat * (year >= first_treat)
`;

const eventTerm = (prefix: string) => (t: string) => {
  const k = Number(t.slice(prefix.length + 2));
  return k < 0 ? `_k_m${-k}` : `_k_${k}`;
};

const CASES: Case[] = [
  {
    name: 'mpdta_twfe_cluster',
    data: 'mpdta.csv',
    command: 'reghdfe',
    spec: MPDTA_PREP + 'eststo m1: reghdfe lemp post, absorb(countyreal year) vce(cluster countyreal)\n',
  },
  { name: 'mpdta_twfe_iid', data: 'mpdta.csv', command: 'reghdfe', spec: MPDTA_PREP + 'reghdfe lemp post, absorb(countyreal year)\n' },
  { name: 'mpdta_twfe_hetero', data: 'mpdta.csv', command: 'reghdfe', spec: MPDTA_PREP + 'reghdfe lemp post, absorb(countyreal year) vce(robust)\n' },
  {
    name: 'mpdta_twfe_lpop_cluster',
    data: 'mpdta.csv',
    command: 'did',
    spec: MPDTA_PREP + 'did lemp post lpop, fe(countyreal year) cluster(countyreal)\n',
  },
  {
    name: 'mpdta_singletons',
    data: 'mpdta.csv',
    command: 'reghdfe',
    pick: (c) => c.result_iterative_removal,
    singletons: 22,
    spec:
      MPDTA_PREP +
      `drop if year == 2007 & countyreal != 8001
drop if countyreal == 8001 & inlist(year, 2004, 2005, 2006)
egen cid = group(countyreal)
* sort(unique(countyreal))[seq(5, 500, by = 25)] keep only 2005
drop if mod(cid - 5, 25) == 0 & year != 2005
reghdfe lemp post, absorb(countyreal year) vce(cluster countyreal)
`,
  },
  {
    name: 'mpdta_es_twfe',
    data: 'mpdta.csv',
    command: 'eventstudy',
    term: eventTerm('rel_time'),
    spec: MPDTA_PREP + 'eventstudy lemp, treat(first_treat) window(-4 3) ref(-1) fe(countyreal year) cluster(countyreal)\n',
  },
  {
    name: 'base_stagg_twfe',
    data: 'base_stagg.csv',
    command: 'reghdfe',
    spec: `use "base_stagg.csv"
gen treat_post = year >= year_treated
reghdfe y x1 treat_post, absorb(id year) vce(cluster id)
`,
  },
  {
    name: 'base_stagg_es_twfe',
    data: 'base_stagg.csv',
    command: 'eventstudy',
    term: (t) => (t.startsWith('time_to_treatment::') ? eventTerm('time_to_treatment')(t) : t),
    spec: `use "base_stagg.csv"
xtset id year
* never treated carry year_treated = 10000 in fixest's data; PanelSpec reads 0 as never treated
replace year_treated = 0 if year_treated == 10000
eventstudy y x1, treat(year_treated) window(-9 8) ref(-1) fe(id year) cluster(id)
`,
  },
  {
    name: 'crime_3fe_regionyear',
    data: 'crime_nc.csv',
    command: 'reghdfe',
    spec: `use "crime_nc.csv"
global x lprbarr lprbconv lprbpris lavgsen lpolpc
reghdfe lcrmrte $x, absorb(county year region#year) vce(cluster county)
`,
  },
  {
    name: 'crime_iv_fe_2endo',
    data: 'crime_nc.csv',
    command: 'ivreghdfe',
    term: (t) => t.replace(/^fit_/, ''),
    spec: `use "crime_nc.csv"
global w lprbconv lprbpris lavgsen ldensity lwcon lwtuc lwtrd lwfir lwser lwmfg lwfed lwsta lwloc lpctymle
ivreghdfe lcrmrte $w (lprbarr lpolpc = ltaxpc lmix), absorb(county year) cluster(county)
`,
  },
  {
    name: 'trade_3fe',
    data: 'trade.csv',
    command: 'reghdfe',
    term: (t) => (t === 'log(dist_km)' ? 'ldist' : t),
    spec: `use "trade.csv"
gen lEuros = log(Euros)
gen ldist = log(dist_km)
reghdfe lEuros ldist, absorb(Origin Destination Product) vce(cluster Origin)
`,
  },
];

function check(label: string, actual: unknown, expected: number): void {
  assert.equal(typeof actual, 'number', `${label}: missing (expected ${expected})`);
  assert.ok(close(actual as number, expected), `${label}: ${actual} vs reference ${expected} (rel diff ${Math.abs((actual as number) - expected) / Math.abs(expected)})`);
}

describe('CLI reproduces the fixest reference cases to 1e-6', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const ref = loadCase(c.name);
      const exp = c.pick ? c.pick(ref) : ref.results;
      const run = runSpecText(c.spec, { datasets: [c.data] });
      assert.equal(run.stderr, '', `stderr: ${run.stderr}`);
      assert.equal(run.status, 0);
      const models = run.json.results.filter((r: any) => r.kind === 'estimation');
      assert.equal(models.length, 1);
      const m = models[0];
      assert.equal(m.command, c.command);
      assert.equal(m.nobs, exp.nobs, 'nobs');
      check('r2', m.r2, exp.r2);
      check('adj_r2', m.adj_r2, exp.adj_r2);
      check('r2_within', m.r2_within, exp.within_r2);
      assert.equal(m.df_t, exp.df_t, 'df_t');
      const clusters = Object.values(exp.n_clusters ?? {}) as number[];
      if (clusters.length) {
        assert.equal(m.vcov.type, 'cluster');
        assert.deepEqual(m.vcov.n_clusters, clusters, 'n_clusters');
      }
      if (c.singletons !== undefined) assert.equal(m.singletons_removed, c.singletons, 'singletons_removed');
      const byTerm = new Map<string, any>(m.coefficients.map((r: any) => [r.term, r]));
      for (const refTerm of exp.coef_order as string[]) {
        const term = c.term ? c.term(refTerm) : refTerm;
        const row = byTerm.get(term);
        assert.ok(row, `coefficient ${term} (reference ${refTerm}) missing; have ${[...byTerm.keys()].join(' ')}`);
        const e = exp.coefficients[refTerm];
        check(`${term} estimate`, row.estimate, e.estimate);
        check(`${term} se`, row.se, e.std_error);
        check(`${term} t`, row.t, e.t);
        check(`${term} p`, row.p, e.p_value);
        check(`${term} ci_low`, row.ci_low, e.ci_low);
        check(`${term} ci_high`, row.ci_high, e.ci_high);
      }
      assert.equal(m.coefficients.length, exp.coef_order.length, 'number of coefficients');
      assert.equal(typeof m.seconds, 'number');
      assert.ok(m.seconds >= 0);
    });
  }

  it('trade_3fe matches the exact dummy-variable solution too', () => {
    const ref = loadCase('trade_3fe');
    const run = runSpecText(
      `use "trade.csv"\ngen lEuros = log(Euros)\ngen ldist = log(dist_km)\nreghdfe lEuros ldist, absorb(Origin Destination Product) vce(cluster Origin)\n`,
      { datasets: ['trade.csv'] },
    );
    const row = run.json.results[1].coefficients[0];
    check('estimate', row.estimate, ref.crosscheck.exact['log(dist_km)'].estimate);
    check('se', row.se, ref.crosscheck.exact['log(dist_km)'].std_error);
  });

  it('eventstudy reports event_time in order of k with the reference period at 0', () => {
    const run = runSpecText(MPDTA_PREP + 'eventstudy lemp, treat(first_treat) window(-4 3) ref(-1) fe(countyreal year) cluster(countyreal)\n', { datasets: ['mpdta.csv'] });
    const m = run.json.results.find((r: any) => r.kind === 'estimation');
    assert.deepEqual(m.event_time.map((r: any) => r.k), [-4, -3, -2, -1, 0, 1, 2, 3]);
    const ref = m.event_time.find((r: any) => r.k === -1);
    assert.equal(ref.estimate, 0);
    assert.equal(ref.se, 0);
    const exp = loadCase('mpdta_es_twfe').results.coefficients['rel_time::2'];
    check('k=2', m.event_time.find((r: any) => r.k === 2).estimate, exp.estimate);
  });

  it('crime_iv_fe_2endo: first-stage F and Wald, Kleibergen-Paap and Cragg-Donald match fixest', () => {
    const ref = loadCase('crime_iv_fe_2endo').results.iv_fitstat;
    const run = runSpecText(CASES.find((c) => c.name === 'crime_iv_fe_2endo')!.spec, { datasets: ['crime_nc.csv'] });
    const m = run.json.results.find((r: any) => r.kind === 'estimation');
    for (const endog of ['lprbarr', 'lpolpc']) {
      const fs = m.first_stage.find((f: any) => f.endog === endog);
      check(`${endog} first-stage F`, fs.f, ref[`ivf1::${endog}`].stat);
      check(`${endog} first-stage Wald F`, fs.wald_f, ref[`ivwald1::${endog}`].stat);
    }
    check('Cragg-Donald F (fixest form)', m.fixest.cd, ref.cd);
    assert.equal(typeof m.cragg_donald_f, 'number'); // ivreg2's form differs by a degrees-of-freedom factor
    check('KP rk (fixest form)', m.fixest.kpr.stat, ref.kpr_workaround.stat);
    assert.equal(typeof m.kp_rk_lm.stat, 'number');
    assert.equal(typeof m.kp_rk_wald_f, 'number');
  });
});
