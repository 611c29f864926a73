// Contract audit: the reference cases' degrees of freedom and fit statistics that reference.test.ts
// does not compare (df_resid, df_t, K, ssr, rmse, sigma, adjusted within R2, vcov scale), and the
// same models written with abbreviations, globals and continuations.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { close, loadCase, runSpecText } from './helpers';

const MP = 'use "mpdta.csv"\nxtset countyreal year\ngen post = treat * (year >= first_treat)\n';
const CASES: { name: string; data: string; spec: string }[] = [
  { name: 'mpdta_twfe_cluster', data: 'mpdta.csv', spec: MP + 'reghdfe lemp post, absorb(countyreal year) vce(cl countyreal)\n' },
  { name: 'mpdta_twfe_iid', data: 'mpdta.csv', spec: MP + 'did lemp post, fe(countyreal year)\n' },
  { name: 'mpdta_twfe_hetero', data: 'mpdta.csv', spec: MP + 'reghdfe lemp post, ///\n  absorb(countyreal year) ///\n  vce(r)\n' },
  { name: 'mpdta_twfe_lpop_cluster', data: 'mpdta.csv', spec: MP + 'global ctl lpop\ndid lemp post $ctl, fe(countyreal year) cluster(countyreal)\n' },
  { name: 'base_stagg_twfe', data: 'base_stagg.csv', spec: 'use "base_stagg.csv"\ngen treat_post = year >= year_treated\nreghdfe y x1 treat_post, absorb(id year) vce(cluster id)\n' },
  {
    name: 'crime_3fe_regionyear',
    data: 'crime_nc.csv',
    spec: 'use "crime_nc.csv"\nreghdfe lcrmrte lprbarr lprbconv lprbpris lavgsen lpolpc, absorb(county year region#year) vce(cluster county)\n',
  },
  {
    name: 'trade_3fe',
    data: 'trade.csv',
    spec: 'use "trade.csv"\ngen lEuros = log(Euros)\ngen ldist = log(dist_km)\nreghdfe lEuros ldist, absorb(Origin Destination Product) vce(cluster Origin)\n',
  },
  {
    name: 'crime_iv_fe_2endo',
    data: 'crime_nc.csv',
    spec: 'use "crime_nc.csv"\nglobal w lprbconv lprbpris lavgsen ldensity lwcon lwtuc lwtrd lwfir lwser lwmfg lwfed lwsta lwloc lpctymle\nivreghdfe lcrmrte $w (lprbarr lpolpc = ltaxpc lmix), absorb(county year) cluster(county)\n',
  },
];

describe('reference cases: degrees of freedom and fit statistics', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const exp = loadCase(c.name).results;
      const r = runSpecText(c.spec, { datasets: [c.data] });
      assert.equal(r.status, 0, r.stderr);
      const m = r.json.results.find((x: any) => x.kind === 'estimation');
      assert.equal(m.nobs, exp.nobs, 'nobs');
      assert.equal(m.df_resid, exp.df_resid, 'df_resid');
      assert.equal(m.df_t, exp.df_t, 'df_t');
      assert.equal(m.df_k, exp.df_K, 'K');
      const rel = c.name === 'trade_3fe' ? 1e-6 : 1e-8; // fixest's own demeaning tolerance on the 3-FE trade case
      for (const [mine, theirs] of [
        ['ssr', 'ssr'],
        ['rmse', 'rmse'],
        ['sigma', 'sigma'],
        ['adj_r2', 'adj_r2'],
        ['adj_r2_within', 'adj_within_r2'],
      ] as const)
        assert.ok(close(m[mine], exp[theirs], rel), `${mine}: ${m[mine]} vs ${exp[theirs]}`);
      // (an extension field; fixest scales its iid "uncorrected" VCOV differently, so clustered and robust only)
      if (m.vcov.type !== 'iid' && m.vcov_scale !== undefined) assert.ok(close(m.vcov_scale, exp.vcov_scale_factor, 1e-10), `vcov_scale ${m.vcov_scale} vs ${exp.vcov_scale_factor}`);
    });
  }
});
