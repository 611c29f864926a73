// `npm run bench`: runs every bench script in its own process (so one's memory does not skew the
// next) and lets each print its own figures. Benches print medians; nothing here asserts a time.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const benches = ['cli.bench.js', 'csv.bench.js', 'hardgraph.bench.js', 'engine.bench.js', 'boottest.bench.js', 'load.bench.js', 'summarize.bench.js', 'lsp.bench.js', 'dataViewer.bench.js'];
const only = process.argv[2];
let failed = 0;
for (const b of benches) {
  if (only && !b.includes(only)) continue;
  console.log(`\n=== ${b.replace('.js', '')} ===`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(__dirname, b)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
