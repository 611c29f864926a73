// Loading speed: a 1,000,000 x 20 numeric CSV (~150 MB, fixed seed, generated once under
// bench/data/) through loadDataset, median of 3, peak RSS; then buildCatalog on the result.
// Prints figures only (no assertions on time).
//   node scripts/build.mjs --no-main --only load.bench && node out/bench/load.bench.js [rows]
import { existsSync, statSync } from 'node:fs';
import { writeBenchPanel } from './makePanel';
import { join } from 'node:path';
import { loadDataset } from '../server/src/data/load';
import { buildCatalog } from '../server/src/data/catalog';
import { writeDta } from '../server/src/data/dta-write';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const dir = join(__dirname, '..', '..', 'bench', 'data');
const file = join(dir, `load_v2_${ROWS}x20.csv`);


async function main(): Promise<void> {
  if (!existsSync(file)) {
    const t0 = performance.now();
    writeBenchPanel(file, ROWS);
    console.log(`generated ${file} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const mb = statSync(file).size / 1e6;
  const rssBefore = process.memoryUsage().rss / 1e6;
  const times: number[] = [];
  const cpu: number[] = [];
  let table;
  for (let r = 0; r < 3; r++) {
    table = undefined;
    (globalThis as { gc?: () => void }).gc?.();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const d = await loadDataset(file);
    const c1 = process.cpuUsage(c0);
    times.push((performance.now() - t0) / 1000);
    cpu.push((c1.user + c1.system) / 1e6);
    table = d.table;
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const peak = process.resourceUsage().maxRSS / 1e3; // maxRSS is in KiB
  console.log(`loadDataset ${ROWS} x 20 CSV (${mb.toFixed(0)} MB): median ${times[1].toFixed(3)} s (runs ${times.map((t) => t.toFixed(3)).join(', ')}); CPU time median ${cpu[1].toFixed(3)} s`);
  console.log(`machine load average ${require('node:os').loadavg()[0].toFixed(1)} on ${require('node:os').cpus().length} cores (wall times are inflated when it exceeds the core count)`);
  console.log(`RSS before ${rssBefore.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, now ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  const ct: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    buildCatalog(table!);
    ct.push((performance.now() - t0) / 1000);
  }
  ct.sort((a, b) => a - b);
  console.log(`buildCatalog ${table!.nrows} x ${table!.columns.length}: median ${ct[1].toFixed(3)} s`);

  // The same table as Stata .dta 118.
  const dta = file.replace(/\.csv$/, '.dta');
  if (!existsSync(dta)) {
    const t0 = performance.now();
    writeDta(table!, dta, 118);
    console.log(`writeDta: ${((performance.now() - t0) / 1000).toFixed(3)} s`);
  }
  const dt: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    await loadDataset(dta);
    dt.push((performance.now() - t0) / 1000);
  }
  dt.sort((a, b) => a - b);
  console.log(`loadDataset .dta (${(statSync(dta).size / 1e6).toFixed(0)} MB): median ${dt[1].toFixed(3)} s`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
