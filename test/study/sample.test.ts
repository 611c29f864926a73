// The synthetic study data (samples/city_panel.csv) must give the study's results a sensible shape:
// a significant positive baseline DID on the entropy index, flat pre-trends, a placebo centred on
// zero, a strong instrument. Also times the placebo (500 draws, 5,130 rows, 7 regressors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimate } from '../../server/src/engine/estimate';
import { entropyIndex } from '../../server/src/engine/study/entropy';
import { runEventStudy } from '../../server/src/engine/study/eventstudy';
import { runPlacebo } from '../../server/src/engine/study/placebo';
import { estimateIV } from '../../server/src/engine/iv/estimateIV';
import { psMatch } from '../../server/src/engine/study/psmatch';
import { generateCityPanel, toCsv, INDICATORS, CONTROLS } from '../../samples/generate';
import { readFileSync } from 'node:fs';
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
