// The bench panel: ROWS x 20 numeric columns (~150 MB for 1,000,000 rows), the same bytes for the
// same seed. Used by the load, summarize and data-viewer benches and by the end-to-end viewer suite.
//   node out/bench/makePanel.js FILE [ROWS]
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { mulberry32 } from '../test/util/mulberry32';

/** Columns: city id, year, 10 x 3-decimal values, 2 x full-precision doubles (16-17 digits, as
 *  R/pandas write computed columns), 6 small ints. */
export function writeBenchPanel(file: string, rows: number): void {
  mkdirSync(dirname(file), { recursive: true });
  const rnd = mulberry32(20260601);
  const fd = openSync(file, 'w');
  const head = ['city', 'year', ...Array.from({ length: 10 }, (_, k) => `x${k + 1}`), ...Array.from({ length: 2 }, (_, k) => `z${k + 1}`), ...Array.from({ length: 6 }, (_, k) => `d${k + 1}`)];
  writeSync(fd, head.join(',') + '\n');
  let chunk: string[] = [];
  for (let i = 0; i < rows; i++) {
    const f: string[] = [String(100000 + Math.floor(i / 18)), String(2003 + (i % 18))];
    for (let k = 0; k < 10; k++) f.push(((rnd() - 0.3) * 1000).toFixed(3));
    for (let k = 0; k < 2; k++) f.push(String(rnd() * 10 - 5));
    for (let k = 0; k < 6; k++) f.push(String(Math.floor(rnd() * 12)));
    chunk.push(f.join(','));
    if (chunk.length === 20000) {
      writeSync(fd, chunk.join('\n') + '\n');
      chunk = [];
    }
  }
  if (chunk.length) writeSync(fd, chunk.join('\n') + '\n');
  closeSync(fd);
}

// (only when run as its own script: bundled into another bench, require.main is that bench)
if (require.main === module && /makePanel\.js$/.test(process.argv[1] ?? "")) {
  const [file, rows = '1000000'] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node out/bench/makePanel.js FILE [ROWS]');
    process.exit(2);
  }
  writeBenchPanel(file, Number(rows));
}
