import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderAll, renderResult } from '../../server/src/results/render/resultText';
import type { CommandResult, MatchResult, TableResult } from '../../server/src/results/types';
import { estimation, eventStudy, placebo, summary } from './fixtures';

test('every kind of result prints as text', () => {
  const one = (r: CommandResult) => renderResult(r, [r]);
  assert.equal(one({ kind: 'data', file: 'cities.csv', rows: 5130, columns: 20, seconds: 0, line: 1 }), '[line 1] data: cities.csv (5130 rows, 20 columns)');
  const m: MatchResult = { kind: 'match', name: 'matched', treated_matched: 1000, controls_used: 800, rows_kept: 1800, seconds: 0, line: 4 };
  assert.equal(one(m), '[line 4] match: matched: 1000 treated matched, 800 controls used, 1800 rows kept');
  assert.match(one(placebo()), /^\[line 30\] placebo: 500 draws of treatment; actual 0\.3900, mean -?0\.\d{4}, sd 0\.\d{4}, p = 0$/);
  assert.match(one(summary()), /Variable\s+N\s+Mean\s+SD\s+Min\s+Max/);
  assert.match(one({ kind: 'index', name: 'gtfp', method: 'entropy', weights: [{ var: 'gdp_pc', direction: 1, weight: 0.075 }], seconds: 0 }), /gdp_pc\s+\+\s+0\.0750/);
  assert.match(one(eventStudy()), /0 \(ref\.\)/);
  assert.equal(one({ kind: 'export', file: 'x.csv', rows: 3, columns: 2, seconds: 0, line: 9 }), '[line 9] export: wrote x.csv (3 rows, 2 columns)');
  assert.equal(one({ kind: 'graph', file: 'es.svg', plot: 'eventstudy', source_line: 20, seconds: 0, line: 21 }), '[line 21] graph: wrote es.svg (event-study plot of line 20)');
  assert.match(one({ kind: 'tabulate', vars: ['region'], total: 10, rows: [{ value: 'east', freq: 6, percent: 60, cum: 60 }], seconds: 0, line: 2 }), /east\s+6\s+60\.00\s+60\.00\n/);
  // a result whose table is empty still prints its line
  assert.equal(one({ kind: 'tabstat', statistics: ['mean'], by: null, rows: [], seconds: 0, line: 3 }), '[line 3] tabstat');
});

test('a run: esttab shows the named models side by side; quietly results are left out', () => {
  const m2 = estimation({ name: 'm2', line: 13, depvar: 'z' });
  const tab: TableResult = { kind: 'table', models: ['m1', 'm2'], file: 'table3.tex', seconds: 0, line: 14 };
  const hidden = estimation({ name: 'hidden', line: 15, depvar: 'q', quiet: true });
  const results: CommandResult[] = [estimation(), m2, tab, hidden];
  const text = renderAll(results);
  const esttab = text.slice(text.lastIndexOf('(1)'));
  assert.match(esttab, /\(1\)\s+\(2\)/);
  assert.match(esttab, /y\s+z/);
  assert.doesNotMatch(text, /hidden/);
});
