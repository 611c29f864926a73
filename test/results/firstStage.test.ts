import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstStageTable, tablesForResult } from '../../server/src/results/tables';
import { renderText } from '../../server/src/results/render/text';
import { coef, estimation } from './fixtures';

test('an IV model shows its first stages: one column per endogenous variable, instruments first, F row', () => {
  const iv = estimation({
    command: 'ivreghdfe',
    name: 'iv',
    line: 7,
    first_stage: [
      { endog: 'x1', coefficients: [coef('z1', 0.5, 0.1, 0.0001), coef('w', 0.2, 0.3, 0.5)], f: 26.14, f_p: 1e-6, f_df: [1, 280], wald_f: 25, wald_p: 1e-6 },
      { endog: 'x2', coefficients: [coef('z1', -0.25, 0.05, 0.001), coef('w', 0.1, 0.2, 0.6)], f: 15.51, f_p: 1e-4, f_df: [1, 280], wald_f: 25, wald_p: 1e-6 },
    ],
  });
  const t = firstStageTable(iv);
  const text = renderText(t);
  assert.match(text, /First stage of iv \(line 7\)/);
  assert.match(text, /z1\s+0\.5000\*\*\*\s+-0\.2500\*\*\*/);
  assert.match(text, /First-stage F\s+26\.14\s+15\.51/);
  // the second stage's fit statistics are not repeated under the first stages
  assert.doesNotMatch(text, /R²/);
  // and the model on its own shows both the second stage and the first stages
  assert.equal(tablesForResult(iv, [iv]).length, 2);
  assert.equal(tablesForResult(estimation(), []).length, 1);
});
