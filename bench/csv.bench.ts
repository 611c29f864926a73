// CSV loading side by side with data.table::fread on one thread, on the same files: the fixest-shaped
// 1M x 8 panel (64 MB) and the 1M x 20 bench panel (~150 MB). Each run is a fresh process; the two
// alternate run by run (PanelSpec, fread, PanelSpec, ...). For PanelSpec: the `use` command's own
// `seconds` in the CLI's JSON (the load as the CLI does it: read, parse, profile for the checker), and
// the whole process (wall, peak RSS); for fread: `system.time(fread(f))` with `setDTthreads(1)` and its
// whole R process. Without Rscript + data.table the fread figure is the reference BENCH.md anchor
// (1M x 8 only), said so in the output. Then an in-process breakdown (parse on one thread, profile).
//   node scripts/build.mjs --only bench/csv && node --expose-gc out/bench/csv.bench.js [--reps N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { writeFePanel } from './fePanel';
import { writeBenchPanel } from './makePanel';
import { buildCatalog } from '../server/src/data/catalog';
import { parseCsv } from '../server/src/data/csv';
import { loadDataset } from '../server/src/data/load';

/** fread of the 1M x 8 panel, one thread (reference BENCH.md, measured on this machine). */
const FREAD_ANCHOR = 0.337;
const root = join(__dirname, '..', '..');
const dataDir = join(root, 'bench', 'data');
const specDir = join(dataDir, 'specs');
const cli = join(root, 'bin', 'panelspec.js');
const args = process.argv.slice(2);
const reps = Number(args[args.indexOf('--reps') + 1] || 0) || 5;
const gnuTime = existsSync('/usr/bin/time');

const median = (v: number[]) => (v.length ? [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] : NaN);
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const mb = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} MB` : 'n/a');

interface Proc {
  wall: number;
  peakMB: number; // NaN without GNU time
  stdout: string;
  stderr: string;
}

/** One process, timed from here; its peak RSS from GNU time when present. */
function run(cmd: string, argv: string[]): Proc {
  const full = gnuTime ? ['/usr/bin/time', ['-f', 'PEAK_KB %M', cmd, ...argv]] as const : [cmd, argv] as const;
  const t0 = performance.now();
  const r = spawnSync(full[0], full[1], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const m = /PEAK_KB (\d+)/.exec(r.stderr);
  return { wall, peakMB: m ? Number(m[1]) / 1024 : NaN, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI on `use FILE`: the command's own seconds and the whole process. */
function panelspec(name: string, file: string): Proc & { seconds: number; threads?: number } {
  const spec = join(specDir, `${name}.pspec`);
  const json = join(specDir, `${name}.json`);
  writeFileSync(spec, file ? `use "${file}", clear\n` : 'global nothing = 1\n');
  const p = run(process.execPath, [cli, 'run', spec, '--json', json, '--quiet']);
  const out = JSON.parse(readFileSync(json, 'utf8')) as { results: { kind: string; seconds: number; rows?: number }[] };
  const use = out.results.find((x) => x.kind === 'data');
  return { ...p, seconds: use ? use.seconds : NaN };
}

const FREAD_R = `suppressMessages(library(data.table))
setDTthreads(1)
f <- commandArgs(TRUE)[1]
t <- system.time(d <- fread(f))[["elapsed"]]
cat(sprintf("FREAD %.4f %d %d\\n", t, nrow(d), ncol(d)))
`;

/** Rscript with data.table, or why not. */
function freadAvailable(): string | undefined {
  const r = spawnSync('Rscript', ['-e', 'suppressMessages(library(data.table)); cat(as.character(packageVersion("data.table")))'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.trim();
}

function fread(script: string, file: string): Proc & { seconds: number } {
  const p = run('Rscript', [script, file]);
  const m = /FREAD (\S+)/.exec(p.stdout);
  if (!m) throw new Error(`fread printed no time: ${p.stdout} ${p.stderr}`);
  return { ...p, seconds: Number(m[1]) };
}

function inProcess(file: string): Promise<void> {
  return (async () => {
    const one: number[] = [];
    const cat: number[] = [];
    const load: number[] = [];
    for (let r = 0; r < 3; r++) {
      (globalThis as { gc?: () => void }).gc?.();
      const t0 = performance.now();
      const d = await loadDataset(file);
      load.push((performance.now() - t0) / 1000);
      const t1 = performance.now();
      buildCatalog(d.table);
      cat.push((performance.now() - t1) / 1000);
      const buf = readFileSync(file);
      const t2 = performance.now();
      parseCsv(buf, file);
      one.push((performance.now() - t2) / 1000);
    }
    console.log(`  in process (median of 3): loadDataset ${f3(median(load))} s (as the CLI: streamed from the file, a worker only when a core is spare), parseCsv on one thread (file bytes in memory) ${f3(median(one))} s, buildCatalog ${f3(median(cat))} s`);
  })();
}

async function main(): Promise<void> {
  if (!existsSync(cli) || !existsSync(join(root, 'dist', 'cli.js'))) throw new Error('build first: node scripts/build.mjs --only bench/csv');
  mkdirSync(specDir, { recursive: true });
  const dt = freadAvailable();
  const script = join(specDir, 'fread1.R');
  writeFileSync(script, FREAD_R);
  console.log(`Load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores; ${reps} runs each after one warm-up, alternating.`);
  console.log(dt ? `fread: data.table ${dt}, setDTthreads(1), measured in this run.` : `fread: Rscript with data.table not found; the 1M x 8 anchor ${FREAD_ANCHOR} s is the reference BENCH.md figure (not measured here), 1M x 20 has none.`);

  const f8 = join(dataDir, 'fe_balanced_1m.csv');
  if (!existsSync(f8)) writeFePanel(f8, 100_000, 0);
  const f20 = join(dataDir, 'load_v2_1000000x20.csv');
  if (!existsSync(f20)) writeBenchPanel(f20, 1_000_000);

  const base = median(Array.from({ length: 3 }, () => panelspec('csv_empty', '').peakMB));
  console.log(`PanelSpec CLI on a spec that loads nothing: peak RSS ${mb(base)} (the process's own baseline)`);

  for (const [label, file, cols] of [['1M x 8', f8, 8], ['1M x 20', f20, 20]] as const) {
    const dataMB = (1_000_000 * cols * 8) / 2 ** 20;
    const ps: ReturnType<typeof panelspec>[] = [];
    const fr: ReturnType<typeof fread>[] = [];
    panelspec('csv_load', file); // warm-up (page cache, disk)
    if (dt) fread(script, file);
    for (let r = 0; r < reps; r++) {
      ps.push(panelspec('csv_load', file));
      if (dt) fr.push(fread(script, file));
    }
    const sec = median(ps.map((p) => p.seconds));
    const anchor = dt ? median(fr.map((p) => p.seconds)) : cols === 8 ? FREAD_ANCHOR : NaN;
    const pairRatio = dt ? median(ps.map((p, i) => p.seconds / fr[i].seconds)) : sec / anchor;
    const peak = median(ps.map((p) => p.peakMB));
    console.log(`\n${label} (${(statSync(file).size / 1e6).toFixed(0)} MB of CSV, data ${dataMB.toFixed(0)} MB as doubles):`);
    console.log(`  PanelSpec \`use\` seconds: median ${f3(sec)} s [${ps.map((p) => f3(p.seconds)).join(' ')}]`);
    console.log(`  fread, 1 thread:         ${dt ? `median ${f3(anchor)} s [${fr.map((p) => f3(p.seconds)).join(' ')}]` : `${f3(anchor)} s (reference anchor)`}`);
    console.log(`  ratio PanelSpec / fread: ${f3(pairRatio)}${dt ? ' (median of the run-by-run ratios)' : ''}${cols === 8 ? ' (target <= 1.5)' : ''}${cols === 20 ? `; PanelSpec under 1 s: ${sec < 1 ? 'yes' : 'no'}` : ''}`);
    console.log(`  whole process, wall: PanelSpec ${f3(median(ps.map((p) => p.wall)))} s${dt ? `, Rscript ${f3(median(fr.map((p) => p.wall)))} s` : ''} (includes start-up: node and the bundle, R and data.table)`);
    console.log(`  peak RSS: PanelSpec ${mb(peak)} (${mb(peak - base)} over its baseline = ${((peak - base) / dataMB).toFixed(2)} x the data; whole process ${(peak / dataMB).toFixed(2)} x)${dt ? `, Rscript ${mb(median(fr.map((p) => p.peakMB)))}` : ''}`);
    await inProcess(file);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
