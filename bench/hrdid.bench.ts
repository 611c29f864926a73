// Heterogeneity-robust DID engine timings (Sun-Abraham, BJS imputation, Goodman-Bacon) on mpdta
// and on a generated balanced panel. No R timings are on file for these (reference/BENCH.md).
// Run: node scripts/build.mjs --no-main --only bench/hrdid && node out/bench/hrdid.bench.js
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../test/util/mulberry32';
import { parseCsv } from '../server/src/data/csv';
import { runBacon, runImputation, runSunAb } from '../server/src/engine/did';
import type { Factor } from '../server/src/engine/types';

interface Panel {
  unit: Float64Array;
  time: Float64Array;
  adopt: Float64Array;
  y: Float64Array;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeIt(f: () => unknown, reps: number): number[] {
  f(); // warm-up: V8 tiers the hot loops up over the first call
  const out: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    out.push((performance.now() - t0) / 1000);
  }
  return out;
}

function factor(name: string, v: Float64Array): Factor {
  const map = new Map<number, number>();
  const codes = Int32Array.from(v, (x) => {
    let c = map.get(x);
    if (c === undefined) { c = map.size; map.set(x, c); }
    return c;
  });
  return { name, codes, nlevels: map.size };
}

function mpdta(): Panel {
  const file = join(__dirname, '..', '..', 'test', 'reference', 'data', 'mpdta.csv');
  const { table } = parseCsv(readFileSync(file), file);
  const col = (n: string): Float64Array => {
    const c = table.get(n);
    if (c?.kind !== 'numeric') throw new Error(`${n} is not numeric`);
    return c.values;
  };
  return { unit: col('countyreal'), time: col('year'), adopt: col('first_treat'), y: col('lemp') };
}

/** units x periods 1..T, cohorts 4..8 (each 1/8 of the units) or never treated; effect 0.1 (e + 1). */
function bigPanel(units: number, periods: number, seed: number): Panel {
  const r = mulberry32(seed);
  const n = units * periods;
  const p: Panel = { unit: new Float64Array(n), time: new Float64Array(n), adopt: new Float64Array(n), y: new Float64Array(n) };
  for (let u = 0, i = 0; u < units; u++) {
    const draw = Math.floor(r() * 8);
    const g = draw < 5 ? 4 + draw : 0;
    const ue = r() * 2 - 1;
    for (let t = 1; t <= periods; t++, i++) {
      p.unit[i] = u + 1;
      p.time[i] = t;
      p.adopt[i] = g;
      p.y[i] = ue + 0.05 * t + (g && t >= g ? 0.1 * (t - g + 1) : 0) + (r() + r() + r() - 1.5);
    }
  }
  return p;
}

function bench(label: string, p: Panel, reps: number): void {
  const unit = factor('unit', p.unit);
  const time = factor('time', p.time);
  const depvar = { name: 'y', values: p.y };
  const post = Float64Array.from(p.time, (t, i) => (p.adopt[i] > 0 && t >= p.adopt[i] ? 1 : 0));
  const fmt = (v: number[]) => `median ${median(v).toFixed(3)} s of [${v.map((t) => t.toFixed(3)).join(' ')}]`;
  const sa = timeIt(() => runSunAb({ base: { depvar, regressors: [], fixedEffects: [unit, time], constant: false, vcov: { type: 'cluster', clusters: [unit] } }, time: p.time, adopt: p.adopt, ref: -1 }), reps);
  console.log(`${label}: sunab (all periods, clustered): ${fmt(sa)}`);
  const st = timeIt(() => runImputation({ depvar, time: p.time, adopt: p.adopt, fixedEffects: [unit, time], cluster: unit, horizons: null, pretrends: 0 }), reps);
  console.log(`${label}: did_imputation static tau: ${fmt(st)}`);
  const hz = timeIt(() => runImputation({ depvar, time: p.time, adopt: p.adopt, fixedEffects: [unit, time], cluster: unit, horizons: { lo: 0, hi: 3 }, pretrends: 3 }), reps);
  console.log(`${label}: did_imputation horizons(0 3) pretrends(3): ${fmt(hz)}`);
  const bc = timeIt(() => runBacon({ y: p.y, treat: post, unit: p.unit, time: p.time }), reps);
  console.log(`${label}: bacondecomp: ${fmt(bc)}`);
}

function main(): void {
  bench('mpdta 500 x 5', mpdta(), 9);
  bench('generated 20,000 x 10 (200,000 rows)', bigPanel(20_000, 10, 20261206), 3);
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main();
