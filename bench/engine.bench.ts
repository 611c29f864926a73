// Engine timings against fixest 0.12.2 on this machine (bench/FIXEST_BENCH.md, 1 thread):
//   1M rows  (100,000 units x 10 years), y ~ x1..x5 | unit + year, cluster unit: fixest 0.299 s
//   10M rows (1,000,000 units x 10 years), same model:                           fixest 4.29 s
//   placebo: 500 re-estimations on a 285 x 18 panel, 7 regressors:               fixest 8.26 s
// Run: node scripts/build.mjs --no-main --only bench/engine && node out/bench/engine.bench.js [--skip10m]
import { mulberry32 } from '../test/util/mulberry32';
import { gaussian } from './fePanel';
import { estimate } from '../server/src/engine/estimate';
import { prepareDesign } from '../server/src/engine/design';
import type { RegressionInput } from '../server/src/engine/types';

const FIXEST_1M = 0.299;
const FIXEST_10M = 4.29;
const FIXEST_PLACEBO = 8.26;

const rng = mulberry32;

/** units x years panel; x's standard normal with some correlation to the unit effect (6 decimals), as fixest's bench. */
function makePanel(units: number, years: number, seed: number): RegressionInput {
  const z = gaussian(rng(seed));
  const n = units * years;
  const unit = new Int32Array(n);
  const year = new Int32Array(n);
  const xs = [0, 1, 2, 3, 4].map(() => new Float64Array(n));
  const y = new Float64Array(n);
  const ye = Array.from({ length: years }, () => z());
  const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
  for (let u = 0, i = 0; u < units; u++) {
    const ue = z();
    for (let t = 0; t < years; t++, i++) {
      unit[i] = u;
      year[i] = t;
      for (let j = 0; j < 5; j++) xs[j][i] = round6(0.8 * z() + 0.3 * ue * (j % 2 ? -1 : 1));
      y[i] = xs[0][i] - 0.5 * xs[1][i] + 0.25 * xs[2][i] + 2 * xs[3][i] + 0 * xs[4][i] + ue + ye[t] + z();
    }
  }
  return {
    depvar: { name: 'y', values: y },
    regressors: xs.map((v, j) => ({ name: `x${j + 1}`, values: v })),
    fixedEffects: [{ name: 'unit', codes: unit, nlevels: units }, { name: 'year', codes: year, nlevels: years }],
    constant: false,
    vcov: { type: 'cluster', clusters: [{ name: 'unit', codes: unit, nlevels: units }] },
  };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall and CPU seconds: on a shared machine the CPU time is the steadier figure (wall time includes waiting for a core). */
function timeRuns(input: RegressionInput, reps: number): { times: number[]; cpu: number[]; b: number[] } {
  // warm-up: two untimed runs (V8 tiers hot code up over the first calls; fixest is compiled C++)
  estimate(input);
  estimate(input);
  const times: number[] = [];
  const cpu: number[] = [];
  let b: number[] = [];
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const core = estimate(input);
    times.push((performance.now() - t0) / 1000);
    const c1 = process.cpuUsage(c0);
    cpu.push((c1.user + c1.system) / 1e6);
    b = core.coefficients.map((c) => c.estimate);
  }
  return { times, cpu, b };
}

const mb = (kb: number) => (kb / 1024).toFixed(0);

function main() {
  const skip10m = process.argv.includes('--skip10m');
  const placeboOnly = process.argv.includes('--placebo-only');

  if (!placeboOnly) {
    const p1 = makePanel(100_000, 10, 1);
    const r1 = timeRuns(p1, 7); // fixest: 7 runs
    const m1 = median(r1.times);
    console.log(`1M rows, 2 FE, cluster: median ${m1.toFixed(3)} s of [${r1.times.map((t) => t.toFixed(3)).join(' ')}]; fixest ${FIXEST_1M} s; ratio ${(m1 / FIXEST_1M).toFixed(2)}`);
    console.log(`  CPU time median ${median(r1.cpu).toFixed(3)} s (ratio ${(median(r1.cpu) / FIXEST_1M).toFixed(2)}); estimates ${r1.b.map((v) => v.toFixed(4)).join(' ')} (true 1 -0.5 0.25 2 0)`);
  }

  if (!skip10m && !placeboOnly) {
    const p10 = makePanel(1_000_000, 10, 2);
    const r10 = timeRuns(p10, 3);
    const m10 = median(r10.times);
    console.log(`10M rows, 2 FE, cluster: median ${m10.toFixed(2)} s of [${r10.times.map((t) => t.toFixed(2)).join(' ')}]; fixest ${FIXEST_10M} s; ratio ${(m10 / FIXEST_10M).toFixed(2)}`);
    console.log(`  CPU time median ${median(r10.cpu).toFixed(2)} s (ratio ${(median(r10.cpu) / FIXEST_10M).toFixed(2)})`);
    console.log(`peak RSS so far: ${mb(process.resourceUsage().maxRSS)} MB (target < 4096 MB; includes the generated data)`);
  }

  // placebo: 285 cities x 18 years, treatment + 6 controls, city + year FE, cluster city
  const U = 285;
  const T = 18;
  const n = U * T;
  const r = rng(3);
  const z = gaussian(r);
  const city = new Int32Array(n);
  const year = new Int32Array(n);
  const adoptYears = [5, 6, 7, 8, 9, 10, 11];
  const adopt = Array.from({ length: U }, () => (r() < 0.35 ? adoptYears[Math.floor(r() * adoptYears.length)] : Infinity));
  const treat = new Float64Array(n);
  const controls = [0, 1, 2, 3, 4, 5].map(() => new Float64Array(n));
  const y = new Float64Array(n);
  for (let u = 0, i = 0; u < U; u++) {
    const ce = z();
    for (let t = 0; t < T; t++, i++) {
      city[i] = u;
      year[i] = t;
      treat[i] = t >= adopt[u] ? 1 : 0;
      for (const c of controls) c[i] = z() + 0.4 * ce;
      y[i] = 0.05 * treat[i] + controls.reduce((s, c) => s + 0.1 * c[i], 0) + ce + 0.02 * t + z();
    }
  }
  const input: RegressionInput = {
    depvar: { name: 'y', values: y },
    regressors: [{ name: 'treat', values: treat }, ...controls.map((v, j) => ({ name: `c${j}`, values: v }))],
    fixedEffects: [{ name: 'city', codes: city }, { name: 'year', codes: year }],
    constant: false,
    vcov: { type: 'cluster', clusters: [{ name: 'city', codes: city }] },
  };
  const treatedAdopt = adopt.filter((a) => a !== Infinity);
  const nTreated = treatedAdopt.length;
  const runPlacebo = () => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const design = prepareDesign(input, 'treat');
    const d = new Float64Array(n);
    const draws: number[] = [];
    for (let rep = 0; rep < 500; rep++) {
      // pick nTreated cities, give each an adoption year drawn from the real ones
      const pseudo = new Float64Array(U).fill(Infinity);
      const order = Array.from({ length: U }, (_, i) => i);
      for (let i = 0; i < nTreated; i++) {
        const j = i + Math.floor(r() * (U - i));
        [order[i], order[j]] = [order[j], order[i]];
        pseudo[order[i]] = treatedAdopt[Math.floor(r() * nTreated)];
      }
      for (let i = 0; i < n; i++) d[i] = year[i] >= pseudo[city[i]] ? 1 : 0;
      draws.push(design.refit(d).estimate);
    }
    const c1 = process.cpuUsage(c0);
    return { ms: performance.now() - t0, cpuMs: (c1.user + c1.system) / 1000, draws };
  };
  runPlacebo(); // warm-up
  const runs = [runPlacebo(), runPlacebo(), runPlacebo()];
  const tot = median(runs.map((x) => x.ms));
  const sd = Math.sqrt(runs[0].draws.reduce((s, v) => s + v * v, 0) / 500);
  console.log(
    `placebo 500 refits (285x18, 7 regressors, 2 FE, cluster): median total ${tot.toFixed(1)} ms (${(tot / 500).toFixed(3)} ms per refit, preparation included) of [${runs.map((x) => x.ms.toFixed(1)).join(' ')}]; fixest ${FIXEST_PLACEBO} s; ratio ${(tot / 1000 / FIXEST_PLACEBO).toFixed(4)}; draws rms ${sd.toFixed(4)}`,
  );
  console.log(`  CPU time median ${median(runs.map((x) => x.cpuMs)).toFixed(1)} ms`);
  console.log(`peak RSS: ${mb(process.resourceUsage().maxRSS)} MB`);
}

main();
