// boottest speed: the wild cluster bootstrap-t with its test-inversion interval.
//   - 9,999 WCR Webb draws on the 285 x 18 study panel (city + year FE, 7 regressors), 11 clusters
//   - 9,999 WCR Webb draws on a 1,000,000-row panel (20,000 units x 50 periods, unit + period FE,
//     3 regressors), 50 clusters of units (the period FE are not nested: 50 FE projections)
//   - all 2^15 Rademacher sign vectors on the trade gravity model (15 clusters, 3 FE)
//   - two-way clustering on the 1,000,000-row panel: 50 states x 20 industries (units nested in both),
//     CGM variance V_state + V_industry - V_state#industry, 9,999 WCR Webb draws over the 1,000
//     state#industry bootstrap clusters (the default), with the interval
// Each line: preparation (sample, FE demeaning: what the fitted model already holds), the cluster sums
// (one pass over the rows plus the FE projections), the draws and the interval. Target: sums + draws < 1 s.
// Prints medians of 3 runs after a warm-up; asserts nothing.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { prepareModel } from '../server/src/engine/model';
import type { RegressionInput } from '../server/src/engine/types';
import { wildClusterSums } from '../server/src/engine/inference/wildProblem';
import { wildClusterBootstrap, type WildWeightType } from '../server/src/engine/inference/wildBootstrap';
import { parseCsv } from '../server/src/data/csv';
import { mulberry32 } from '../test/util/mulberry32';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function gaussian(r: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** The panel with two-way clustering: G1 groups of units (u % G1) and G2 blocks (u / (U / G2)). */
function twoWayPanel(U: number, T: number, G1: number, G2: number, nControls: number, seed: number): RegressionInput {
  const base = panel(U, T, G1, nControls, seed);
  const unit = base.fixedEffects![0].codes;
  const block = Int32Array.from(unit, (u) => Math.floor((u * G2) / U));
  if (base.vcov.type !== 'cluster' || !base.vcov.clusters) throw new Error('clustered panel expected');
  return { ...base, vcov: { type: 'cluster', clusters: [base.vcov.clusters[0], { name: 'block', codes: block }] } };
}

function panel(U: number, T: number, G: number, nControls: number, seed: number): RegressionInput {
  const r = mulberry32(seed);
  const z = gaussian(r);
  const n = U * T;
  const unit = new Int32Array(n);
  const time = new Int32Array(n);
  const cl = new Int32Array(n);
  const treat = new Float64Array(n);
  const controls = Array.from({ length: nControls }, () => new Float64Array(n));
  const y = new Float64Array(n);
  for (let u = 0, i = 0; u < U; u++) {
    const ce = z();
    const adopt = r() < 0.4 ? Math.floor(T / 3 + r() * (T / 2)) : Infinity;
    for (let t = 0; t < T; t++, i++) {
      unit[i] = u;
      time[i] = t;
      cl[i] = u % G;
      treat[i] = t >= adopt ? 1 : 0;
      for (const c of controls) c[i] = z() + 0.4 * ce;
      y[i] = 0.05 * treat[i] + controls.reduce((s, c) => s + 0.1 * c[i], 0) + ce + 0.02 * t + z();
    }
  }
  return {
    depvar: { name: 'y', values: y },
    regressors: [{ name: 'treat', values: treat }, ...controls.map((v, j) => ({ name: `c${j}`, values: v }))],
    fixedEffects: [{ name: 'unit', codes: unit }, { name: 'time', codes: time }],
    constant: false,
    vcov: { type: 'cluster', clusters: [{ name: 'cl', codes: cl }] },
  };
}

function trade(): RegressionInput {
  const file = join(__dirname, '..', '..', 'test', 'reference', 'data', 'trade.csv');
  const t = parseCsv(readFileSync(file), file).table;
  const num = (c: string) => {
    const col = t.get(c)!;
    if (col.kind !== 'numeric') throw new Error(c);
    return col.values;
  };
  const codes = (c: string) => {
    const col = t.get(c)!;
    if (col.kind === 'string') return col.codes;
    const m = new Map<number, number>();
    return Int32Array.from(col.values, (v) => (m.has(v) ? m.get(v)! : (m.set(v, m.size), m.size - 1)));
  };
  return {
    depvar: { name: 'ly', values: num('Euros').map(Math.log) },
    regressors: [{ name: 'ld', values: num('dist_km').map(Math.log) }],
    fixedEffects: [{ name: 'Destination', codes: codes('Destination') }, { name: 'Product', codes: codes('Product') }, { name: 'Year', codes: codes('Year') }],
    constant: false,
    vcov: { type: 'cluster', clusters: [{ name: 'Origin', codes: codes('Origin') }] },
  };
}

function run(label: string, input: RegressionInput, term: string, reps: number, weightType: WildWeightType, target = ' (target < 1000'): void {
  const once = () => {
    const t0 = performance.now();
    const m = prepareModel(input);
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const s = wildClusterSums(m, term, { clusters: m.clusterFactors });
    const t2 = performance.now();
    const out = wildClusterBootstrap(s, { reps, weightType, seed: 1, nullImposed: true, level: 0.95 });
    const t3 = performance.now();
    const c = process.cpuUsage(c1);
    return { prep: t1 - t0, sums: t2 - t1, boot: t3 - t2, cpu: (c.user + c.system) / 1000, out };
  };
  once();
  const runs = [once(), once(), once()];
  const prep = median(runs.map((x) => x.prep));
  const sums = median(runs.map((x) => x.sums));
  const boot = median(runs.map((x) => x.boot));
  const cpu = median(runs.map((x) => x.cpu));
  const o = runs[0].out;
  console.log(
    `${label}: sums ${sums.toFixed(1)} ms + draws and interval ${boot.toFixed(1)} ms = ${(sums + boot).toFixed(1)} ms${target ? `${target}; ` : ' ('}CPU ${cpu.toFixed(1)} ms); ` +
      `model preparation ${prep.toFixed(1)} ms; ${o.reps} draws${o.enumerated ? ' (enumerated)' : ''}, t ${o.t.toFixed(3)}, p ${o.pValue.toFixed(4)}, CI [${o.ciLow?.toFixed(4)}, ${o.ciHigh?.toFixed(4)}]`,
  );
}

run('285x18 study panel, 11 clusters, 9,999 WCR Webb', panel(285, 18, 11, 6, 3), 'treat', 9999, 'webb');
run('1,000,000 rows, 50 clusters, 9,999 WCR Webb', panel(20000, 50, 50, 2, 5), 'treat', 9999, 'webb');
run('trade, 15 clusters, 2^15 Rademacher enumeration', trade(), 'ld', 40000, 'rademacher');
run('two-way 1,000,000 rows, 50 x 20 clusters (1,000 bootstrap clusters), 9,999 WCR Webb', twoWayPanel(20000, 50, 50, 20, 2, 5), 'treat', 9999, 'webb', '');
console.log(`peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB; load average ${require('node:os').loadavg()[0].toFixed(1)} on ${require('node:os').cpus().length} cores (wall times stretch with it)`);
