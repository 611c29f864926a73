// Contract audit: estimation numbers through the CLI against an independent dense computation
// (contract-audit-dense.ts: explicit dummies, pseudo-inverse, hand-written sandwich), to 1e-6 relative.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PREP, REF, close, loadCase, runSpecText } from './helpers';
import { denseFit, readCsv, type DenseFit, type DenseSpec, type Row } from './contract-audit-dense';

const mp = (): Row[] =>
  readCsv(join(REF, 'data', 'mpdta.csv')).map((r) => ({ ...r, post: r.treat * (r.year >= r['first.treat'] ? 1 : 0) }));

function est(json: any, i = 0): any {
  const ms = json.results.filter((x: any) => x.kind === 'estimation');
  assert.ok(ms[i], `estimation result ${i} present`);
  return ms[i];
}

function near(a: number, b: number, what: string, rel = 1e-6) {
  assert.ok(close(a, b, rel, 1e-10), `${what}: ${a} vs ${b} (rel ${Math.abs(a - b) / Math.abs(b)})`);
}

/** Every coefficient field, nobs, df_t and R2 of a CLI result against the dense fit. */
function compare(m: any, d: DenseFit, rename: (term: string) => string = (t) => t) {
  assert.equal(m.nobs, d.n, 'nobs');
  assert.equal(m.df_t, d.dfT, 'df_t');
  assert.deepEqual(
    m.coefficients.map((c: any) => rename(c.term)).sort(),
    Object.keys(d.coef).sort(),
    'terms',
  );
  for (const c of m.coefficients) {
    const r = d.coef[rename(c.term)];
    near(c.estimate, r.estimate, `${c.term} estimate`);
    near(c.se, r.se, `${c.term} se`);
    near(c.t, r.t, `${c.term} t`);
    if (r.p > 1e-12) near(c.p, r.p, `${c.term} p`, 1e-5);
    near(c.ci_low, r.ci_low, `${c.term} ci_low`);
    near(c.ci_high, r.ci_high, `${c.term} ci_high`);
  }
  near(m.r2, d.r2, 'r2');
  near(m.adj_r2, 1 - ((1 - d.r2) * (d.n - 1)) / (d.n - d.kFull), 'adj_r2');
  if (d.r2Within === null) assert.equal(m.r2_within, null);
  else near(m.r2_within, d.r2Within, 'r2_within');
  if (d.nClusters.length) assert.deepEqual(m.vcov.n_clusters, d.nClusters);
}

const unit = (r: Row) => r.countyreal;
const year = (r: Row) => r.year;

describe('the dense checker reproduces the reference (sanity of the checker itself)', () => {
  it('mpdta_twfe_cluster: estimate, se, p, ci to 1e-6', () => {
    const ref = loadCase('mpdta_twfe_cluster').results;
    const d = denseFit(mp(), { y: 'lemp', x: ['post'], fe: [unit, year], cluster: [unit] });
    near(d.coef.post.estimate, ref.coefficients.post.estimate, 'estimate');
    near(d.coef.post.se, ref.coefficients.post.std_error, 'se');
    near(d.coef.post.p, ref.coefficients.post.p_value, 'p', 1e-5);
    near(d.coef.post.ci_low, ref.coefficients.post.ci_low, 'ci_low');
    assert.equal(d.k, ref.df_K);
  });
  it('mpdta_twfe_hetero and iid: K counts every FE level', () => {
    for (const [name, spec] of [
      ['mpdta_twfe_hetero', { robust: true }],
      ['mpdta_twfe_iid', {}],
    ] as const) {
      const ref = loadCase(name).results;
      const d = denseFit(mp(), { y: 'lemp', x: ['post'], fe: [unit, year], ...spec });
      near(d.coef.post.se, ref.coefficients.post.std_error, `${name} se`);
      assert.equal(d.k, ref.df_K);
    }
  });
});

describe('estimation commands against dense OLS', () => {
  const cases: { spec: string; dense: DenseSpec; data?: (rows: Row[]) => Row[] }[] = [
    // abbreviations, weights, if, every vce form
    { spec: 'reg lemp post lpop', dense: { y: 'lemp', x: ['post', 'lpop'] } },
    { spec: 'reg lemp post lpop, vce(robust)', dense: { y: 'lemp', x: ['post', 'lpop'], robust: true } },
    { spec: 'reg lemp post lpop [aw=lpop], vce(cl countyreal)', dense: { y: 'lemp', x: ['post', 'lpop'], weight: 'lpop', cluster: [unit] } },
    {
      spec: 'regress lemp post lpop if year >= 2005, vce(cluster countyreal)',
      dense: { y: 'lemp', x: ['post', 'lpop'], cluster: [unit] },
      data: (d) => d.filter((r) => r.year >= 2005),
    },
    { spec: 'reghdfe lemp post, absorb(countyreal year) vce(robust)', dense: { y: 'lemp', x: ['post'], fe: [unit, year], robust: true } },
    { spec: 'reghdfe lemp post [aw=lpop], absorb(countyreal year)', dense: { y: 'lemp', x: ['post'], fe: [unit, year], weight: 'lpop' } },
    {
      spec: 'reghdfe lemp post [aw=lpop] if year != 2004, absorb(countyreal year) vce(cl countyreal)',
      dense: { y: 'lemp', x: ['post'], fe: [unit, year], weight: 'lpop', cluster: [unit] },
      data: (d) => d.filter((r) => r.year !== 2004),
    },
    {
      spec: 'did lemp post [aw=lpop], fe(countyreal year) cluster(countyreal)',
      dense: { y: 'lemp', x: ['post'], fe: [unit, year], weight: 'lpop', cluster: [unit] },
    },
    { spec: 'did lemp post, fe(countyreal year) robust', dense: { y: 'lemp', x: ['post'], fe: [unit, year], robust: true } },
    // two-way clustering: both FEs nested in a cluster -> K = coefficients + 1, t with min(G)-1 df
    {
      spec: 'reghdfe lemp post, absorb(countyreal year) vce(cluster countyreal year)',
      dense: { y: 'lemp', x: ['post'], fe: [unit, year], cluster: [unit, year] },
    },
    {
      spec: 'did lemp post [aw=lpop], fe(countyreal year) cluster(countyreal year)',
      dense: { y: 'lemp', x: ['post'], fe: [unit, year], weight: 'lpop', cluster: [unit, year] },
    },
    // two-way clustering on a cluster that is not a FE
    {
      spec: 'gen st = floor(countyreal / 1000)\nreghdfe lemp post, absorb(countyreal year) vce(cluster st year)',
      dense: { y: 'lemp', x: ['post'], fe: [unit, year], cluster: [(r) => Math.floor(r.countyreal / 1000), year] },
    },
    // three-way clustering: inclusion-exclusion over the 7 intersections, t with min(G) - 1 df
    {
      spec: 'gen st = floor(countyreal / 1000)\nreghdfe lemp post lpop, absorb(year) vce(cluster st year countyreal)',
      dense: { y: 'lemp', x: ['post', 'lpop'], fe: [year], cluster: [(r) => Math.floor(r.countyreal / 1000), year, unit] },
    },
    // zero weights drop the row; missing weights too
    {
      spec: 'gen w = lpop * (mod(countyreal, 5) != 0)\nreplace w = . if countyreal == 8001\nreghdfe lemp post [aw=w], absorb(countyreal year) vce(cluster countyreal)',
      dense: { y: 'lemp', x: ['post'], fe: [unit, year], weight: 'w', cluster: [unit] },
      data: (d) => d.map((r) => ({ ...r, w: r.countyreal === 8001 ? NaN : r.lpop * (r.countyreal % 5 !== 0 ? 1 : 0) })),
    },
    // an unbalanced panel (rows dropped at random-looking places): the demeaning is iterative there
    {
      spec: 'reghdfe lemp post lpop if mod(countyreal * year, 7) != 3, absorb(countyreal year) vce(cluster countyreal)',
      dense: { y: 'lemp', x: ['post'], fe: [unit, year], cluster: [unit] },
      data: (d) => d.filter((r) => (r.countyreal * r.year) % 7 !== 3),
    },
    // a#b in absorb: county and year-by-treat-group
    {
      spec: 'reghdfe lemp post, absorb(countyreal year#treat)',
      dense: { y: 'lemp', x: ['post'], fe: [unit, (r) => `${r.year}#${r.treat}`] },
    },
    {
      spec: 'reghdfe lemp post, absorb(countyreal year#treat) vce(robust)',
      dense: { y: 'lemp', x: ['post'], fe: [unit, (r) => `${r.year}#${r.treat}`], robust: true },
    },
  ];
  for (const c of cases) {
    it(c.spec.split('\n').pop()!, () => {
      const r = runSpecText(PREP + c.spec + '\n', { datasets: ['mpdta.csv'] });
      assert.equal(r.status, 0, r.stderr);
      const rows = mp();
      compare(est(r.json), denseFit(c.data ? c.data(rows) : rows, c.dense));
    });
  }
});

describe('K when a FE nested in the cluster sits beside a FE that splits the graph (reghdfe = fixest)', () => {
  // fe(unit year#group) with the unit nested in the cluster and the group constant within unit: the
  // unit levels are not parameters (nested) and year#group is then the only FE left, all of whose
  // levels count (reghdfe: first remaining FE, nothing redundant; fixest: K = coef + non-nested levels).
  // The bipartite unit x year#group graph has one component per group, which must not be taken off.
  it('absorb(countyreal year#treat) vce(cluster countyreal): K = 1 + 10 levels', () => {
    const r = runSpecText(PREP + 'reghdfe lemp post, absorb(countyreal year#treat) vce(cluster countyreal)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const m = est(r.json);
    const d = denseFit(mp(), { y: 'lemp', x: ['post'], fe: [unit, (r) => `${r.year}#${r.treat}`], cluster: [unit] });
    assert.equal(d.k, 11);
    assert.equal(m.df_k, 11);
    compare(m, d);
  });
  it('did with fe(city year#province) cluster(city), the province-by-year design', () => {
    const spec = PREP + 'gen prov = mod(countyreal, 7)\neststo m: did lemp post, fe(countyreal year#prov) cluster(countyreal)\n';
    const r = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const m = est(r.json);
    const d = denseFit(mp(), { y: 'lemp', x: ['post'], fe: [unit, (r) => `${r.year}#${r.countyreal % 7}`], cluster: [unit] });
    assert.equal(d.k, 1 + 35);
    assert.equal(m.df_k, d.k);
    compare(m, d);
  });
  it('with the coarse province FE too: absorb(countyreal year#prov prov), K still 1 + 35', () => {
    const spec = PREP + 'gen prov = mod(countyreal, 7)\nreghdfe lemp post, absorb(countyreal year#prov prov) vce(cluster countyreal)\n';
    const r = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const d = denseFit(mp(), { y: 'lemp', x: ['post'], fe: [unit, (r) => `${r.year}#${r.countyreal % 7}`, (r) => r.countyreal % 7], cluster: [unit] });
    assert.equal(d.k, 36);
    assert.equal(est(r.json).df_k, 36);
    compare(est(r.json), d);
  });
  it('the same with the FEs listed the other way round', () => {
    const spec = PREP + 'gen prov = mod(countyreal, 7)\nreghdfe lemp post, absorb(year#prov countyreal) vce(cluster countyreal)\n';
    const r = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const d = denseFit(mp(), { y: 'lemp', x: ['post'], fe: [unit, (r) => `${r.year}#${r.countyreal % 7}`], cluster: [unit] });
    assert.equal(est(r.json).df_k, d.k);
    compare(est(r.json), d);
  });
});

describe('singletons and missing values', () => {
  it('iterative singleton removal on an unbalanced sample matches the dense fit on the same rows', () => {
    // drop some rows so that units observed once appear (singletons), then removal cascades
    const spec = PREP + 'gen keepme = !(countyreal < 9000 & year > 2003) & !(countyreal > 55000 & year != 2005)\nreghdfe lemp post lpop if keepme, absorb(countyreal year) vce(cluster countyreal)\n';
    const r = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const rows = mp().filter((o) => !(o.countyreal < 9000 && o.year > 2003) && !(o.countyreal > 55000 && o.year !== 2005));
    const d = denseFit(rows, { y: 'lemp', x: ['post', 'lpop'].filter((v) => v === 'post'), fe: [unit, year], cluster: [unit] });
    const m = est(r.json);
    assert.ok(d.singletons > 0);
    assert.equal(m.singletons_removed, d.singletons);
    assert.deepEqual(m.omitted, [{ term: 'lpop', reason: 'collinear' }]);
    compare(m, d);
  });
  it('rows with a missing regressor are left out (missing_removed counts them)', () => {
    const spec = PREP + 'gen lp2 = lpop if mod(countyreal, 3) != 0 | year != 2006\nreg lemp lp2 post, vce(robust)\n';
    const r = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const rows = mp().map((o) => ({ ...o, lp2: o.countyreal % 3 !== 0 || o.year !== 2006 ? o.lpop : NaN }));
    const d = denseFit(rows, { y: 'lemp', x: ['lp2', 'post'], robust: true });
    const m = est(r.json);
    assert.equal(m.missing_removed, 2500 - d.n);
    compare(m, d);
  });
});

describe('eventstudy against dense OLS with explicit relative-time dummies', () => {
  const relDummies = (rows: Row[], lo: number, hi: number, ref: number) =>
    rows.map((r) => {
      const o: Row = { ...r };
      for (let k = lo; k <= hi; k++) {
        if (k === ref) continue;
        const a = r['first.treat'];
        o[`d${k}`] = a && !Number.isNaN(a) && r.year - a === k ? 1 : 0;
      }
      return o;
    });
  it('window(-3 2) ref(-1) with a covariate and [aw=], clustered: every event_time entry, in order of k', () => {
    const spec = PREP + 'gen z = lpop * (year - 2005)\neststo es: eventstudy lemp z [aw=lpop], treat(first_treat) window(-3 2) ref(-1) fe(countyreal year) cluster(countyreal)\n';
    const r = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const m = est(r.json);
    assert.equal(m.name, 'es');
    const ks = [-3, -2, 0, 1, 2];
    const rows = relDummies(mp(), -3, 2, -1).map((o) => ({ ...o, z: o.lpop * (o.year - 2005) }));
    const d = denseFit(rows, { y: 'lemp', x: ['z', ...ks.map((k) => `d${k}`)], fe: [unit, year], weight: 'lpop', cluster: [unit] });
    assert.deepEqual(m.event_time.map((e: any) => e.k), [-3, -2, -1, 0, 1, 2]);
    const ref = m.event_time.find((e: any) => e.k === -1);
    assert.equal(ref.estimate, 0);
    assert.equal(ref.se, 0);
    for (const k of ks) {
      const e = m.event_time.find((x: any) => x.k === k);
      near(e.estimate, d.coef[`d${k}`].estimate, `k=${k} estimate`);
      near(e.se, d.coef[`d${k}`].se, `k=${k} se`);
      near(e.ci_low, d.coef[`d${k}`].ci_low, `k=${k} ci_low`);
      near(e.ci_high, d.coef[`d${k}`].ci_high, `k=${k} ci_high`);
    }
    const z = m.coefficients.find((c: any) => c.term === 'z');
    near(z.estimate, d.coef.z.estimate, 'z');
    near(z.se, d.coef.z.se, 'z se');
    assert.equal(m.nobs, 2500);
  });
  it('window at the edges of the data: window(-4 3) ref(-4), and rows outside a narrow window get no dummy', () => {
    const r = runSpecText(PREP + 'eventstudy lemp, treat(first_treat) window(-4 3) ref(-4) fe(countyreal year)\neventstudy lemp if year >= 2004, treat(first_treat) window(-1 1) ref(-1) fe(countyreal year) vce(robust)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const a = est(r.json, 0);
    const da = denseFit(relDummies(mp(), -4, 3, -4), { y: 'lemp', x: [-3, -2, -1, 0, 1, 2, 3].map((k) => `d${k}`), fe: [unit, year] });
    assert.deepEqual(a.event_time.map((e: any) => e.k), [-4, -3, -2, -1, 0, 1, 2, 3]);
    assert.deepEqual(a.event_time[0], { ...a.event_time[0], k: -4, estimate: 0, se: 0 });
    for (const e of a.event_time.slice(1)) {
      near(e.estimate, da.coef[`d${e.k}`].estimate, `k=${e.k}`);
      near(e.se, da.coef[`d${e.k}`].se, `k=${e.k} se`);
    }
    const b = est(r.json, 1);
    const rowsB = relDummies(mp(), -1, 1, -1).filter((o) => o.year >= 2004);
    const db = denseFit(rowsB, { y: 'lemp', x: ['d0', 'd1'], fe: [unit, year], robust: true });
    assert.deepEqual(b.event_time.map((e: any) => e.k), [-1, 0, 1]);
    const byTerm = new Map(b.event_time.filter((e: any) => e.term).map((e: any) => [e.term, `d${e.k}`]));
    compare(b, db, (t) => byTerm.get(t) as string);
  });
});

describe('ivreghdfe against dense 2SLS', () => {
  const withZ = (): Row[] => mp().map((o) => ({ ...o, zz: o.treat * (o.year >= o['first.treat'] + 1 ? 1 : 0), prov: o.countyreal % 7 }));
  it('absorb(countyreal year) cluster(countyreal), with an exogenous regressor and [aw=]', () => {
    const spec = PREP + 'gen zz = treat * (year >= first_treat + 1)\ngen x2 = lpop * (year - 2005)\neststo iv: ivreghdfe lemp (post = zz) x2 [aw=lpop], absorb(countyreal year) cluster(countyreal)\n';
    const r = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const m = est(r.json);
    assert.equal(m.command, 'ivreghdfe');
    assert.equal(m.name, 'iv');
    const rows = withZ().map((o) => ({ ...o, x2: o.lpop * (o.year - 2005) }));
    const d = denseFit(rows, { y: 'lemp', x: ['post', 'x2'], endog: ['post'], inst: ['zz'], fe: [unit, year], weight: 'lpop', cluster: [unit] });
    compare(m, d);
    assert.deepEqual(m.first_stage.map((f: any) => f.endog), ['post']);
    assert.equal(typeof m.first_stage[0].f, 'number');
    assert.equal(typeof m.kp_rk_wald_f, 'number');
    assert.equal(typeof m.cragg_donald_f, 'number');
    assert.deepEqual(Object.keys(m.kp_rk_lm).sort(), ['df', 'p', 'stat']);
  });
  it('absorb(countyreal year#prov) cluster(countyreal): the nested county is set aside, K = 1 + 35', () => {
    const spec = PREP + 'gen zz = treat * (year >= first_treat + 1)\ngen prov = mod(countyreal, 7)\nivreghdfe lemp (post = zz), absorb(countyreal year#prov) cluster(countyreal)\n';
    const r = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const m = est(r.json);
    const d = denseFit(withZ(), { y: 'lemp', x: ['post'], endog: ['post'], inst: ['zz'], fe: [unit, (o) => `${o.year}#${o.prov}`], cluster: [unit] });
    assert.equal(d.k, 36);
    assert.equal(m.df_k, 36);
    compare(m, d);
  });
});
