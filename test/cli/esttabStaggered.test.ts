// esttab with staggered-adoption estimators beside a TWFE DID: csdid's ATT, the ATT aggregate of
// eventstudy estimator(sunab) and estimator(bjs) as an `ATT` row, the adoption cohorts each model
// uses, and indicate() seeing csdid's covariates. Numbers from the models' JSON and from R.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCase, runSpecText, PREP } from './helpers';

const SPEC =
  PREP +
  `eststo m3: did lemp post lpop, fe(countyreal year) cluster(countyreal)
eststo cs: csdid lemp lpop, gvar(first_treat)
eststo es_sa: eventstudy lemp, treat(first_treat) window(-3 3) ref(-1) fe(countyreal year) cluster(countyreal) estimator(sunab)
eststo es_bjs: eventstudy lemp, treat(first_treat) window(-3 3) fe(countyreal year) cluster(countyreal) estimator(bjs)
esttab m3 cs es_sa es_bjs using "t.md", keep(post ATT) rename(post ATT) indicate("Controls = lpop") stats(N cohorts) b(%9.6f) se(%9.6f)
`;

/** The markdown table's body rows as label -> cells (markdown escapes removed). */
function mdRows(md: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  let last = '';
  for (const line of md.split('\n')) {
    if (!line.startsWith('|') || /^\| :/.test(line)) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim().replace(/\\(.)/g, '$1'));
    const label = cells[0] || `${last} (se)`;
    if (cells[0]) last = cells[0];
    rows.set(label, cells.slice(1));
  }
  return rows;
}

describe('esttab of staggered-adoption estimators', () => {
  it('one ATT row: the DID coefficient, csdid ATT, sunab and BJS aggregates; controls and cohorts per model', () => {
    const r = runSpecText(SPEC, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const model = (n: string) => r.json.results.find((x: any) => x.kind === 'estimation' && x.name === n);
    const rows = mdRows(readFileSync(join(r.dir, 't.md'), 'utf8'));
    const f6 = (x: number) => x.toFixed(6);
    const att = rows.get('ATT')!.map((c) => c.replace(/\*+$/, ''));
    const se = rows.get('ATT (se)')!.map((c) => c.replace(/[()]/g, ''));
    const post = model('m3').coefficients.find((c: any) => c.term === 'post');
    const csAtt = model('cs').coefficients.find((c: any) => c.term === 'ATT');
    assert.deepEqual(att, [f6(post.estimate), f6(csAtt.estimate), f6(model('es_sa').att.estimate), f6(model('es_bjs').att.estimate)]);
    assert.deepEqual(se, [f6(post.se), f6(csAtt.se), f6(model('es_sa').att.se), f6(model('es_bjs').att.se)]);
    // the aggregates are R's: did's aggte simple with xformla = ~lpop (dr), didimputation's static tau
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    const dr = loadCase('mpdta_cs_lpop_dr').results.aggte_simple;
    assert.ok(rel(csAtt.estimate, dr.att) < 1e-6, `cs ${csAtt.estimate} vs R ${dr.att}`);
    const tau = loadCase('mpdta_bjs').results.static.table[0];
    assert.ok(rel(model('es_bjs').att.estimate, tau.estimate) < 1e-6, `bjs ${model('es_bjs').att.estimate} vs R ${tau.estimate}`);
    // stars follow each model's p (BJS and sunab from their att)
    assert.match(rows.get('ATT')![3], model('es_bjs').att.p < 0.01 ? /\*\*\*$/ : /[^*]$/);
    // lpop: a regressor of m3 (omitted there, constant within county: Stata keeps o.lpop and estout
    // indicates it) and a covariate of csdid; the event studies have none
    assert.deepEqual(rows.get('Controls'), ['Yes', 'Yes', 'No', 'No']);
    assert.deepEqual(rows.get('N'), [model('m3').nobs, model('cs').nobs, model('es_sa').nobs, model('es_bjs').nobs].map((n: number) => n.toLocaleString('en-US')));
    // mpdta's cohorts are 2004, 2006 and 2007; BJS does not report its cohorts
    assert.deepEqual(model('cs').cohorts, [2004, 2006, 2007]);
    assert.deepEqual(rows.get('Cohorts'), ['3', '3', '3', '']);
  });
});
