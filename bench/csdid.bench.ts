// Callaway-Sant'Anna (csdid engine) timings; R did 2.1.2 on this machine (reference/BENCH.md):
//   att_gt (dr, bstrap = FALSE) + the four aggte, 285 x 18 study panel:           0.98 s
//   the same on 1,000,000 rows (100,000 units x 10 periods, cohorts 4-8 + never):  80 s
// Targets: the study panel under 0.1 s; the 1M-row panel under 5 s and 2 GB.
// Run: node scripts/build.mjs --no-main --only bench/csdid && node out/bench/csdid.bench.js
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../test/util/mulberry32';
import { parseCsv } from '../server/src/data/csv';
import { estimateCsdid, type CsdidInput, type CsdidOptions } from '../server/src/engine/did/csdid';

const R_STUDY = 0.98;
const R_1M = 80;

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeRuns(input: CsdidInput, opts: CsdidOptions, reps: number): { times: number[]; att: number } {
  estimateCsdid(input, opts); // warm-up: V8 tiers the hot loops up over the first call
  const times: number[] = [];
  let att = NaN;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    att = estimateCsdid(input, opts).simple.att;
    times.push((performance.now() - t0) / 1000);
  }
  return { times, att };
}

function numeric(table: ReturnType<typeof parseCsv>['table'], name: string): Float64Array {
  const c = table.get(name);
  if (c?.kind !== 'numeric') throw new Error(`${name} is not numeric`);
  return c.values;
}

/** The sample study panel: outcome tertiary_share, cohorts approval_year (empty = never). */
function studyPanel(covariates: string[]): CsdidInput {
  const file = join(__dirname, '..', '..', 'samples', 'city_panel.csv');
  const { table } = parseCsv(readFileSync(file), file);
  return {
    unit: numeric(table, 'city_id'),
    time: numeric(table, 'year'),
    gvar: numeric(table, 'approval_year'),
    y: numeric(table, 'tertiary_share'),
    covariates: covariates.map((c) => ({ name: c, values: numeric(table, c) })),
  };
}

/** units x periods, periods 1..T, cohorts 4..8 (each 1/8 of the units) or never treated; effect 0.1 (e + 1). */
function bigPanel(units: number, periods: number, seed: number): CsdidInput {
  const r = mulberry32(seed);
  const n = units * periods;
  const unit = new Float64Array(n);
  const time = new Float64Array(n);
  const gvar = new Float64Array(n);
  const y = new Float64Array(n);
  for (let u = 0, i = 0; u < units; u++) {
    const draw = Math.floor(r() * 8);
    const g = draw < 5 ? 4 + draw : 0;
    const ue = r() * 2 - 1;
    for (let t = 1; t <= periods; t++, i++) {
      unit[i] = u + 1;
      time[i] = t;
      gvar[i] = g;
      const effect = g && t >= g ? 0.1 * (t - g + 1) : 0;
      y[i] = ue + 0.05 * t + effect + (r() + r() + r() - 1.5);
    }
  }
  return { unit, time, gvar, y, covariates: [] };
}

const fmt = (v: number[]) => v.map((t) => t.toFixed(3)).join(' ');
const DR: CsdidOptions = { control: 'never', method: 'dr', basePeriod: 'varying', anticipation: 0 };

function main(): void {
  const study = studyPanel([]);
  const s = timeRuns(study, DR, 9);
  console.log(`study panel 285 x 18, dr, no covariates: median ${median(s.times).toFixed(4)} s of [${fmt(s.times)}]; R ${R_STUDY} s; target < 0.1 s (simple ATT ${s.att.toFixed(5)})`);
  const controls = ['lndensity', 'lngovern', 'lninvest', 'lnemploy', 'lnconsumption'];
  const sc = timeRuns(studyPanel(controls), DR, 9);
  console.log(`study panel 285 x 18, dr, 5 covariates: median ${median(sc.times).toFixed(4)} s of [${fmt(sc.times)}]`);
  const sn = timeRuns(study, { ...DR, control: 'notyet' }, 9);
  console.log(`study panel 285 x 18, dr, not yet treated: median ${median(sn.times).toFixed(4)} s`);

  const t0 = performance.now();
  const big = bigPanel(100_000, 10, 20261206);
  console.log(`generated 1,000,000 rows in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  const b = timeRuns(big, DR, 5);
  console.log(`1M rows (100,000 units x 10 periods, cohorts 4-8 + never): median ${median(b.times).toFixed(3)} s of [${fmt(b.times)}]; R ${R_1M} s; target < 5 s (simple ATT ${b.att.toFixed(4)})`);
  const bn = timeRuns(big, { ...DR, control: 'notyet' }, 3);
  console.log(`1M rows, not yet treated: median ${median(bn.times).toFixed(3)} s`);
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (target < 2048 MB; includes the generated data)`);
}

main();
