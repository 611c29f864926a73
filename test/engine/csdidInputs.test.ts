// Callaway-Sant'Anna engine: sample rules (as R did 2.1.2), bad input (clear errors naming the unit or
// cohort, never NaN), the 2x2 estimators' general path and the multiplier bootstrap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateCsdid, type CsdidInput } from '../../server/src/engine/did/csdid';
import { twoByTwo } from '../../server/src/engine/did/csdid/twoByTwo';
import { mulberry32 } from '../util/mulberry32';
import { close } from './helpers';
import { BASE, mpdtaInput } from './csdidFixtures';

const mpdta = mpdtaInput;

/** The rows of `inp` where keep(i), as a new input. */
function subset(inp: CsdidInput, keep: (i: number) => boolean): CsdidInput {
  const idx = [...inp.y.keys()].filter(keep);
  const pick = (v: Float64Array) => Float64Array.from(idx, (i) => v[i]);
  return { unit: pick(inp.unit), time: pick(inp.time), gvar: pick(inp.gvar), y: pick(inp.y), covariates: inp.covariates.map((c) => ({ name: c.name, values: pick(c.values) })) };
}

/** ATT(g,t) by hand: mean change of cohort g minus mean change of the controls, from rows. */
function handAtt(inp: CsdidInput, g: number, t: number, base: number, isControl: (gu: number) => boolean): number {
  const yAt = new Map<string, number>();
  const gOf = new Map<number, number>();
  inp.y.forEach((v, i) => {
    yAt.set(`${inp.unit[i]}:${inp.time[i]}`, v);
    gOf.set(inp.unit[i], inp.gvar[i]);
  });
  let sT = 0, nT = 0, sC = 0, nC = 0;
  for (const [u, gu] of gOf) {
    const d = (yAt.get(`${u}:${t}`) as number) - (yAt.get(`${u}:${base}`) as number);
    if (gu === g) { sT += d; nT++; } else if (isControl(gu)) { sC += d; nC++; }
  }
  return sT / nT - sC / nC;
}

test('unbalanced panel: units missing a period are dropped with a warning, as R', () => {
  const full = mpdta();
  const firstUnit = full.unit[0];
  const holey = subset(full, (i) => !(full.unit[i] === firstUnit && full.time[i] === 2005));
  const est = estimateCsdid(holey, BASE);
  assert.equal(est.nUnits, 499);
  assert.ok(est.warnings.some((w) => /dropped 1 unit\(s\) not observed in every period/.test(w)), est.warnings.join('; '));
  const without = estimateCsdid(subset(full, (i) => full.unit[i] !== firstUnit), BASE);
  close(est.simple.att, without.simple.att, 'same as without the unit');
  close(est.simple.se as number, without.simple.se as number, 'same se');
});

test('no never-treated units: an error with never-treated controls; with notyet R drops the last cohort\'s periods', () => {
  const inp = mpdta();
  const treatedOnly = subset(inp, (i) => inp.gvar[i] !== 0);
  assert.throws(() => estimateCsdid(treatedOnly, BASE), /no never-treated units.*notyet/);
  const est = estimateCsdid(treatedOnly, { ...BASE, control: 'notyet' });
  // periods < 2007 remain; cohort 2007 is the only control; cohorts 2004 and 2006 get cells
  assert.deepEqual(est.periods, [2003, 2004, 2005, 2006]);
  assert.deepEqual(est.cohorts, [2004, 2006]);
  assert.ok(est.warnings.some((w) => /cohort 2007 serves only as a not-yet-treated control/.test(w)));
  const cell = est.cells.find((c) => c.group === 2004 && c.time === 2006);
  close(cell?.att as number, handAtt(treatedOnly, 2004, 2006, 2003, (gu) => gu > 2006 && gu !== 2004), 'ATT(2004, 2006) by hand');
  const pre = est.cells.find((c) => c.group === 2006 && c.time === 2005);
  close(pre?.att as number, handAtt(treatedOnly, 2006, 2005, 2004, (gu) => gu > 2005 && gu !== 2006), 'ATT(2006, 2005) by hand');
  for (const c of est.cells) assert.ok(c.att !== null && Number.isFinite(c.att) && c.se !== null && Number.isFinite(c.se));
});

test('a cohort treated in the first period is dropped with a warning naming it, as R', () => {
  const inp = mpdta();
  const early = new Set([...new Set(inp.unit)].filter((u, k) => k % 50 === 0));
  const g = Float64Array.from(inp.gvar, (v, i) => (early.has(inp.unit[i]) ? 2003 : v));
  const est = estimateCsdid({ ...inp, gvar: g }, BASE);
  assert.ok(est.warnings.some((w) => w.includes(`dropped ${early.size} unit(s) already treated in the first period 2003 (cohort 2003)`)), est.warnings.join('; '));
  const without = estimateCsdid(subset(inp, (i) => !early.has(inp.unit[i])), BASE);
  assert.equal(est.nUnits, without.nUnits);
  close(est.event.att, without.event.att, 'event overall att');
});

test('bad input: clear errors naming the unit, cohort or period', () => {
  const inp = mpdta();
  const u0 = inp.unit[0];
  const varying = Float64Array.from(inp.gvar, (v, i) => (inp.unit[i] === u0 && inp.time[i] === 2005 ? 2006 : v));
  assert.throws(() => estimateCsdid({ ...inp, gvar: varying }, BASE), new RegExp(`adoption time varies within unit ${u0}`));
  assert.throws(() => estimateCsdid(subset(inp, (i) => inp.time[i] !== 2005), BASE), /time variable has a gap: periods 2004 and 2006/);
  // every unit of cohort 2004 misses 2006: the cohort is empty in the balanced panel
  const empty = subset(inp, (i) => !(inp.gvar[i] === 2004 && inp.time[i] === 2006));
  assert.throws(() => estimateCsdid(empty, BASE), /cohort 2004 has no unit observed in every period/);
  const lpop = mpdta(['lpop']);
  const twice = { ...lpop, covariates: [...lpop.covariates, { name: 'lpop2', values: lpop.covariates[0].values.map((v) => 2 * v + 1) }] };
  for (const method of ['dr', 'reg', 'ipw'] as const)
    assert.throws(() => estimateCsdid(twice, { ...BASE, method }), /covariates are collinear .* cohort 2004 .* period 2004/);
  const constant = { ...inp, covariates: [{ name: 'one', values: new Float64Array(inp.y.length).fill(3) }] };
  assert.throws(() => estimateCsdid(constant, BASE), /collinear \(or constant\)/);
  assert.throws(() => estimateCsdid({ ...inp, gvar: new Float64Array(inp.y.length) }, BASE), /no treated cohort/);
});

test('general 2x2 path with only a constant equals the difference of means (dr, reg, ipw) and its influence function', () => {
  const r = mulberry32(7);
  const n = 40;
  const dy = Float64Array.from({ length: n }, () => r() * 2 - 1);
  const d = Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
  let sT = 0, nT = 0, sC = 0, nC = 0;
  d.forEach((di, i) => (di ? ((sT += dy[i]), nT++) : ((sC += dy[i]), nC++)));
  for (const method of ['dr', 'reg', 'ipw'] as const) {
    const fit = twoByTwo(method, { dy, d, X: new Float64Array(n).fill(1), k: 1 });
    assert.ok(!('failure' in fit));
    close(fit.att, sT / nT - sC / nC, `${method} att`);
    for (let i = 0; i < n; i++) {
      const want = d[i] ? (n * (dy[i] - sT / nT)) / nT : (-n * (dy[i] - sC / nC)) / nC;
      close(fit.inf[i], want, `${method} IF[${i}]`, 1e-9, 1e-12);
    }
  }
});

test('outcome regression with a covariate: ATT = mean change of the treated minus their predicted change from the controls\' OLS', () => {
  const inp = mpdta(['lpop']);
  const est = estimateCsdid(inp, { ...BASE, method: 'reg' });
  // cell (2006, 2007): base 2005, controls never treated; OLS of dY on (1, lpop) among controls
  const rows = new Map<number, { g: number; x: number; y: Map<number, number> }>();
  inp.y.forEach((v, i) => {
    const u = inp.unit[i];
    if (!rows.has(u)) rows.set(u, { g: inp.gvar[i], x: inp.covariates[0].values[i], y: new Map() });
    rows.get(u)?.y.set(inp.time[i], v);
  });
  const ctl = [...rows.values()].filter((r) => r.g === 0);
  const tr = [...rows.values()].filter((r) => r.g === 2006);
  const dY = (r: { y: Map<number, number> }) => (r.y.get(2007) as number) - (r.y.get(2005) as number);
  const mx = ctl.reduce((a, r) => a + r.x, 0) / ctl.length;
  const my = ctl.reduce((a, r) => a + dY(r), 0) / ctl.length;
  const b = ctl.reduce((a, r) => a + (r.x - mx) * (dY(r) - my), 0) / ctl.reduce((a, r) => a + (r.x - mx) ** 2, 0);
  const want = tr.reduce((a, r) => a + dY(r) - (my + b * (r.x - mx)), 0) / tr.length;
  close(est.cells.find((c) => c.group === 2006 && c.time === 2007)?.att as number, want, 'reg ATT(2006, 2007)');
  const ipw = estimateCsdid(inp, { ...BASE, method: 'ipw' });
  for (const c of ipw.cells) assert.ok(c.att !== null && Number.isFinite(c.att) && c.se !== null && c.se > 0);
});

test('multiplier bootstrap: reproducible by seed, SEs near the analytic ones, a uniform band wider than pointwise', () => {
  const inp = mpdta();
  const analytic = estimateCsdid(inp, BASE);
  const a = estimateCsdid(inp, { ...BASE, bootstrap: { reps: 999, seed: 42 } });
  const b = estimateCsdid(inp, { ...BASE, bootstrap: { reps: 999, seed: 42 } });
  const c = estimateCsdid(inp, { ...BASE, bootstrap: { reps: 999, seed: 43 } });
  assert.deepEqual(a, b);
  assert.notEqual(a.simple.se, c.simple.se);
  a.cells.forEach((cell, k) => {
    assert.equal(cell.att, analytic.cells[k].att);
    const ratio = (cell.se as number) / (analytic.cells[k].se as number);
    assert.ok(ratio > 0.8 && ratio < 1.25, `cell ${k} bootstrap/analytic se ${ratio}`);
  });
  for (const [x, y] of [[a.simple.se, analytic.simple.se], [a.event.se, analytic.event.se], [a.group.se, analytic.group.se], [a.calendar.se, analytic.calendar.se]])
    assert.ok((x as number) / (y as number) > 0.8 && (x as number) / (y as number) < 1.25);
  assert.ok(a.cellCrit > 2.2 && a.cellCrit < 4, `sup-t critical value ${a.cellCrit}`);
  assert.ok(a.event.crit > 1.96 && analytic.event.crit === 1.959963984540054);
  // clustered by state-like groups of 10 counties: fewer draws' units, SEs still finite
  const cl = estimateCsdid({ ...inp, cluster: { name: 'grp', values: inp.unit.map((u) => Math.floor(u / 1000)) } }, { ...BASE, bootstrap: { reps: 199, seed: 1 } });
  assert.ok(cl.bootstrap && cl.bootstrap.clusters < 500 && cl.simple.se !== null && cl.simple.se > 0);
});

test('anticipation(1): base period g-2, not-yet-treated controls must start after t + 1 (R\'s rules), by hand', () => {
  const inp = mpdta();
  const est = estimateCsdid(inp, { ...BASE, control: 'notyet', anticipation: 1 });
  // cohort 2004 has no base period (2003 + 1 < 2004 fails): R leaves it out (g > first period + anticipation)
  assert.deepEqual(est.cohorts, [2006, 2007]);
  const cell = (g: number, t: number) => est.cells.find((c) => c.group === g && c.time === t)?.att as number;
  close(cell(2006, 2006), handAtt(inp, 2006, 2006, 2004, (gu) => gu === 0 || (gu > 2007 && gu !== 2006)), 'ATT(2006, 2006), base 2004');
  close(cell(2007, 2005), handAtt(inp, 2007, 2005, 2004, (gu) => gu === 0 || (gu > 2006 && gu !== 2007)), 'ATT(2007, 2005): pre-period, varying base 2004');
  close(cell(2007, 2007), handAtt(inp, 2007, 2007, 2005, (gu) => gu === 0), 'ATT(2007, 2007), base 2005');
});
