// csdid through the CLI: the five R did 2.1.2 reference cases (att_gt + aggte, bstrap = FALSE) run as
// specs, every number of the JSON compared at 1e-6; then bad input: exit 2 with FILE:LINE:COL and a
// message naming the unit, cohort or period (or exit 1 from the checker), never a stack trace.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { close, loadCase, runSpecText, PREP } from './helpers';

const CASES: { name: string; line: string }[] = [
  { name: 'mpdta_cs_nevertreated', line: 'csdid lemp, gvar(first_treat)' },
  { name: 'mpdta_cs_notyettreated', line: 'csdid lemp, gvar(first_treat) notyet method(dripw)' },
  { name: 'mpdta_cs_notyet_reg', line: 'csdid lemp, gvar(first_treat) notyet method(reg) agg(group)' },
  { name: 'mpdta_cs_universal', line: 'csdid lemp, gvar(first_treat) long2 agg(event)' },
  { name: 'mpdta_cs_lpop_dr', line: 'csdid lemp lpop, ivar(countyreal) time(year) gvar(first_treat) method(dripw)' },
];

function near(actual: number | null, expected: number | null, what: string): void {
  if (expected === null) return assert.equal(actual, null, `${what}: expected null (R's NA)`);
  assert.ok(typeof actual === 'number' && close(actual, expected), `${what}: got ${actual}, expected ${expected}`);
}

type Row = Record<string, number | null>;

describe('csdid: the R did 2.1.2 reference cases through the CLI', () => {
  const run = runSpecText(PREP + CASES.map((c) => c.line).join('\n') + '\n', { datasets: ['mpdta.csv'] });
  it('runs', () => assert.equal(run.status, 0, run.stderr));
  CASES.forEach((c, k) => {
    it(c.name, () => {
      const r = run.json.results.filter((x: { command?: string }) => x.command === 'csdid')[k];
      const ref = loadCase(c.name).results;
      assert.equal(r.kind, 'estimation');
      assert.equal(r.n_units, ref.n_units);
      assert.equal(r.att_gt.length, ref.att_gt.length);
      ref.att_gt.forEach((cell: Row, i: number) => {
        assert.equal(r.att_gt[i].group, cell.group);
        assert.equal(r.att_gt[i].time, cell.time);
        near(r.att_gt[i].att, cell.att, `ATT(${cell.group},${cell.time})`);
        near(r.att_gt[i].se, cell.se, `se ATT(${cell.group},${cell.time})`);
      });
      near(r.aggregate.simple.att, ref.aggte_simple.att, 'simple att');
      near(r.aggregate.simple.se, ref.aggte_simple.se, 'simple se');
      const blocks: [string, string, string, string][] = [
        ['event', 'aggte_dynamic', 'by_event_time', 'e'],
        ['group', 'aggte_group', 'by_group', 'g'],
        ['calendar', 'aggte_calendar', 'by_time', 't'],
      ];
      for (const [mine, theirs, by, key] of blocks) {
        const m = r.aggregate[mine];
        near(m.att, ref[theirs].overall_att, `${mine} att`);
        near(m.se, ref[theirs].overall_se, `${mine} se`);
        const myKey = { e: 'e', g: 'group', t: 'time' }[key] as string;
        assert.deepEqual(m.by.map((b: Row) => b[myKey]), ref[theirs][by].map((b: Row) => b[key]), `${mine} keys`);
        ref[theirs][by].forEach((b: Row, i: number) => {
          near(m.by[i].att, b.att, `${mine} ${b[key]} att`);
          near(m.by[i].se, b.se, `${mine} ${b[key]} se`);
        });
      }
      near(r.pretrend.stat, ref.wald_pretest.W[0][0], 'pre-trend W');
      assert.equal(r.pretrend.p, ref.wald_pretest.p[0][0], 'pre-trend p (R rounds to 5 decimals)');
      assert.equal(r.pretrend.df, ref.att_gt.filter((x: Row) => (x.group as number) > (x.time as number) && x.se !== null).length);
    });
  });
  it('text output shows every aggregation, the cells and the pre-trend test', () => {
    const t = runSpecText(PREP + CASES[0].line + ', agg(calendar)\n'.replace(', ', ' '), { datasets: ['mpdta.csv'], json: false });
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stdout, /by period \(calendar\)[\s\S]*overall ATT \(simple\)[\s\S]*by event time[\s\S]*by cohort[\s\S]*ATT\(g,t\)/);
    assert.match(t.stdout, /-0\.0400\s+0\.0120/); // simple ATT and se (R: -0.039951, 0.012034)
    assert.match(t.stdout, /chi2\(5\) = 7\.79, p = 0\.1681/);
    assert.doesNotMatch(t.stdout, /NaN/);
  });
});

const BAD: { what: string; spec: string; status: 1 | 2; message: RegExp; line?: number }[] = [
  { what: 'unknown method', spec: 'csdid lemp, gvar(first_treat) method(ols)', status: 1, message: /option method\(ols\) is not one of: dripw, reg, stdipw/ },
  {
    what: 'adoption time varying within a unit',
    spec: 'gen g2 = first_treat\nreplace g2 = 2006 if countyreal == 8001 & year == 2005\ncsdid lemp, gvar(g2)',
    status: 2,
    message: /adoption time varies within unit 8001/,
    line: 6,
  },
  { what: 'a gap in the time variable', spec: 'drop if year == 2005\ncsdid lemp, gvar(first_treat)', status: 2, message: /time variable has a gap: periods 2004 and 2006/, line: 5 },
  { what: 'no never-treated units', spec: 'drop if first_treat == 0\ncsdid lemp, gvar(first_treat)', status: 2, message: /no never-treated units.*notyet/, line: 5 },
  { what: 'collinear covariates', spec: 'gen lpop2 = 2 * lpop\ncsdid lemp lpop lpop2, gvar(first_treat)', status: 2, message: /covariates are collinear .*cohort 2004/, line: 5 },
  { what: 'an emptied cohort', spec: 'drop if first_treat == 2006 & year == 2005\ncsdid lemp, gvar(first_treat)', status: 2, message: /cohort 2006 has no unit observed in every period/, line: 5 },
  { what: 'reps() without wboot', spec: 'csdid lemp, gvar(first_treat) reps(99)', status: 1, message: /reps\(\) goes with wboot/ },
  { what: 'a variable that does not exist', spec: 'csdid lemp, gvar(nosuch)', status: 1, message: /nosuch/ },
];

describe('csdid: bad input', () => {
  for (const b of BAD) {
    it(b.what, () => {
      const r = runSpecText(PREP + b.spec + '\n', { datasets: ['mpdta.csv'] });
      assert.equal(r.status, b.status, r.stderr);
      assert.match(r.stderr, b.message);
      assert.match(r.stderr, new RegExp(`spec\\.pspec:${b.line ?? 4}:\\d+: error: `));
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });
  }
  it('without xtset: csdid asks for the panel variables', () => {
    const r = runSpecText('use "mpdta.csv"\ncsdid lemp, gvar(first_treat)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /spec\.pspec:2:\d+: error: csdid needs the unit and time variables: xtset UNIT TIME first, or ivar\(\) and time\(\)/);
  });
  it('unbalanced panel and if: units dropped with a warning; n_units counts the balanced panel', () => {
    const r = runSpecText(PREP + 'drop if countyreal == 8001 & year == 2004\ncsdid lemp if countyreal != 8019, gvar(first_treat)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const res = r.json.results.find((x: { command?: string }) => x.command === 'csdid');
    assert.equal(res.n_units, 498);
    assert.ok(res.warnings.some((w: string) => /dropped 1 unit\(s\) not observed in every period/.test(w)));
  });
  it('wboot: bootstrap errors near the analytic ones, reproducible by seed, uniform bands', () => {
    const spec = PREP + 'csdid lemp, gvar(first_treat) wboot reps(499) seed(7)\ncsdid lemp, gvar(first_treat) wboot reps(499) seed(7)\ncsdid lemp, gvar(first_treat)\n';
    const r = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const [a, b, analytic] = r.json.results.filter((x: { command?: string }) => x.command === 'csdid');
    assert.deepEqual(a.aggregate, b.aggregate);
    assert.deepEqual(a.bootstrap, { reps: 499, seed: 7, weights: 'rademacher', clusters: 500, cluster_var: null });
    const ratio = a.aggregate.simple.se / analytic.aggregate.simple.se;
    assert.ok(ratio > 0.8 && ratio < 1.25, `bootstrap / analytic se ${ratio}`);
    assert.ok(a.aggregate.event.crit > 1.96, 'uniform band wider than pointwise');
  });
});

describe('csdid as a stored model', () => {
  it('eststo NAME: csdid ... then esttab NAME shows its overall ATT; graph export draws its event study', () => {
    const r = runSpecText(PREP + 'eststo m1: csdid lemp, gvar(first_treat)\nesttab m1\ngraph export "es.svg", replace\n', { datasets: ['mpdta.csv'], json: false });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /ATT\s+-0\.0400\*\*\*\s*\n\s*\(0\.0120\)/);
  });
});

describe('eventstudy ..., estimator(cs): csdid\'s dynamic aggregation', () => {
  it('event_time and att equal R\'s aggte(type = "dynamic") on mpdta_cs_nevertreated; window() is min_e/max_e', () => {
    const spec = PREP + 'eventstudy lemp, treat(first_treat) fe(countyreal year) estimator(cs)\neventstudy lemp, treat(first_treat) fe(countyreal year) estimator(cs) window(0 2)\n';
    const r = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const [full, win] = r.json.results.filter((x: { command?: string }) => x.command === 'eventstudy');
    const ref = loadCase('mpdta_cs_nevertreated').results.aggte_dynamic;
    assert.equal(full.estimator, 'cs');
    near(full.att.estimate, ref.overall_att, 'overall att');
    near(full.att.se, ref.overall_se, 'overall se');
    assert.deepEqual(full.event_time.map((e: { k: number }) => e.k), ref.by_event_time.map((e: Row) => e.e));
    ref.by_event_time.forEach((e: Row, i: number) => {
      near(full.event_time[i].estimate, e.att, `e = ${e.e}`);
      near(full.event_time[i].se, e.se, `se e = ${e.e}`);
    });
    assert.deepEqual(win.event_time.map((e: { k: number }) => e.k), [0, 1, 2]); // the checker does not ask for a ref() inside the window
    // R's overall dynamic ATT with max_e = 2: the mean of e = 0, 1, 2
    const post = ref.by_event_time.filter((e: Row) => (e.e as number) >= 0 && (e.e as number) <= 2).map((e: Row) => e.att as number);
    near(win.att.estimate, post.reduce((a: number, b: number) => a + b, 0) / post.length, 'windowed overall att');
  });
  it('an unknown estimator is an error at its option', () => {
    const r = runSpecText(PREP + 'eventstudy lemp, treat(first_treat) fe(countyreal year) estimator(xyz)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 1); // the table's word list: the static check refuses it before anything runs
    assert.match(r.stderr, /spec\.pspec:4:\d+: error: option estimator\(xyz\) is not one of: twfe, [a-z, ]*\bcs\b/);
  });
});
