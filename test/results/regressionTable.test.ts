import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globMatch, regressionTable } from '../../server/src/results/regressionTable';
import { resolveEsttabModels, esttabModel } from '../../server/src/results/tables';
import { ResultsError } from '../../server/src/results/errors';
import type { TableResult } from '../../server/src/results/types';
import { coef, estimation } from './fixtures';

const m1 = estimation();
const m2 = estimation({
  name: 'm2',
  line: 14,
  depvar: 'z',
  nobs: 4000,
  r2_within: null,
  fixed_effects: [{ name: 'city', levels: 285 }],
  vcov: { type: 'robust', clusters: [], n_clusters: [] },
  coefficients: [coef('treat', 0.5, 0.1, 0.03), coef('ind', 1.2, 0.5, 0.2), coef('_cons', 3, 1, 0.001)],
});

test('models side by side: coefficients with stars, SE in parentheses below', () => {
  const t = regressionTable([m1, m2]);
  assert.equal(t.ncols, 2);
  assert.deepEqual(t.headers[0].cells, ['(1)', '(2)']);
  assert.deepEqual(t.headers[1].cells, ['y', 'z']);
  const rows = t.sections[0];
  assert.deepEqual(
    rows.filter((r) => r.role === 'coef').map((r) => r.term),
    ['treat', 'gdp_pc', 'pop', 'ind', '_cons'],
  );
  assert.deepEqual(rows[0].cells[0], { kind: 'estimate', text: '0.3900', stars: '***' });
  assert.deepEqual(rows[0].cells[1], { kind: 'estimate', text: '0.5000', stars: '**' });
  assert.deepEqual(rows[1].cells[0], { kind: 'paren', text: '0.0770' });
  assert.equal(rows[1].role, 'se');
  // gdp_pc is not in model 2: empty cells
  assert.deepEqual(rows[2].cells[1], { kind: 'empty' });
  assert.equal(rows[8].label, 'Constant');
});

test('FE rows say Yes/No; N, R², within R², clusters', () => {
  const t = regressionTable([m1, m2]);
  const fe = t.sections[1];
  assert.deepEqual(
    fe.map((r) => [r.label, ...r.cells.map((c) => (c.kind === 'text' ? c.text : '?'))]),
    [
      ['city FE', 'Yes', 'Yes'],
      ['year FE', 'Yes', 'No'],
    ],
  );
  const stats = t.sections[2];
  assert.deepEqual(
    stats.map((r) => r.label),
    ['N', 'R²', 'Within R²', 'Clusters'],
  );
  assert.deepEqual(stats[0].cells, [
    { kind: 'count', value: 5130 },
    { kind: 'count', value: 4000 },
  ]);
  assert.deepEqual(stats[1].cells[0], { kind: 'text', text: '0.9512' });
  assert.deepEqual(stats[2].cells[1], { kind: 'empty' });
  assert.deepEqual(stats[3].cells[0], { kind: 'count', value: 285 });
  assert.match(t.notes.join('\n'), /\* p<0\.10, \*\* p<0\.05, \*\*\* p<0\.01/);
});

test('keep / drop with globs, order, rename, labels, decimals, stars, mtitles', () => {
  const t = regressionTable([m1, m2], {
    keep: ['treat', 'g*', 'ind'],
    drop: ['ind'],
    order: ['gdp_pc'],
    labels: { treat: 'Smart city pilot', y: 'Green TFP', city: 'City' },
    decimals: 2,
    stars: [0.05, 0.01],
    mtitles: ['Baseline'],
    title: 'Table 3',
  });
  const coefs = t.sections[0].filter((r) => r.role === 'coef');
  assert.deepEqual(
    coefs.map((r) => r.label),
    ['gdp_pc', 'Smart city pilot'],
  );
  assert.deepEqual(coefs[1].cells[0], { kind: 'estimate', text: '0.39', stars: '**' });
  assert.deepEqual(t.headers[1].cells, ['Baseline', 'z']);
  assert.equal(t.sections[1][0].label, 'City FE');
  assert.equal(t.title, 'Table 3');
  assert.equal(t.notes[1], '* p<0.05, ** p<0.01');

  const r = regressionTable([m1, m2], { rename: { ind: 'gdp_pc' } });
  const merged = r.sections[0].find((x) => x.term === 'gdp_pc')!;
  assert.deepEqual(merged.cells[1], { kind: 'estimate', text: '1.2000', stars: '' });
  assert.ok(globMatch('x?', 'x1') && !globMatch('x?', 'x12') && globMatch('*', 'a.b'));
});

test('clustered SE note names the cluster variable', () => {
  assert.equal(regressionTable([m1]).notes[0], 'Standard errors clustered by city in parentheses');
  assert.equal(regressionTable([m1, m2]).notes[0], 'Standard errors in parentheses');
});

test('esttab resolves stored models by name, as Stata', () => {
  const m1b = { ...m1, line: 20, r2: 0.5 };
  const all = [m1, m2, m1b];
  const tab: TableResult = { kind: 'table', models: ['m2', 'm1'], file: null, seconds: 0, line: 30, title: 'Main' };
  const models = resolveEsttabModels(tab, all);
  assert.deepEqual(
    models.map((m) => [m.name, m.line]),
    [
      ['m2', 14],
      ['m1', 20],
    ],
  );
  assert.equal(esttabModel(tab, all).title, 'Main');
  // Only models before the esttab line count.
  assert.equal(resolveEsttabModels({ ...tab, line: 15 }, all)[1].line, 12);
  // Without names: every stored model.
  assert.equal(resolveEsttabModels({ ...tab, models: [] }, all).length, 2);
  assert.throws(() => resolveEsttabModels({ ...tab, models: ['nope'] }, all), (e: unknown) => e instanceof ResultsError && /no stored model named "nope"/.test((e as Error).message));
  assert.throws(() => regressionTable([]), ResultsError);
});

test('IV rows: first-stage F and Kleibergen-Paap only when a model has them', () => {
  const iv = estimation({
    command: 'ivreghdfe',
    name: 'iv',
    first_stage: [{ endog: 'treat', coefficients: [], f: 45.678, f_p: 1e-9, f_df: [1, 280], wald_f: 40, wald_p: 1e-8 }],
    kp_rk_lm: { stat: 30.1234, df: 1, p: 0.00001 },
    kp_rk_wald_f: 52.3456,
  });
  const t = regressionTable([m1, iv]);
  const stats = t.sections[2];
  const row = (l: string) => stats.find((r) => r.label === l)!;
  assert.deepEqual(row('First-stage F').cells, [{ kind: 'empty' }, { kind: 'text', text: '45.68' }]);
  assert.deepEqual(row('KP rk LM').cells[1], { kind: 'text', text: '30.12 [0.000]' });
  assert.deepEqual(row('KP rk Wald F').cells[1], { kind: 'text', text: '52.35' });
  assert.equal(regressionTable([m1]).sections[2].some((r) => r.label.startsWith('KP') || r.label.startsWith('First')), false);
});
