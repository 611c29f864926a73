// The user's own command through the CLI, timed by the command's own `seconds` in the JSON, side by
// side with fixest on the same CSV files when `Rscript` with fixest is installed (bench/fixestLive.R:
// fread, then feols on one thread from the columns in memory, factor making and the clustered VCOV
// included, one warm-up, as the reference BENCH.md measures). Without R the fixest figures are the
// BENCH.md anchors (measured on this machine class, not by this run), and the bench says so.
//   node scripts/build.mjs --only bench/ && node out/bench/cli.bench.js [--reps N] [--only NAME] [--10m] [--no-r]
// Each round runs, for each workload, one CLI process (`use` the CSV, then the same model 1 + AGAIN
// times) and then one R process, alternating, so that both see the same machine. "first" is the first
// model on freshly loaded data in a fresh process (factors built from the columns, cold JIT); "again"
// the later models (factors and FE structure reused from the cache). Panels (fixed seed) are cached in
// os.tmpdir()/panelspec-bench (PANELSPEC_BENCH_DATA to move it), outside the repository.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg, tmpdir } from 'node:os';
import { writeFePanel } from './fePanel';

/** The reference BENCH.md's one-thread fixest medians (the fallback without R). */
const ANCHOR = { balanced: 0.367, unbalanced: 0.399, threeFE: 0.713, fread: 0.337, tenM: 4.29 };
const root = join(__dirname, '..', '..');
const dataDir = process.env.PANELSPEC_BENCH_DATA ?? join(tmpdir(), 'panelspec-bench');
const cli = join(root, 'bin', 'panelspec.js');
const rScript = join(root, 'bench', 'fixestLive.R');
const args = process.argv.slice(2);
const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const reps = Number(opt('--reps')) || 5;
const again = Number(opt('--again')) || 2;
const only = opt('--only');
const tenM = args.includes('--10m');

function panel(name: string, units: number, drop: number): string {
  const f = join(dataDir, `fe_${name}.csv`);
  if (!existsSync(f)) {
    const t0 = performance.now();
    const rows = writeFePanel(`${f}.part`, units, drop);
    renameSync(`${f}.part`, f); // an interrupted run leaves no partial panel under the final name
    console.log(`generated ${f} (${rows} rows) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return f;
}

const median = (v: number[]) => (v.length ? [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] : NaN);
const fmt = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');

/** GNU time's last stderr line: peak resident set in KiB, user and system CPU seconds. */
function timed(cmd: string, argv: string[]): { stdout: string; stderr: string; status: number | null; peakMB: number; cpu: number; wall: number } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = (performance.now() - t0) / 1000;
  const [peakKB, user, sys] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, peakMB: peakKB / 1024, cpu: user + sys, wall };
}

interface Run {
  load: number;
  models: number[];
  wall: number;
  peakMB: number;
  cpu: number; // user + system seconds of the whole process (all threads)
  iterations: number[];
  b: number[];
  se: number[];
}

function runSpec(name: string, file: string, model: string, prelude: string[], n: number): Run {
  const dir = join(dataDir, 'specs');
  mkdirSync(dir, { recursive: true });
  const spec = join(dir, `${name}.pspec`);
  const json = join(dir, `${name}.json`);
  writeFileSync(spec, [`use "${file}", clear`, ...prelude, ...Array.from({ length: n }, () => model)].join('\n') + '\n');
  const r = timed(process.execPath, [cli, 'run', spec, '--json', json, '--quiet']);
  if (r.status !== 0) throw new Error(`${name}: the CLI failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const out = JSON.parse(readFileSync(json, 'utf8')) as { results: { kind: string; seconds: number; iterations?: number; coefficients?: { term: string; estimate: number; se: number }[] }[] };
  const load = out.results.find((x) => x.kind === 'data')!.seconds;
  const est = out.results.filter((x) => x.kind === 'estimation');
  const coefs = (est[0]?.coefficients ?? []).filter((c) => c.term !== '_cons');
  return { load, models: est.map((e) => e.seconds), wall: r.wall, peakMB: r.peakMB, cpu: r.cpu, iterations: est.map((e) => e.iterations ?? 0), b: coefs.map((c) => c.estimate), se: coefs.map((c) => c.se) };
}

interface RRun {
  fread: number;
  times: number[];
  b: number[];
  se: number[];
  nobs: number;
  peakMB: number;
  versions: string;
}

/** fixest and data.table versions when Rscript with fixest is installed, else null. */
function fixestVersion(): string | null {
  if (args.includes('--no-r')) return null;
  const r = spawnSync('Rscript', ['-e', 'suppressMessages({library(fixest); library(data.table)}); cat(format(packageVersion("fixest")), format(packageVersion("data.table")))'], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  if (r.error || r.status !== 0) return null;
  const [fx, dt] = r.stdout.trim().split(' ');
  return `fixest ${fx}, data.table ${dt}`;
}

function runR(file: string, fe: 'two' | 'three', n: number): RRun {
  const r = timed('Rscript', [rScript, file, fe, String(n)]);
  if (r.status !== 0) throw new Error(`R failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  const o = JSON.parse(line) as { fread: number; times: number[]; b: number[]; se: number[]; nobs: number; fixest: string; 'data.table': string };
  return { fread: o.fread, times: o.times, b: o.b, se: o.se, nobs: o.nobs, peakMB: r.peakMB, versions: `fixest ${o.fixest}, data.table ${o['data.table']}` };
}

interface Workload {
  key: string;
  label: string;
  file: () => string;
  model: string;
  prelude: string[];
  fe: 'two' | 'three';
  anchor: number;
  rounds: number;
}

const maxRel = (a: number[], b: number[]) => a.reduce((m, v, j) => Math.max(m, Math.abs(v - b[j]) / Math.max(Math.abs(b[j]), 1e-300)), 0);

function bench(w: Workload, live: boolean): { first: number; againMed: number; fixest: number; peak: number; rPeak: number; fread: number } {
  const file = w.file();
  const ps: Run[] = [];
  const rs: RRun[] = [];
  for (let k = 0; k < w.rounds; k++) {
    ps.push(runSpec(w.key, file, w.model, w.prelude, 1 + again));
    if (live) rs.push(runR(file, w.fe, 1));
  }
  const first = median(ps.map((r) => r.models[0]));
  const againMed = median(ps.flatMap((r) => r.models.slice(1)));
  const load = median(ps.map((r) => r.load));
  const peak = Math.max(...ps.map((r) => r.peakMB));
  const fixest = live ? median(rs.flatMap((r) => r.times)) : w.anchor;
  const src = live ? 'fixest live' : 'fixest anchor (BENCH.md)';
  console.log(`${w.label}`);
  console.log(
    `  PanelSpec first ${fmt(first)} s [${ps.map((r) => fmt(r.models[0])).join(' ')}], again ${fmt(againMed)} s, load ${fmt(load)} s, peak RSS ${peak.toFixed(0)} MB, ` +
      `iterations ${ps[0].iterations[0]}, whole process ${fmt(median(ps.map((r) => r.wall)), 2)} s (CPU ${fmt(median(ps.map((r) => r.cpu)), 2)} s)`,
  );
  if (live) {
    console.log(
      `  ${src} ${fmt(fixest)} s [${rs.flatMap((r) => r.times).map((t) => fmt(t)).join(' ')}], fread ${fmt(median(rs.map((r) => r.fread)))} s, R peak RSS ${Math.max(...rs.map((r) => r.peakMB)).toFixed(0)} MB` +
        `; coefficients agree to ${maxRel(ps[0].b, rs[0].b).toExponential(1)}, SEs to ${maxRel(ps[0].se, rs[0].se).toExponential(1)} (relative; nobs ${rs[0].nobs})`,
    );
  } else console.log(`  ${src} ${fmt(fixest)} s`);
  console.log(`  ratio ours/fixest: first ${fmt(first / fixest, 2)}, again ${fmt(againMed / fixest, 2)} (target first <= 0.5)`);
  return { first, againMed, fixest, peak, rPeak: live ? Math.max(...rs.map((r) => r.peakMB)) : NaN, fread: live ? median(rs.map((r) => r.fread)) : NaN };
}

function main(): void {
  const version = fixestVersion();
  const live = version !== null;
  console.log(
    live
      ? `fixest measured live, alternating with PanelSpec run by run (${version}; one thread; fread, then feols from memory with one warm-up)`
      : 'R with fixest not found: the fixest/fread figures are the anchors of the reference BENCH.md (not measured by this run)',
  );
  console.log(`machine load average ${loadavg().map((v) => v.toFixed(1)).join(' ')} at the start (2 cores, shared: wall times inflate when it exceeds 2)`);
  const model = 'reghdfe y x1 x2 x3 x4 x5, absorb(id year) vce(cluster id)';
  const bal = () => panel('balanced_1m', 100_000, 0);
  const workloads: Workload[] = [
    { key: 'balanced', label: 'balanced 1M, absorb(id year)', file: bal, model, prelude: [], fe: 'two', anchor: ANCHOR.balanced, rounds: reps },
    { key: 'unbalanced', label: 'unbalanced 900k (10 % of rows dropped), absorb(id year)', file: () => panel('unbalanced_1m', 100_000, 0.1), model, prelude: [], fe: 'two', anchor: ANCHOR.unbalanced, rounds: reps },
    {
      key: 'threeFE',
      label: 'three FE 1M, absorb(id year g#year), g = mod(id, 1000)',
      file: bal,
      model: 'reghdfe y x1 x2 x3 x4 x5, absorb(id year g#year) vce(cluster id)',
      prelude: ['gen g = mod(id, 1000)'],
      fe: 'three',
      anchor: ANCHOR.threeFE,
      rounds: reps,
    },
  ];
  if (tenM) workloads.push({ key: 'tenM', label: 'balanced 10M, absorb(id year)', file: () => panel('balanced_10m', 1_000_000, 0), model, prelude: [], fe: 'two', anchor: ANCHOR.tenM, rounds: Math.min(reps, 3) });
  const table: string[] = [];
  let fread = ANCHOR.fread;
  for (const w of workloads) {
    if (only && !w.key.includes(only)) continue;
    const r = bench(w, live);
    if (w.key === 'balanced' && live) fread = r.fread;
    table.push(`| ${w.label} | ${fmt(r.first)} / ${fmt(r.againMed)} | ${fmt(r.fixest)} | ${fmt(r.first / r.fixest, 2)} / ${fmt(r.againMed / r.fixest, 2)} | ${r.peak.toFixed(0)} MB | ${live ? `${r.rPeak.toFixed(0)} MB` : 'n/a'} |`);
  }
  if (!only || 'load'.includes(only)) {
    const f = bal();
    const loads: number[] = [];
    let peak = 0;
    for (let k = 0; k < 3; k++) {
      const r = runSpec('load', f, '', [], 0);
      loads.push(r.load);
      peak = Math.max(peak, r.peakMB);
    }
    const mb = statSync(f).size / 1e6;
    const m = median(loads);
    const src = fread === ANCHOR.fread ? 'fread anchor (BENCH.md)' : 'fread live (the balanced rounds)';
    console.log(`CSV load 1M x 8 (${mb.toFixed(0)} MB): median ${fmt(m)} s of [${loads.map((t) => fmt(t)).join(' ')}]; ${src} ${fmt(fread)} s, ratio ${fmt(m / fread, 2)}; peak RSS ${peak.toFixed(0)} MB (${(peak / mb).toFixed(2)} x the file)`);
  }
  console.log(`machine load average ${loadavg().map((v) => v.toFixed(1)).join(' ')} at the end`);
  console.log(`\n| workload | PanelSpec first / again (s) | fixest${live ? ' live' : ' anchor'} (s) | ratio first / again | PanelSpec peak RSS | R peak RSS |\n|---|---|---|---|---|---|\n${table.join('\n')}`);
}

main();
