// The Bacon result's table, SVG plot and results-panel entry, built from the engine's decomposition of mpdta.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBacon } from '../../server/src/engine/did/bacon';
import { baconSvg } from '../../server/src/results/plots/bacon';
import { baconTable } from '../../server/src/results/baconTable';
import { panelItems, plotSvg } from '../../client/src/panelModel';
import type { BaconResultJson } from '../../server/src/results/types';
import { readCsv } from '../study/helpers';

function mpdtaBacon(): BaconResultJson {
  const d = readCsv('test/reference/data/mpdta.csv');
  const year = d.num('year').values;
  const ft = d.num('first.treat').values;
  const post = Float64Array.from(year, (t, i) => (ft[i] > 0 && t >= ft[i] ? 1 : 0));
  const r = runBacon({ y: d.num('lemp').values, treat: post, unit: d.num('countyreal').values, time: year });
  const types = [...new Set(r.two_by_twos.map((p) => p.type))];
  const by_type = types.map((type) => {
    const ps = r.two_by_twos.filter((p) => p.type === type);
    const w = ps.reduce((s, p) => s + p.weight, 0);
    return { type, weight: w, avg_estimate: ps.reduce((s, p) => s + p.weight * p.estimate, 0) / w };
  });
  return { kind: 'bacon', line: 4, depvar: 'lemp', treat: 'post', twfe: r.twfe, nobs: r.nobs, n_units: r.n_units, n_periods: r.n_periods, two_by_twos: r.two_by_twos, by_type, seconds: 0 };
}

test('bacon table: one row per 2x2, totals by type, the TWFE note', () => {
  const b = mpdtaBacon();
  const t = baconTable(b, { decimals: 4 });
  assert.equal(t.sections[0].length, 9);
  assert.equal(t.sections[1].length, 3);
  assert.equal(t.sections[0][4].label, '2007 vs never treated');
  assert.match(t.notes[0], /TWFE estimate -0\.0365/);
});

test('bacon plot: a marker per comparison, the TWFE line, standalone colours', () => {
  const b = mpdtaBacon();
  const svg = baconSvg(b, { standalone: true });
  assert.equal((svg.match(/<title>cohort /g) ?? []).length, 9);
  assert.ok(svg.includes('class="ps-twfe"'));
  assert.ok(svg.includes('fill="#ffffff"'));
  assert.ok(!svg.includes('NaN'));
  const themed = baconSvg(b);
  assert.ok(themed.includes('currentColor'));
});

test('results panel shows the Bacon table and plot', () => {
  const items = panelItems({ version: 1, file: 'f', results: [mpdtaBacon()] }, {});
  assert.equal(items[0].heading, 'bacondecomp post · line 4');
  assert.equal(items[0].tables.length, 1);
  assert.equal(items[0].plots[0].kind, 'bacon');
  assert.match(plotSvg(items[0].plots[0], true), /Goodman-Bacon decomposition: post on lemp/);
});
