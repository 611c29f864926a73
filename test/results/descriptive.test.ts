import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tablesForResult } from '../../server/src/results/tables';
import { renderText } from '../../server/src/results/render/text';
import { renderCsv } from '../../server/src/results/render/csv';
import type { DescribeResult, TabstatResult, TabulateResult } from '../../server/src/results/types';

test('tabstat: Table 2 layout from n mean sd min max', () => {
  const r: TabstatResult = {
    kind: 'tabstat',
    seconds: 0,
    statistics: ['n', 'mean', 'sd', 'min', 'max'],
    by: null,
    rows: [
      { var: 'gtfp', n: 5130, mean: 1.25, sd: 0.5, min: 0.1, max: 3 },
      { var: 'treat', n: 5130, mean: 0.2, sd: 0.4, min: 0, max: 1 },
    ],
  };
  const [t] = tablesForResult(r, [r]);
  assert.deepEqual(t.headers[0].cells, ['N', 'Mean', 'SD', 'Min', 'Max']);
  assert.match(renderText(t), /gtfp\s+5,130\s+1\.2500\s+0\.5000\s+0\.1000\s+3\.0000/);
});

test('tabstat by group labels rows with the group', () => {
  const r: TabstatResult = { kind: 'tabstat', seconds: 0, statistics: ['mean'], by: 'east', rows: [{ var: 'y', group: '0', mean: 1 }, { var: 'y', group: 'Total', mean: 2 }] };
  const [t] = tablesForResult(r, [r]);
  assert.deepEqual(
    t.sections[0].map((x) => x.label),
    ['0: y', 'Total: y'],
  );
  assert.equal(t.title, 'Statistics by east');
});

test('tabulate one-way and two-way', () => {
  const one: TabulateResult = { kind: 'tabulate', seconds: 0, vars: ['region'], total: 10, rows: [{ value: 'east', freq: 6, percent: 60, cum: 60 }, { value: 'west', freq: 4, percent: 40, cum: 100 }] };
  const csv = renderCsv(tablesForResult(one, [one])[0]);
  assert.equal(csv, 'region,Freq.,Percent,Cum.\r\neast,6,60.00,60.00\r\nwest,4,40.00,100.00\r\nTotal,10,100.00,\r\n');
  const two: TabulateResult = { kind: 'tabulate', seconds: 0, vars: ['region', 'treat'], total: 10, columns: ['0', '1'], rows: [{ value: 'east', freq: [4, 2] }, { value: 'west', freq: [3, 1] }] };
  const csv2 = renderCsv(tablesForResult(two, [two])[0]).split('\r\n');
  assert.deepEqual(csv2.slice(1, 5), ['region,0,1,Total', 'east,4,2,6', 'west,3,1,4', 'Total,7,3,10']);
});

test('describe lists variables; empty results give no table rather than a crash', () => {
  const d: DescribeResult = {
    kind: 'describe', seconds: 0, rows: 5130, columns: 3, file: 'c.csv', variables: [{ name: 'y', type: 'double', label: 'Output', missing: 2 }],
    panel: { unit: 'city', time: 'year', units: 285, periods: 18, time_min: 2003, time_max: 2020, balanced: true, min_obs_per_unit: 18, max_obs_per_unit: 18 },
  };
  const txt = renderText(tablesForResult(d, [d])[0]);
  assert.match(txt, /y\s+double\s+2\s+Output/);
  assert.match(txt, /Panel: city × year, 285 units, 18 periods \(balanced\)/);
  assert.deepEqual(tablesForResult({ kind: 'tabstat', seconds: 0, statistics: ['mean'], by: null, rows: [] }, []), []);
  assert.deepEqual(tablesForResult({ kind: 'tabulate', seconds: 0, vars: ['region'], total: 0, rows: [] }, []), []);
});
