// Callaway-Sant'Anna engine against R did 2.1.2 (att_gt + aggte, bstrap = FALSE) on mpdta: every
// ATT(g,t), every aggregate and the Wald pre-test of the five reference cases, to 1e-6 relative.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateCsdid, type CsdidEstimate } from '../../server/src/engine/did/csdid';
import { loadCase, type RefCase } from '../util/refdata';
import { close } from './helpers';
import { BASE, mpdtaInput } from './csdidFixtures';


/** null in R's JSON (NA) must be null here; numbers to 1e-6 relative. */
function closeOrNull(actual: number | null, expected: number | null, what: string): void {
  if (expected === null) assert.equal(actual, null, what);
  else close(actual as number, expected, what);
}

function checkAgainstR(est: CsdidEstimate, r: RefCase): void {
  assert.equal(est.nUnits, r.n_units, 'n_units');
  assert.equal(est.cells.length, r.att_gt.length, 'number of ATT(g,t)');
  r.att_gt.forEach((ref: { group: number; time: number; att: number; se: number | null }, k: number) => {
    const c = est.cells[k];
    assert.equal(c.group, ref.group);
    assert.equal(c.time, ref.time);
    close(c.att as number, ref.att, `ATT(${ref.group},${ref.time})`);
    closeOrNull(c.se, ref.se, `se ATT(${ref.group},${ref.time})`);
  });
  close(est.simple.att, r.aggte_simple.att, 'simple att');
  close(est.simple.se as number, r.aggte_simple.se, 'simple se');
  const blocks: [string, CsdidEstimate['event'], RefCase, string, string][] = [
    ['event', est.event, r.aggte_dynamic, 'by_event_time', 'e'],
    ['group', est.group, r.aggte_group, 'by_group', 'g'],
    ['calendar', est.calendar, r.aggte_calendar, 'by_time', 't'],
  ];
  for (const [name, mine, ref, byName, key] of blocks) {
    close(mine.att, ref.overall_att, `${name} overall att`);
    close(mine.se as number, ref.overall_se, `${name} overall se`);
    assert.deepEqual(mine.by.map((b) => b.key), ref[byName].map((b: Record<string, number>) => b[key]), `${name} keys`);
    ref[byName].forEach((b: Record<string, number | null>, k: number) => {
      close(mine.by[k].att, b.att as number, `${name} ${b[key]} att`);
      closeOrNull(mine.by[k].se, b.se, `${name} ${b[key]} se`);
    });
  }
  assert.ok(est.pretrend, 'pre-test reported');
  close(est.pretrend.stat, r.wald_pretest.W[0][0], 'Wald W');
  assert.equal(est.pretrend.p, r.wald_pretest.p[0][0], 'Wald p (rounded to 5 decimals as R)');
}

test('mpdta_cs_nevertreated: dr, never treated, varying base', () => {
  checkAgainstR(estimateCsdid(mpdtaInput(), BASE), loadCase('mpdta_cs_nevertreated').results);
});

test('mpdta_cs_notyettreated: dr, not yet treated', () => {
  checkAgainstR(estimateCsdid(mpdtaInput(), { ...BASE, control: 'notyet' }), loadCase('mpdta_cs_notyettreated').results);
});

test('mpdta_cs_notyet_reg: outcome regression, not yet treated', () => {
  checkAgainstR(estimateCsdid(mpdtaInput(), { ...BASE, control: 'notyet', method: 'reg' }), loadCase('mpdta_cs_notyet_reg').results);
});

test('mpdta_cs_universal: universal base period', () => {
  checkAgainstR(estimateCsdid(mpdtaInput(), { ...BASE, basePeriod: 'universal' }), loadCase('mpdta_cs_universal').results);
});

test('mpdta_cs_lpop_dr: doubly robust with covariate lpop', () => {
  checkAgainstR(estimateCsdid(mpdtaInput(['lpop']), BASE), loadCase('mpdta_cs_lpop_dr').results);
});
