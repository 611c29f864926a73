// esttab's estout-style options: number formats, the option reader (server/src/results/esttabSpec.ts)
// and what regressionTable draws from them (stars, footer rows, indicate rows, headers, notes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../grammar/src/index';
import type { Option } from '../../grammar/src/ast';
import { resolveCommand, resolveOption } from '../../grammar/src/commands';
import { applyNumFormat, parseNumFormat } from '../../server/src/results/numberFormat';
import { readEsttabLayout } from '../../server/src/results/esttabSpec';
import { regressionTable } from '../../server/src/results/regressionTable';
import { renderText } from '../../server/src/results/render/text';
import { cellText, type TableModel } from '../../server/src/results/tableModel';
import { coef, estimation } from './fixtures';

const fmt = (x: number, f: string) => applyNumFormat(x, parseNumFormat(f)!);

test('Stata formats: %f %fc %g %e, digit counts and estout a#', () => {
  assert.equal(fmt(0.123456, '%9.4f'), '0.1235');
  assert.equal(fmt(-0.00001, '%9.3f'), '0.000'); // never -0.000
  assert.equal(fmt(1234567.891, '%12.1fc'), '1,234,567.9');
  assert.equal(fmt(5130, '%9.0fc'), '5,130');
  assert.equal(fmt(0.123456, '3'), '0.123');
  assert.equal(fmt(12.3456, '%9.3g'), '12.3');
  assert.equal(fmt(0.0123456, '%9.3g'), '0.0123');
  assert.equal(fmt(1234.5678, '%9.3g'), '1.23e+03');
  assert.equal(fmt(0.5, '%9.3g'), '0.5'); // trailing zeros dropped, as %g
  assert.equal(fmt(1234.5678, '%9.2e'), '1.23e+03');
  assert.equal(fmt(0.00123456, 'a3'), '0.00123');
  assert.equal(fmt(1.23456, 'a3'), '1.235');
  assert.equal(fmt(12.3456, 'a3'), '12.35');
  assert.equal(fmt(1234.56, 'a3'), '1234.6');
  assert.equal(fmt(5130, 'a'), '5130');
  assert.equal(applyNumFormat(NaN, parseNumFormat('%9.3f')!), '.');
  for (const bad of ['%9.4x', 'foo', '%9f', '%9.3ec', 'a12', '%', '123']) assert.equal(parseNumFormat(bad), undefined, bad);
});

/** The esttab options of one spec line, by canonical name, read as the runtime and checker do. */
function layoutOf(line: string) {
  const cmd = parse(line).statements[0].command;
  const spec = resolveCommand('esttab')!;
  const given = new Map<string, Option>();
  for (const o of cmd.options) given.set(resolveOption(spec, o.name)!.name, o);
  return { ...readEsttabLayout(given), line };
}

test('the reader: esttab footer order, scalars labels and formats, indicate groups, stars sorted', () => {
  const { layout, problems } = layoutOf(
    'esttab m1 m2, b(%9.4f) se(%9.3f) star(*** 0.01 * 0.10 ** 0.05) ar2(%9.2f) scalars("r2_within Within R2" N_clust) sfmt(%9.4f %9.0f) obslast indicate("City FE = *city*" "Year FE = *year* i.year", labels(Y N)) nonumbers mtitles nonotes addnotes("A." "B.")',
  );
  assert.deepEqual(problems, []);
  assert.equal(layout.b_format, '%9.4f');
  assert.equal(layout.paren_format, '%9.3f');
  assert.deepEqual(layout.star_levels, [
    { symbol: '*', p: 0.1 },
    { symbol: '**', p: 0.05 },
    { symbol: '***', p: 0.01 },
  ]);
  assert.deepEqual(layout.stat_rows, [
    { stat: 'r2_within', label: 'Within R2', format: '%9.4f' },
    { stat: 'N_clust', format: '%9.0f' },
    { stat: 'r2_a', format: '%9.2f' },
    { stat: 'N' }, // obslast
  ]);
  assert.deepEqual(layout.indicate, [
    { label: 'City FE', patterns: ['*city*'] },
    { label: 'Year FE', patterns: ['*year*', 'i.year'] },
  ]);
  assert.deepEqual(layout.indicate_labels, ['Y', 'N']);
  assert.equal(layout.numbers, false);
  assert.equal(layout.mtitle_row, 'names');
  assert.equal(layout.notes, false);
  assert.deepEqual(layout.addnotes, ['A.', 'B.']);
  // scalars("N Observations") relabels the N row instead of adding a second one
  assert.deepEqual(layoutOf('esttab, scalars("N Observations") r2').layout.stat_rows, [{ stat: 'N', label: 'Observations' }, { stat: 'r2' }]);
  // stats() is the footer exactly, the last fmt() serving the rest
  assert.deepEqual(layoutOf('esttab, stats(N r2 r2_a, fmt(%9.0fc 3) labels("Obs." "R2"))').layout.stat_rows, [
    { stat: 'N', label: 'Obs.', format: '%9.0fc' },
    { stat: 'r2', label: 'R2', format: '3' },
    { stat: 'r2_a', format: '3' },
  ]);
});

test('the reader: each problem has a message and the range of what is wrong', () => {
  const cases: [string, string, RegExp][] = [
    ['esttab m, b(%9.4x)', '%9.4x', /b\(\): `%9\.4x` is not a number format/],
    ['esttab m, se(%9.3f) t', 't', /choose one of se, t, p and ci/],
    ['esttab m, star(* 0.10 ** 5)', '5', /must be a number in \(0, 1\]/],
    ['esttab m, star(* 0.10 **)', '* 0.10 **', /pairs of a symbol and a p-value/],
    ['esttab m, stats(N r2 bogus)', 'bogus', /unknown statistic `bogus`/],
    ['esttab m, scalars("ymean Mean of y")', '"ymean Mean of y"', /unknown statistic `ymean`/],
    ['esttab m, stats(N, fmt(%9.0f) layout(@))', 'layout', /unknown suboption layout\(\)/],
    ['esttab m, stats(N) ar2', 'ar2', /ar2 has no effect with stats\(\)/],
    ['esttab m, indicate("= *year*")', '"= *year*"', /indicate\(\): write each group as "LABEL = PATTERN/],
    ['esttab m, addnotes(x)', 'addnotes(x)', /addnotes\(\) needs one or more quoted lines/],
    ['esttab m, b', 'b', /b\(\) needs a Stata number format/],
    ['esttab m, sfmt(%9.3f)', 'sfmt', /give scalars\(\) too/],
  ];
  for (const [line, needle, re] of cases) {
    const { problems } = layoutOf(line);
    assert.equal(problems.length, 1, `${line}: ${JSON.stringify(problems.map((p) => p.message))}`);
    assert.match(problems[0].message, re, line);
    const at = line.lastIndexOf(needle);
    assert.deepEqual([problems[0].range.start.character, problems[0].range.end.character], [at, at + needle.length], line);
  }
});

const rowsOf = (t: TableModel) => t.sections.flat().map((r) => [r.label, ...r.cells.map((c) => cellText(c, true, (n) => String(n)))]);

test('regressionTable: formats, custom stars, p-values, footer rows, indicate, headers and notes', () => {
  const m1 = estimation({ name: 'base', coefficients: [coef('treat', 0.39123, 0.0771, 0.05), coef('gdp_pc', -0.0123, 0.01, 0.08)] });
  const m2 = estimation({
    name: 'dummies',
    fixed_effects: [{ name: 'city', levels: 285 }],
    r2_within: null,
    vcov: { type: 'robust', clusters: [], n_clusters: [] },
    coefficients: [coef('treat', 0.5, 0.1, 0.0001), coef('2004.year', 0.2, 0.1, 0.5), coef('2005.year', 0.3, 0.1, 0.5)],
  });
  const t = regressionTable([m1, m2], {
    bFormat: '%9.2f',
    parenFormat: '%9.3f',
    starLevels: [
      { symbol: '+', p: 0.1 },
      { symbol: '*', p: 0.05 },
    ],
    statRows: [{ stat: 'N', label: 'Observations', format: '%9.0fc' }, { stat: 'r2_within', format: '%9.3f' }, { stat: 'r2_a' }, { stat: 'N_clust' }],
    indicate: [
      { label: 'City FE', patterns: ['*city*'] },
      { label: 'Year FE', patterns: ['*year*'] },
    ],
    mtitleRow: 'names',
    addnotes: ['Clustered by city.'],
  });
  assert.deepEqual(t.headers.map((h) => h.cells), [['(1)', '(2)'], ['base', 'dummies']]);
  assert.deepEqual(rowsOf(t), [
    ['treat', '0.39+', '0.50*'], // p = 0.05 is not below 0.05: stars need p < level
    ['', '(0.077)', '(0.100)'],
    ['gdp_pc', '-0.01+', ''],
    ['', '(0.010)', ''],
    // the year dummies left the body for the indicate row; no automatic FE rows
    ['City FE', 'Yes', 'Yes'],
    ['Year FE', 'Yes', 'Yes'],
    ['Observations', '5,130', '5,130'],
    ['Within R²', '0.123', ''],
    ['Adjusted R²', '0.9400', '0.9400'],
    ['Clusters', '285', ''],
  ]);
  assert.deepEqual(t.notes, ['Standard errors in parentheses', '+ p<0.10, * p<0.05', 'Clustered by city.']);

  const plain = regressionTable([m1, m2], { paren: 'p', starLevels: [], numbers: false, mtitleRow: false, notes: false });
  assert.deepEqual(plain.headers, []);
  assert.deepEqual(plain.notes, []);
  assert.deepEqual(rowsOf(plain).slice(0, 2), [
    ['treat', '0.3912', '0.5000'],
    ['', '(0.050)', '(0.000)'],
  ]);
  // no header rows: the text table opens with its heavy rule, then the body
  const txt = renderText(plain).split('\n');
  assert.match(txt[0], /^=+$/);
  assert.match(txt[1], /^treat\s+0\.3912\s+0\.5000$/);
});

test('regressionTable without esttab options keeps its default footer and notes', () => {
  const t = regressionTable([estimation()]);
  assert.deepEqual(
    t.sections.flat().filter((r) => r.role !== 'coef' && r.role !== 'se').map((r) => r.label),
    ['city FE', 'year FE', 'N', 'R²', 'Within R²', 'Clusters'],
  );
  assert.deepEqual(t.notes, ['Standard errors clustered by city in parentheses', '* p<0.10, ** p<0.05, *** p<0.01']);
  assert.equal(t.headers.length, 2);
});
