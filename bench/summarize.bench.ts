// `summarize` of 20 variables on 1,000,000 rows (issue target: under 0.5 s), through the runtime as a
// spec runs it: the data are loaded once (not timed), then the statement's own `seconds` is read.
// Uses the 1M x 20 CSV that bench/load.bench.ts generates under bench/data/.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../grammar/src/index';
import { loadDataset } from '../server/src/data/load';
import { runProgram } from '../server/src/runtime/interpreter';

async function main(): Promise<void> {
  const csv = join(__dirname, '..', '..', 'bench', 'data', 'load_v2_1000000x20.csv');
  if (!existsSync(csv)) {
    console.log(`summarize bench: ${csv} missing; run the load bench first (npm run bench)`);
    return;
  }
  const loaded = await loadDataset(csv);
  const spec = join(__dirname, 'summarize.pspec');
  const program = parse(`use "${csv}"\nsummarize x1-x10 z1 z2 d1-d6 city year\nsummarize x1-x10 z1 z2 d1-d6 city year, detail\n`);
  const plain: number[] = [];
  const detail: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    const out = await runProgram(program, { file: spec, preloaded: new Map([[csv, loaded]]) });
    if (out.error) throw new Error(out.error.message);
    const sums = out.results.filter((r) => r.kind === 'summary');
    plain.push(sums[0].seconds);
    detail.push(sums[1].seconds);
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  console.log(`summarize 20 vars x 1,000,000 rows: median ${med(plain).toFixed(3)} s; with detail (percentiles): median ${med(detail).toFixed(3)} s (target < 0.5 s)`);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
