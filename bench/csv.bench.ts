// CSV loading, broken down: read the file, parse it (parseCsv), profile it (buildCatalog, which the
// CLI's static check and the language server need), on the fixest-shaped 1M x 8 panel (64 MB) and
// the 1M x 20 bench panel (~150 MB). Median of 3 with CPU time (the steadier figure on a shared
// machine) and peak RSS; loadDataset uses two threads for a large file (csvParallel.ts), parseCsv one. fread anchor: reference BENCH.md (R is not installed here).
//   node scripts/build.mjs --only bench/ && node --expose-gc out/bench/csv.bench.js
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { writeFePanel } from './fePanel';
import { writeBenchPanel } from './makePanel';
import { loadDataset } from '../server/src/data/load';
import { buildCatalog } from '../server/src/data/catalog';
import { parseCsv } from '../server/src/data/csv';

const FREAD = 0.337;
const dataDir = join(__dirname, '..', '..', 'bench', 'data');

function timed<T>(f: () => T): { v: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const v = f();
  const c = process.cpuUsage(c0);
  return { v, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function bench(label: string, file: string, anchor?: number): Promise<void> {
  const mb = statSync(file).size / 1e6;
  const load: number[] = [];
  const loadCpu: number[] = [];
  const read: number[] = [];
  const cat: number[] = [];
  const one: number[] = [];
  const oneCpu: number[] = [];
  for (let r = 0; r < 3; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    read.push(timed(() => readFileSync(file)).wall);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const d = await loadDataset(file);
    const c = process.cpuUsage(c0);
    load.push((performance.now() - t0) / 1000);
    loadCpu.push((c.user + c.system) / 1e6);
    cat.push(timed(() => buildCatalog(d.table)).wall);
    const buf = readFileSync(file);
    const t = timed(() => parseCsv(buf, file));
    one.push(t.wall);
    oneCpu.push(t.cpu);
  }
  const m = med(load);
  console.log(
    `${label} (${mb.toFixed(0)} MB): loadDataset median ${m.toFixed(3)} s of [${load.map((t) => t.toFixed(3)).join(' ')}], CPU ${med(loadCpu).toFixed(3)} s` +
      (anchor ? `; fread anchor ${anchor} s, ratio ${(m / anchor).toFixed(2)} (target <= 1.5)` : ''),
  );
  console.log(`  one thread (parseCsv on the bytes, read excluded): median ${med(one).toFixed(3)} s, CPU ${med(oneCpu).toFixed(3)} s`);
  console.log(`  of which reading the file ${med(read).toFixed(3)} s; then buildCatalog ${med(cat).toFixed(3)} s`);
}

async function main(): Promise<void> {
  console.log(`fread figure: anchor from the reference BENCH.md, not measured here. Load average ${loadavg()[0].toFixed(1)} on 2 shared cores.`);
  const f8 = join(dataDir, 'fe_balanced_1m.csv');
  if (!existsSync(f8)) writeFePanel(f8, 100_000, 0);
  await bench('1M x 8', f8, FREAD);
  const f20 = join(dataDir, 'load_v2_1000000x20.csv');
  if (!existsSync(f20)) writeBenchPanel(f20, 1_000_000);
  await bench('1M x 20', f20);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (both files, three loads each)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
