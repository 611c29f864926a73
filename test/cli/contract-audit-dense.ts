// Independent reference computations for the contract audit (test side only, no PanelSpec code):
// least squares with fixed effects as explicit dummies (the first FE swept out by exact group
// means, every other FE as a full set of dummies solved by pseudo-inverse), iid / HC1 / CR1 /
// multi-way CR1 covariances with reghdfe's small-sample K, and p-values / intervals from Student t.
import { Matrix, pseudoInverse, SingularValueDecomposition, EigenvalueDecomposition } from 'ml-matrix';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { readFileSync } from 'node:fs';

export type Row = Record<string, number>;
export type Key = (r: Row) => string | number;

/** A CSV with numeric columns (NA, '.', '' are NaN); column names as in the header. */
export function readCsv(path: string): Row[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const names = head.split(',').map((s) => s.replace(/^"|"$/g, ''));
  return lines.map((l) => {
    const v = l.split(',');
    const o: Row = {};
    names.forEach((n, j) => {
      const s = (v[j] ?? '').replace(/^"|"$/g, '');
      o[n] = s === '' || s === 'NA' || s === '.' ? NaN : Number(s);
    });
    return o;
  });
}

export interface DenseSpec {
  y: string;
  x: string[];
  fe?: Key[]; // fixed effects, as keys per row
  weight?: string;
  cluster?: Key[]; // one or two cluster keys
  robust?: boolean;
  constant?: boolean; // reg: report _cons (no FE)
  dropSingletons?: boolean; // default true when there are FE
  inst?: string[]; // 2SLS: excluded instruments (the endogenous regressors are among x)
  endog?: string[];
}

export interface DenseFit {
  n: number;
  k: number;
  kFull: number; // every FE level less redundant ones (R2 adjustments)
  coef: Record<string, { estimate: number; se: number; t: number; p: number; ci_low: number; ci_high: number }>;
  dfT: number;
  r2: number;
  r2Within: number | null;
  ssr: number;
  nClusters: number[];
  singletons: number;
}

function rank(m: Matrix): number {
  if (m.columns === 0) return 0;
  const svd = new SingularValueDecomposition(m, { autoTranspose: true });
  const s = svd.diagonal;
  const tol = Math.max(m.rows, m.columns) * s[0] * 1e-10;
  return s.filter((v) => v > tol).length;
}

function levelsOf(rows: Row[], key: Key): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) {
    const k = String(key(r));
    if (!m.has(k)) m.set(k, m.size);
  }
  return m;
}

function dummies(rows: Row[], key: Key): number[][] {
  const lv = levelsOf(rows, key);
  return rows.map((r) => {
    const d = new Array(lv.size).fill(0);
    d[lv.get(String(key(r)))!] = 1;
    return d;
  });
}

/** Is every level of `a` inside one level of `b` (on these rows)? */
export function nestedIn(rows: Row[], a: Key, b: Key): boolean {
  const m = new Map<string, string>();
  for (const r of rows) {
    const ka = String(a(r));
    const kb = String(b(r));
    if (m.has(ka) && m.get(ka) !== kb) return false;
    m.set(ka, kb);
  }
  return true;
}

/** Sweeps group means of `key` out of each column (weighted), exactly. */
function sweep(cols: number[][], rows: Row[], key: Key, w: number[]): number[][] {
  const lv = levelsOf(rows, key);
  const code = rows.map((r) => lv.get(String(key(r)))!);
  return cols.map((c) => {
    const s = new Array(lv.size).fill(0);
    const sw = new Array(lv.size).fill(0);
    c.forEach((v, i) => {
      s[code[i]] += w[i] * v;
      sw[code[i]] += w[i];
    });
    return c.map((v, i) => v - s[code[i]] / sw[code[i]]);
  });
}

export function denseFit(data: Row[], spec: DenseSpec): DenseFit {
  const fe = spec.fe ?? [];
  const cl = spec.cluster ?? [];
  const used = [spec.y, ...spec.x, ...(spec.inst ?? []), ...(spec.weight ? [spec.weight] : [])];
  let rows = data.filter((r) => used.every((v) => Number.isFinite(r[v])) && (!spec.weight || r[spec.weight] > 0));
  // iterative singleton removal
  let singletons = 0;
  if (fe.length && spec.dropSingletons !== false) {
    for (;;) {
      const before = rows.length;
      for (const f of fe) {
        const cnt = new Map<string, number>();
        for (const r of rows) cnt.set(String(f(r)), (cnt.get(String(f(r))) ?? 0) + 1);
        rows = rows.filter((r) => cnt.get(String(f(r)))! > 1);
      }
      singletons += before - rows.length;
      if (rows.length === before) break;
    }
  }
  const n = rows.length;
  const w = rows.map((r) => (spec.weight ? r[spec.weight] : 1));
  const p = spec.x.length;
  const yRaw = rows.map((r) => r[spec.y]);
  const xCols = spec.x.map((v) => rows.map((r) => r[v]));
  // columns of the design after sweeping the first FE: regressors, then dummies of the other FEs
  const nInst = spec.inst?.length ?? 0;
  let cols: number[][] = [...xCols, ...(spec.inst ?? []).map((v) => rows.map((r) => r[v]))];
  let extra: number[][] = [];
  for (const f of fe.slice(1)) {
    const d = dummies(rows, f);
    for (let j = 0; j < d[0].length; j++) extra.push(d.map((r) => r[j]));
  }
  let y = yRaw;
  if (fe.length) {
    [y, ...cols] = sweep([yRaw, ...cols, ...extra], rows, fe[0], w);
    extra = cols.slice(p + nInst);
    cols = cols.slice(0, p + nInst);
  } else if (spec.constant !== false) {
    extra = [rows.map(() => 1)];
  }
  const instCols = cols.slice(p);
  cols = cols.slice(0, p);
  const all = [...cols, ...extra];
  const toMatrix = (cs: number[][]) => {
    const m = new Matrix(n, cs.length);
    cs.forEach((c, j) => c.forEach((v, i) => m.set(i, j, v)));
    return m;
  };
  const sw = w.map(Math.sqrt);
  const scaleRows = (m: Matrix, f: number[]) => {
    const o = m.clone();
    for (let i = 0; i < n; i++) for (let j = 0; j < m.columns; j++) o.set(i, j, m.get(i, j) * f[i]);
    return o;
  };
  const Zraw = toMatrix(all);
  // 2SLS: the regressors projected on [instruments, exogenous regressors, dummies] (weighted)
  let Z = Zraw;
  if (nInst) {
    const endog = new Set(spec.endog ?? []);
    const W = toMatrix([...instCols, ...cols.filter((_, j) => !endog.has(spec.x[j])), ...extra]);
    const Ww = scaleRows(W, sw);
    const proj = pseudoInverse(Ww.transpose().mmul(Ww), 1e-10).mmul(Ww.transpose().mmul(scaleRows(Zraw, sw)));
    Z = W.mmul(proj);
  }
  const Zw = scaleRows(Z, sw);
  const A = Zw.transpose().mmul(Zw);
  const Ainv = pseudoInverse(A, 1e-10);
  const zy = Z.transpose().mmul(Matrix.columnVector(y.map((v, i) => v * w[i])));
  const b = Ainv.mmul(zy).getColumn(0);
  const e = y.map((v, i) => v - all.reduce((s, c, j) => s + c[i] * b[j], 0));
  const ssr = e.reduce((s, v, i) => s + w[i] * v * v, 0);
  // R2 (about the weighted mean) and within R2 (y already swept of the first FE; sweep the rest by OLS on the dummies)
  const sumW = w.reduce((s, v) => s + v, 0);
  const ybar = yRaw.reduce((s, v, i) => s + w[i] * v, 0) / sumW;
  const tss = yRaw.reduce((s, v, i) => s + w[i] * (v - ybar) ** 2, 0);
  let r2Within: number | null = null;
  if (fe.length) {
    let yw = y;
    if (extra.length) {
      const E = new Matrix(n, extra.length);
      extra.forEach((c, j) => c.forEach((v, i) => E.set(i, j, v * sw[i])));
      const g = pseudoInverse(E.transpose().mmul(E), 1e-10).mmul(E.transpose().mmul(Matrix.columnVector(y.map((v, i) => v * sw[i])))).getColumn(0);
      yw = y.map((v, i) => v - extra.reduce((s, c, j) => s + c[i] * g[j], 0));
    }
    r2Within = 1 - ssr / yw.reduce((s, v, i) => s + w[i] * v * v, 0);
  }
  // K
  const kFull = (fe.length ? levelsOf(rows, fe[0]).size : 0) + rank(Zw);
  let k = kFull;
  const nested = fe.map((f) => cl.some((c) => nestedIn(rows, f, c)));
  if (cl.length && nested.some(Boolean)) {
    // reghdfe: the levels of FEs nested in a cluster are not parameters; K = rank([X, 1, D_nonnested])
    const keep = fe.filter((_, q) => !nested[q]);
    const cs: number[][] = [...xCols, rows.map(() => 1)];
    for (const f of keep) {
      const d = dummies(rows, f);
      for (let j = 0; j < d[0].length; j++) cs.push(d.map((r) => r[j]));
    }
    const M = new Matrix(n, cs.length);
    cs.forEach((c, j) => c.forEach((v, i) => M.set(i, j, v)));
    k = rank(M);
  }
  // covariance
  let V: Matrix;
  let dfT = n - k;
  const nClusters: number[] = [];
  if (cl.length) {
    const meat = (key: Key): Matrix => {
      const lv = levelsOf(rows, key);
      nClusters.push(lv.size);
      const S = new Matrix(lv.size, all.length);
      rows.forEach((r, i) => {
        const g = lv.get(String(key(r)))!;
        for (let j = 0; j < all.length; j++) S.set(g, j, S.get(g, j) + Z.get(i, j) * w[i] * e[i]);
      });
      return S.transpose().mmul(S);
    };
    // Cameron-Gelbach-Miller inclusion-exclusion over every non-empty subset of the cluster variables
    let Mt = new Matrix(all.length, all.length);
    for (const c of cl) meat(c);
    for (let mask = 1; mask < 1 << cl.length; mask++) {
      const sub = cl.filter((_, j) => mask & (1 << j));
      const key: Key = (r) => sub.map((c) => c(r)).join('|');
      const m = meat(key);
      nClusters.pop();
      Mt = sub.length % 2 === 1 ? Mt.add(m) : Mt.sub(m);
    }
    const G = Math.min(...nClusters);
    V = Ainv.mmul(Mt).mmul(Ainv).mul(((n - 1) / (n - k)) * (G / (G - 1)));
    if (cl.length > 1) {
      // Cameron-Gelbach-Miller: zero negative eigenvalues of the regressor block
      const Vx = V.subMatrix(0, p - 1, 0, p - 1);
      const ed = new EigenvalueDecomposition(Vx, { assumeSymmetric: true });
      const lam = ed.realEigenvalues;
      if (lam.some((l) => l < 0)) {
        const Q = ed.eigenvectorMatrix;
        const L = Matrix.diag(lam.map((l) => Math.max(l, 0)));
        const fixed = Q.mmul(L).mmul(Q.transpose());
        for (let a = 0; a < p; a++) for (let c = 0; c < p; c++) V.set(a, c, fixed.get(a, c));
      }
    }
    dfT = G - 1;
  } else if (spec.robust) {
    const S = Zw.clone();
    for (let i = 0; i < n; i++) for (let j = 0; j < all.length; j++) S.set(i, j, Z.get(i, j) * w[i] * e[i]);
    V = Ainv.mmul(S.transpose().mmul(S)).mmul(Ainv).mul(n / (n - k));
  } else {
    V = Ainv.mul(ssr / (n - k));
  }
  const q = tQuantile(0.975, dfT);
  const names = fe.length ? spec.x : spec.constant !== false ? [...spec.x, '_cons'] : spec.x;
  const coef: DenseFit['coef'] = {};
  names.forEach((nm, j) => {
    const est = b[j];
    const se = Math.sqrt(V.get(j, j));
    const t = est / se;
    coef[nm] = { estimate: est, se, t, p: 2 * (1 - tCdf(Math.abs(t), dfT)), ci_low: est - q * se, ci_high: est + q * se };
  });
  return { n, k, kFull, coef, dfT, r2: 1 - ssr / tss, r2Within, ssr, nClusters, singletons };
}
