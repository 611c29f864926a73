// The fixest-shaped regression panel as CSV (bench/BENCH anchors): id 1..U x year 1..10, columns
// id, year, y, x1..x5 (8 columns, ~64 MB for 1,000,000 rows), x's standard normal with some
// correlation to the unit effect, 6 decimals; y = x1 - 0.5 x2 + 0.25 x3 + 2 x4 + unit + year
// effects + noise. The same bytes for the same seed. `dropShare` drops that share of rows at random
// (the unbalanced panel). Written on demand by cli.bench.ts (cached in os.tmpdir()/panelspec-bench).
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { mulberry32 } from '../test/util/mulberry32';

/** Standard normal draws (Box-Muller) from a uniform stream. */
export function gaussian(r: () => number): () => number {
  let spare = NaN;
  return () => {
    if (spare === spare) {
      const s = spare;
      spare = NaN;
      return s;
    }
    const u = Math.max(r(), 1e-300);
    const rad = Math.sqrt(-2 * Math.log(u));
    const th = 2 * Math.PI * r();
    spare = rad * Math.sin(th);
    return rad * Math.cos(th);
  };
}

export function writeFePanel(file: string, units: number, dropShare = 0, years = 10, seed = 1): number {
  mkdirSync(dirname(file), { recursive: true });
  const z = gaussian(mulberry32(seed));
  const drop = mulberry32(seed + 1000);
  const fd = openSync(file, 'w');
  writeSync(fd, 'id,year,y,x1,x2,x3,x4,x5\n');
  const ye = Array.from({ length: years }, () => z());
  const r6 = (v: number) => (Math.round(v * 1e6) / 1e6).toFixed(6);
  let chunk: string[] = [];
  let rows = 0;
  const x = new Float64Array(5);
  for (let u = 1; u <= units; u++) {
    const ue = z();
    for (let t = 1; t <= years; t++) {
      for (let j = 0; j < 5; j++) x[j] = Math.round((0.8 * z() + 0.3 * ue * (j % 2 ? -1 : 1)) * 1e6) / 1e6;
      const y = x[0] - 0.5 * x[1] + 0.25 * x[2] + 2 * x[3] + ue + ye[t - 1] + z();
      if (dropShare > 0 && drop() < dropShare) continue;
      chunk.push(`${u},${t},${r6(y)},${x[0].toFixed(6)},${x[1].toFixed(6)},${x[2].toFixed(6)},${x[3].toFixed(6)},${x[4].toFixed(6)}`);
      rows++;
      if (chunk.length === 20000) {
        writeSync(fd, chunk.join('\n') + '\n');
        chunk = [];
      }
    }
  }
  if (chunk.length) writeSync(fd, chunk.join('\n') + '\n');
  closeSync(fd);
  return rows;
}
