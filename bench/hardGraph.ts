// A hard fixed-effects graph: a worker-firm panel where workers rarely move, and only to the next firm
// of a chain, so the firms are linked by a handful of movers each (alternating projections and plain
// CG need hundreds of iterations). Fixed seed; columns worker, firm, year, y, x1..x3.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { mulberry32 } from '../test/util/mulberry32';
import { gaussian } from './fePanel';

export interface HardGraph {
  n: number;
  workers: number;
  firms: number;
  years: number;
  worker: Int32Array;
  firm: Int32Array;
  year: Int32Array;
  y: Float64Array;
  x: Float64Array[];
}

/** `workers` x `years` rows; each worker starts at a firm along the chain and moves on with probability `move` a year. */
export function makeHardGraph(workers = 20_000, years = 10, firms = 1_000, move = 0.01, seed = 17): HardGraph {
  const r = mulberry32(seed);
  const z = gaussian(mulberry32(seed + 1));
  const n = workers * years;
  const worker = new Int32Array(n);
  const firm = new Int32Array(n);
  const year = new Int32Array(n);
  const x = [0, 1, 2].map(() => new Float64Array(n));
  const y = new Float64Array(n);
  const fe = Float64Array.from({ length: firms }, (_, f) => f / firms + 0.5 * z());
  const te = Float64Array.from({ length: years }, () => z());
  for (let w = 0, i = 0; w < workers; w++) {
    let f = Math.floor((w * firms) / workers);
    const we = z();
    for (let t = 0; t < years; t++, i++) {
      if (t > 0 && f < firms - 1 && r() < move) f++;
      worker[i] = w;
      firm[i] = f;
      year[i] = t;
      for (let j = 0; j < 3; j++) x[j][i] = Math.round((z() + 0.5 * we + 0.3 * fe[f]) * 1e6) / 1e6;
      y[i] = 0.5 * x[0][i] - 0.3 * x[1][i] + 0.1 * x[2][i] + we + fe[f] + te[t] + z();
    }
  }
  return { n, workers, firms, years, worker, firm, year, y, x };
}

/** The panel as CSV (y with 6 decimals, as the x's). */
export function writeHardGraph(file: string, g: HardGraph): void {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  writeSync(fd, 'worker,firm,year,y,x1,x2,x3\n');
  let chunk: string[] = [];
  for (let i = 0; i < g.n; i++) {
    chunk.push(`${g.worker[i] + 1},${g.firm[i] + 1},${2000 + g.year[i]},${g.y[i].toFixed(6)},${g.x[0][i].toFixed(6)},${g.x[1][i].toFixed(6)},${g.x[2][i].toFixed(6)}`);
    if (chunk.length === 20000) {
      writeSync(fd, chunk.join('\n') + '\n');
      chunk = [];
    }
  }
  if (chunk.length) writeSync(fd, chunk.join('\n') + '\n');
  closeSync(fd);
}
