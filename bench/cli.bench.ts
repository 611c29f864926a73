// The user's own command through the CLI, timed by the command's own `seconds` in the JSON, side by
// side with fixest. R is not installed here: the fixest/fread figures are the anchors measured on
// this machine in the reference BENCH.md (fixest 0.12.2, one thread, data already in memory, VCOV
// included), not measured by this script.
//   node scripts/build.mjs --only bench/ && node out/bench/cli.bench.js [--reps N] [--only NAME] [--10m]
// Each workload runs in a fresh CLI process: `use` the CSV (load), then the same model REPS times.
// "first" is the first model on the freshly loaded data (factors built from the columns, as fixest's
// time includes); "again" the median of the repeats (factors and FE structure reused from the cache).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { writeFePanel } from './fePanel';

const ANCHOR = { balanced: 0.367, unbalanced: 0.399, threeFE: 0.713, fread: 0.337, tenM: 4.29 };
const root = join(__dirname, '..', '..');
const dataDir = join(root, 'bench', 'data');
const cli = join(root, 'bin', 'panelspec.js');
const args = process.argv.slice(2);
const reps = Number(args[args.indexOf('--reps') + 1] || 0) || 5;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const tenM = args.includes('--10m');

function panel(name: string, units: number, drop: number): string {
  const f = join(dataDir, `fe_${name}.csv`);
  if (!existsSync(f)) {
    const t0 = performance.now();
    const rows = writeFePanel(f, units, drop);
    console.log(`generated ${f} (${rows} rows) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return f;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

interface Run {
  load: number;
  models: number[];
  wall: number;
  peakMB: number;
  cpu: number; // user + system seconds of the whole process (all threads)
  iterations: number[];
  b: number[];
}

function runSpec(name: string, file: string, model: string, prelude: string[] = [], n = reps): Run {
  const dir = join(dataDir, 'specs');
  mkdirSync(dir, { recursive: true });
  const spec = join(dir, `${name}.pspec`);
  const json = join(dir, `${name}.json`);
  writeFileSync(spec, [`use "${file}", clear`, ...prelude, ...Array.from({ length: n }, () => model)].join('\n') + '\n');
  const t0 = performance.now();
  // GNU time: the process's peak resident set in KiB, user and system CPU seconds
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, cli, 'run', spec, '--json', json, '--quiet'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${name}: the CLI failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const [peakKB, user, sys] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  const out = JSON.parse(readFileSync(json, 'utf8')) as { results: { kind: string; seconds: number; iterations?: number; coefficients?: { estimate: number }[] }[] };
  const load = out.results.find((x) => x.kind === 'data')!.seconds;
  const est = out.results.filter((x) => x.kind === 'estimation');
  return { load, models: est.map((e) => e.seconds), wall, peakMB: peakKB / 1024, cpu: user + sys, iterations: est.map((e) => e.iterations ?? 0), b: (est[0]?.coefficients ?? []).map((c) => c.estimate) };
}

function report(label: string, anchor: number, r: Run): void {
  const first = r.models[0];
  const again = r.models.length > 1 ? median(r.models.slice(1)) : NaN;
  console.log(
    `${label}: first model ${first.toFixed(3)} s (ratio ${(first / anchor).toFixed(2)}), again median ${again.toFixed(3)} s (ratio ${(again / anchor).toFixed(2)}) ` +
      `of [${r.models.map((t) => t.toFixed(3)).join(' ')}]; fixest anchor ${anchor} s; target ratio <= 0.5`,
  );
  console.log(
    `  load ${r.load.toFixed(3)} s; load + first model ${(r.load + first).toFixed(3)} s; whole process ${r.wall.toFixed(2)} s (CPU ${r.cpu.toFixed(2)} s); peak RSS ${r.peakMB.toFixed(0)} MB; ` +
      `iterations ${r.iterations[0]}; b ${r.b.map((v) => v.toFixed(4)).join(' ')}`,
  );
}

function main(): void {
  console.log('fixest/fread figures: anchors from the reference BENCH.md (R is not installed here; not measured by this script)');
  console.log(`machine load average ${loadavg()[0].toFixed(1)} (2 cores, shared: wall times inflate when it exceeds 2)`);
  const model = 'reghdfe y x1 x2 x3 x4 x5, absorb(id year) vce(cluster id)';
  const bal = panel('balanced_1m', 100_000, 0);
  const want = (k: string) => !only || k.includes(only);
  if (want('balanced')) report('balanced 1M, absorb(id year)', ANCHOR.balanced, runSpec('balanced', bal, model));
  if (want('unbalanced')) report('unbalanced 900k (10 % dropped), absorb(id year)', ANCHOR.unbalanced, runSpec('unbalanced', panel('unbalanced_1m', 100_000, 0.1), model));
  if (want('three')) {
    const m3 = 'reghdfe y x1 x2 x3 x4 x5, absorb(id year g#year) vce(cluster id)';
    report('three FE 1M, absorb(id year g#year), g = mod(id, 1000)', ANCHOR.threeFE, runSpec('threeFE', bal, m3, ['gen g = mod(id, 1000)']));
  }
  if (want('load')) {
    const loads: number[] = [];
    let peak = 0;
    for (let k = 0; k < 3; k++) {
      const r = runSpec('load', bal, '', [], 0);
      loads.push(r.load);
      peak = Math.max(peak, r.peakMB);
    }
    const mb = statSync(bal).size / 1e6;
    const m = median(loads);
    console.log(`CSV load 1M x 8 (${mb.toFixed(0)} MB): median ${m.toFixed(3)} s of [${loads.map((t) => t.toFixed(3)).join(' ')}]; fread anchor ${ANCHOR.fread} s; ratio ${(m / ANCHOR.fread).toFixed(2)} (target <= 1.5); peak RSS ${peak.toFixed(0)} MB (${(peak / mb).toFixed(2)} x the file)`);
  }
  if (tenM) {
    const f10 = panel('balanced_10m', 1_000_000, 0);
    report('balanced 10M, absorb(id year)', ANCHOR.tenM, runSpec('tenM', f10, model, [], 2));
  }
}

main();
