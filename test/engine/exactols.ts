// Test-only reference: exact least squares on an explicit dummy-variable design with ml-matrix,
// plus sandwich VCOVs computed directly, to check the engine without going through its own code.
import { mulberry32 } from '../util/mulberry32';
import { Matrix, QrDecomposition, inverse } from 'ml-matrix';

export { mulberry32 as rng };

export function normal(r: () => number): () => number {
  return () => {
    const u = Math.max(r(), 1e-300);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  };
}

/** Dummy columns for codes (0..G-1), leaving out level `drop` (-1 keeps all). */
export function dummyCols(codes: ArrayLike<number>, G: number, drop = -1): number[][] {
  const out: number[][] = [];
  for (let g = 0; g < G; g++) {
    if (g === drop) continue;
    out.push(Array.from(codes, (c) => (c === g ? 1 : 0)));
  }
  return out;
}

export interface ExactFit {
  beta: number[]; // all columns
  resid: number[];
  bread: Matrix; // (X'WX)^-1
  X: Matrix;
  ssr: number;
  n: number;
}

/** Weighted least squares of y on the given columns (rows x cols as column arrays). */
export function exactOls(cols: number[][], y: ArrayLike<number>, w?: ArrayLike<number>): ExactFit {
  const n = y.length;
  const p = cols.length;
  const X = new Matrix(n, p);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) X.set(i, j, cols[j][i]);
  const sw = Array.from({ length: n }, (_, i) => Math.sqrt(w ? w[i] : 1));
  const Xw = new Matrix(n, p);
  const yw = new Matrix(n, 1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) Xw.set(i, j, X.get(i, j) * sw[i]);
    yw.set(i, 0, y[i] * sw[i]);
  }
  const b = new QrDecomposition(Xw).solve(yw);
  const beta = Array.from({ length: p }, (_, j) => b.get(j, 0));
  const resid = Array.from({ length: n }, (_, i) => {
    let s = y[i];
    for (let j = 0; j < p; j++) s -= X.get(i, j) * beta[j];
    return s;
  });
  const bread = inverse(Xw.transpose().mmul(Xw));
  let ssr = 0;
  for (let i = 0; i < n; i++) ssr += (w ? w[i] : 1) * resid[i] * resid[i];
  return { beta, resid, bread, X, ssr, n };
}

/** Raw sandwich B M B with meat from clusters (codes) or, with no codes, per row (HC0). */
export function rawSandwich(f: ExactFit, w?: ArrayLike<number>, clusterCodes?: ArrayLike<number>[]): Matrix {
  const p = f.X.columns;
  const meatFor = (codes: ArrayLike<number> | null): Matrix => {
    const sums = new Map<string | number, number[]>();
    for (let i = 0; i < f.n; i++) {
      const key = codes ? codes[i] : i;
      let s = sums.get(key);
      if (!s) sums.set(key, (s = new Array(p).fill(0)));
      const we = (w ? w[i] : 1) * f.resid[i];
      for (let j = 0; j < p; j++) s[j] += we * f.X.get(i, j);
    }
    const M = Matrix.zeros(p, p);
    for (const s of sums.values()) for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) M.set(a, b, M.get(a, b) + s[a] * s[b]);
    return M;
  };
  let meat: Matrix;
  if (!clusterCodes) meat = meatFor(null);
  else if (clusterCodes.length === 1) meat = meatFor(clusterCodes[0]);
  else {
    // two-way CGM: V1 + V2 - V12
    const [a, b] = clusterCodes;
    const ab = Array.from({ length: f.n }, (_, i) => a[i] * 1e6 + b[i]);
    meat = meatFor(a).add(meatFor(b)).sub(meatFor(ab));
  }
  return f.bread.mmul(meat).mmul(f.bread);
}
