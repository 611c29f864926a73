import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderResultText, renderRunText } from '../../server/src/results/render/resultText';
import type { CommandResult, MatchResult, TableResult } from '../../server/src/results/types';
import { estimation, eventStudy, placebo, summary } from './fixtures';

test('every kind of result prints as text', () => {
  assert.equal(renderResultText({ kind: 'data', file: 'cities.csv', rows: 5130, columns: 20, seconds: 0 }), 'Data: cities.csv: 5,130 rows, 20 columns\n');
  const m: MatchResult = { kind: 'match', name: 'matched', treated_matched: 1000, controls_used: 800, rows_kept: 1800, seconds: 0 };
  assert.match(renderResultText(m), /psmatch matched: 1,000 treated rows matched, 800 controls used, 1,800 rows kept/);
  assert.match(renderResultText(placebo()), /Placebo: 500 draws; actual estimate 0\.3900; .*p < 0\.001 \(share/);
  assert.match(renderResultText(summary()), /Variable\s+N\s+Mean\s+SD\s+Min\s+Max/);
  assert.match(renderResultText({ kind: 'index', name: 'gtfp', method: 'entropy', weights: [{ var: 'gdp_pc', direction: 1, weight: 0.075 }], seconds: 0 }), /gdp_pc\s+\+\s+0\.0750/);
  const es = renderResultText(eventStudy());
  assert.match(es, /0 \(ref\.\)/);
  assert.match(es, /Pre-trend test/);
  assert.equal(renderResultText({ kind: 'export', file: 'x.csv', rows: 3, seconds: 0 }), 'export: file x.csv, rows 3\n');
});

test('a run: esttab shows the named models side by side', () => {
  const m2 = estimation({ name: 'm2', line: 13, depvar: 'z' });
  const tab: TableResult = { kind: 'table', models: ['m1', 'm2'], file: 'table3.tex', seconds: 0, line: 14 };
  const results: CommandResult[] = [estimation(), m2, tab];
  const text = renderRunText({ version: 1, file: 's.pspec', results });
  const esttab = text.slice(text.lastIndexOf('(1)'));
  assert.match(esttab, /\(1\)\s+\(2\)/);
  assert.match(esttab, /y\s+z/);
  assert.match(text, /\(written to table3\.tex\)/);
});
