// The synthetic study data (samples/city_panel.csv) must give the study's results a sensible shape:
// a significant positive baseline DID on the entropy index, flat pre-trends, a placebo centred on
// zero, a strong instrument. Also times the placebo (500 draws, 5,130 rows, 7 regressors). Then the
// whole spec through the CLI: the heterogeneity-robust event studies, csdid table, Bacon and boottest.
import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { estimate } from '../../server/src/engine/estimate';
import { entropyIndex } from '../../server/src/engine/study/entropy';
import { runEventStudy } from '../../server/src/engine/study/eventstudy';
import { runPlacebo } from '../../server/src/engine/study/placebo';
import { estimateIV } from '../../server/src/engine/iv/estimateIV';
import { psMatch } from '../../server/src/engine/study/psmatch';
import { generateCityPanel, toCsv, INDICATORS, CONTROLS } from '../../samples/generate';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegressionInput } from '../../server/src/engine/types';
import { readCsv, root } from './helpers';

const d = readCsv('samples/city_panel.csv');
const city = d.factor('city_id');
const yearF = d.factor('year');
const index = entropyIndex(
  INDICATORS.map((x) => ({ name: x.name, values: d.num(x.name).values, negative: x.dir < 0 })),
  { shift: 0.0001, scale: 100 },
);
const resil = { name: 'resilience', values: index.values };
const controls = CONTROLS.map((c) => d.num(c));
const base: RegressionInput = {
  depvar: resil, regressors: [d.num('integration'), ...controls], fixedEffects: [city, yearF], constant: false,
  vcov: { type: 'cluster', clusters: [city] },
};

test('the generator is deterministic and the CSV on disk is its output', () => {
  const a = toCsv(generateCityPanel());
  assert.equal(a, readFileSync(join(root, 'samples', 'city_panel.csv'), 'utf8'));
  assert.equal(d.n, 5130);
  const integ = d.num('integration').values, cg = d.num('cluster_group').values;
  const treatedCities = new Set<number>();
  for (let i = 0; i < d.n; i++) if (cg[i] > 0) treatedCities.add(city.codes[i]);
  assert.equal(treatedCities.size, 147);
  const appr = d.num('approval_year').values, yr = d.num('year').values;
  for (let i = 0; i < d.n; i++) assert.equal(integ[i], cg[i] > 0 && yr[i] >= appr[i] ? 1 : 0);
  assert.equal(new Set(d.raw('city_id')).size, 285);
});

test('baseline DID on the entropy index is positive and significant', () => {
  const r = estimate(base);
  const b = r.coefficients[0];
  console.log(`  DID: ${b.estimate.toFixed(4)} (se ${b.se.toFixed(4)}, t ${b.t.toFixed(2)}), n = ${r.nobs}`);
  assert.ok(b.estimate > 0 && b.p < 0.01, `DID ${b.estimate} p ${b.p}`);
  assert.equal(index.weights.length, 26);
});

test('event study: flat pre-trends, positive post effects', () => {
  const r = runEventStudy({ base: { ...base, regressors: controls }, time: d.num('year').values, adopt: d.num('approval_year').values, window: { lo: -5, hi: 5, ref: -1 } });
  console.log(`  pre-trend F = ${r.pretrend_test!.stat.toFixed(3)}, p = ${r.pretrend_test!.p.toFixed(3)}; ` + r.event_time.map((e) => `${e.k}:${e.estimate.toFixed(3)}`).join(' '));
  assert.ok(r.pretrend_test!.p > 0.05);
  for (const e of r.event_time) if (e.k >= 0) assert.ok(e.estimate > 0);
});

test('placebo: 500 draws centred on zero, fast', () => {
  const t0 = performance.now();
  const p = runPlacebo({ model: base, treatment: 'integration', unit: city.codes, time: d.num('year').values, reps: 500, units: 147, seed: 2024 });
  const ms = performance.now() - t0;
  console.log(`  placebo: 500 draws in ${ms.toFixed(0)} ms; mean ${p.mean.toFixed(4)}, sd ${p.sd.toFixed(4)}, actual ${p.actual.toFixed(4)}, p ${p.p_value}`);
  assert.equal(p.draws.length, 500);
  assert.ok(Math.abs(p.mean) < 0.3 * Math.abs(p.actual));
  assert.ok(p.p_value < 0.05);
  assert.ok(ms < 5000, `placebo took ${ms} ms`);
});

test('IV: ruggedness x road density is a strong instrument for integration', () => {
  const r = estimateIV({ ...base, regressors: controls, endogenous: [d.num('integration')], instruments: [d.num('iv_rugged_road')] }) as any;
  console.log(`  IV: b = ${r.coefficients[0].estimate.toFixed(4)} (se ${r.coefficients[0].se.toFixed(4)}); KP Wald F = ${r.kp_rk_wald_f.toFixed(2)}, KP LM = ${r.kp_rk_lm.stat.toFixed(2)}, CD F = ${r.cragg_donald_f.toFixed(2)}`);
  assert.ok(r.kp_rk_wald_f > 16.38);
  assert.ok(!r.warnings.some((w: string) => /weak/.test(w)));
  assert.ok(r.coefficients[0].estimate > 0);
});

test('PSM year by year keeps most treated rows', () => {
  const r = psMatch({ treat: d.num('integration'), covariates: controls, by: { name: 'year', codes: yearF.codes }, caliper: 0.05 });
  console.log(`  PSM: ${r.treated_matched} treated matched, ${r.controls_used} controls, ${r.rows_kept} rows kept; SMD before/after ` + r.balance.map((b) => `${b.var} ${b.smd_before.toFixed(2)}/${b.smd_after.toFixed(2)}`).join(', '));
  assert.ok(r.treated_matched > 0.8 * (r.treated_matched + r.treated_unmatched));
});

// ---- the whole study spec through the CLI: the referee's robustness checks (Figure 4, Tables 3 and
// 11, Figure 5), asserted from the results JSON and the files the spec writes ----

function runStudy(): { status: number | null; stderr: string; dir: string; json: any } {
  const dir = mkdtempSync(join(tmpdir(), 'pspec-study-'));
  for (const f of ['city_clusters.pspec', 'city_panel.csv']) copyFileSync(join(root, 'samples', f), join(dir, f));
  mkdirSync(join(dir, 'output'));
  const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'run', 'city_clusters.pspec', '--json', 'results.json'], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  const json = existsSync(join(dir, 'results.json')) ? JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) : null;
  return { status: r.status, stderr: r.stderr, dir, json };
}

describe('the study spec (samples/city_clusters.pspec) end to end', () => {
  const run = runStudy();
  const results: any[] = run.json?.results ?? [];
  const model = (name: string) => results.find((r) => r.kind === 'estimation' && r.name === name);
  const out = (f: string) => readFileSync(join(run.dir, 'output', f), 'utf8');

  it('runs clean', () => {
    assert.equal(run.status, 0, run.stderr);
  });

  it('Figure 4: four event studies on one k grid, -4..5, drawn side by side and exported as SVG and PNG', () => {
    const names = ['es_twfe', 'es_sa', 'es_cs', 'es_bjs'];
    const grid = [-4, -3, -2, -1, 0, 1, 2, 3, 4, 5];
    for (const n of names) assert.deepEqual(model(n).event_time.map((e: any) => e.k), grid, n);
    assert.deepEqual(names.map((n) => model(n).estimator), ['twfe', 'sunab', 'cs', 'bjs']);
    // TWFE and Sun-Abraham leave k = -1 out; CS and BJS estimate it
    for (const n of ['es_twfe', 'es_sa']) assert.deepEqual(model(n).event_time.find((e: any) => e.k === -1).se, 0);
    for (const n of ['es_cs', 'es_bjs']) assert.ok(model(n).event_time.find((e: any) => e.k === -1).se > 0);
    // the data have no pre-trend and a growing effect: every lead's 95% interval covers 0, every lag is above it
    for (const n of names)
      for (const e of model(n).event_time) {
        if (e.k < 0 && e.se > 0) assert.ok(e.ci_low < 0 && e.ci_high > 0, `${n} k=${e.k}`);
        if (e.k >= 0) assert.ok(e.ci_low > 0, `${n} k=${e.k}`);
      }
    // the heterogeneity-robust averages stay near the TWFE baseline (same specification, no controls)
    const b1 = model('b1').coefficients[0].estimate;
    for (const n of ['es_sa', 'es_bjs']) assert.ok(Math.abs(model(n).att.estimate - b1) < 0.1, `${n} ATT ${model(n).att.estimate} vs ${b1}`);
    const plot = results.find((r) => r.kind === 'plot' && r.plot === 'coefplot' && r.models[0] === 'es_twfe');
    assert.equal(plot.axis, 'event_time');
    assert.deepEqual(plot.categories.map((c: any) => c.at), grid);
    for (const s of plot.series) assert.deepEqual(s.points.map((p: any) => p.estimate), model(s.model).event_time.map((e: any) => e.estimate));
    assert.match(out('figure4_event_estimators.svg'), /Periods relative to adoption \(k\)/);
    assert.equal(readFileSync(join(run.dir, 'output', 'figure4_event_estimators.png')).subarray(1, 4).toString(), 'PNG');
  });

  it('Table 3: the wild cluster bootstrap over the 11 city clusters, p and CI under b7', () => {
    const bt = results.find((r) => r.kind === 'boottest');
    const b7 = model('b7');
    assert.equal(bt.model, 'b7');
    assert.equal(bt.n_clusters, 11);
    assert.equal(bt.enumerated, true); // 2^11 = 2,048 <= 9,999: every Rademacher sign vector
    assert.ok(bt.p_value > 0 && bt.p_value < 1);
    assert.equal(bt.p_value * 2048, Math.round(bt.p_value * 2048)); // a share of the 2,048 draws
    // boottest refits b7 for its null-imposed residuals: the same coefficient to rounding
    assert.ok(Math.abs(bt.estimate - b7.coefficients[0].estimate) < 1e-12);
    assert.ok(bt.ci_low < bt.estimate && bt.estimate < bt.ci_high);
    const md = out('table3_baseline.md');
    assert.match(md, new RegExp(`Wild bootstrap p \\(city clusters\\) \\|( *\\|){6} ${bt.p_value.toFixed(4)} \\|`));
    assert.match(md, new RegExp(`\\\\\\[${bt.ci_low.toFixed(4)}, ${bt.ci_high.toFixed(4)}\\\\\\]`));
  });

  it('Table 11: TWFE, csdid (with and without controls), Sun-Abraham and BJS aggregates in one ATT row', () => {
    const cs = model('cs');
    assert.deepEqual(cs.covariates, CONTROLS);
    assert.equal(cs.est_method, 'dr');
    assert.deepEqual(cs.cohorts, [2015, 2016, 2017, 2018]);
    const md = out('table11_staggered.md');
    const row = md.split('\n').find((l) => l.startsWith('| ATT |'))!;
    const cells = row.split('|').slice(2, -1).map((c) => c.trim().replace(/(\\\*)+$/, ''));
    const att = [model('b1').coefficients[0].estimate, model('b7').coefficients[0].estimate, model('cs0').coefficients[0].estimate, cs.coefficients[0].estimate, model('es_sa').att.estimate, model('es_bjs').att.estimate];
    assert.deepEqual(cells, att.map((x) => x.toFixed(4)));
    assert.match(md, /\| Controls \| No \| Yes \| No \| Yes \| No \| No \|/);
  });

  it('Figure 5: the Bacon decomposition of the balanced-panel TWFE (weights sum to 1, weighted sum = b_bal)', () => {
    const b = results.find((r) => r.kind === 'bacon');
    const bal = model('b_bal').coefficients[0].estimate;
    assert.equal(b.nobs, model('b_bal').nobs);
    assert.equal(b.n_units, 260);
    let w = 0;
    let s = 0;
    for (const t of b.two_by_twos) {
      w += t.weight;
      s += t.weight * t.estimate;
    }
    assert.ok(Math.abs(w - 1) < 1e-12, `weights sum to ${w}`);
    assert.ok(Math.abs(s - bal) < 1e-9, `weighted sum ${s} vs b_bal ${bal}`);
    assert.ok(Math.abs(b.twfe - bal) < 1e-9);
    assert.ok(existsSync(join(run.dir, 'output', 'figure5_bacon.svg')));
  });
});
