// The cluster-level sums of the wild cluster bootstrap (see wildBootstrap.ts) from a prepared model:
// partial the other regressors out of the FE-demeaned tested regressor and outcome, then one pass over the
// rows for the per-cell sums, plus the projection term C of the fixed effects and other regressors. Cells
// are the bootstrap clusters (one-way) or their intersections with the error clusterings (wildClusters.ts).
import { EstimationError } from '../types';
import type { PreparedModel } from '../model';
import { isNestedIn, type SampleFactor } from '../factors';
import { cholesky, cholInverse } from '../linalg';
import type { WildClusterSums } from './wildBootstrap';
import { feProjection } from './feProjection';
import { MAX_DENSE_CELLS, wildCells, type WildClustering } from './wildClusters';

/** Column block size for the fixed-effect projections (bounds memory at BLOCK x n doubles). */
const BLOCK = 8;

/**
 * @param m the prepared model (its demeaned columns are read, never written)
 * @param term the tested regressor (a kept one)
 * @param clustering the error clusterings and bootstrap clusters on the model's sample rows
 */
export function wildClusterSums(m: PreparedModel, term: string, clustering: WildClustering): WildClusterSums {
  const layout = wildCells(clustering);
  const Gc = layout.cells.nlevels;
  const G = layout.G;
  const sums = cellSums(m, term, layout.cells);
  let { dense, R, left, rightA, rightB } = sums;
  // the projection's columns are the bootstrap clusters: C[c, h] = sum of C[c, c'] over the cells c' of h
  if (G !== Gc) {
    const bootRows = (x: Float64Array, width: number): Float64Array => {
      const out = new Float64Array(G * width);
      for (let c = 0; c < Gc; c++) {
        const o = layout.cellBoot[c] * width;
        for (let r = 0; r < width; r++) out[o + r] += x[c * width + r];
      }
      return out;
    };
    const bootCols = (x: Float64Array): Float64Array => {
      const out = new Float64Array(Gc * G);
      for (let c = 0; c < Gc; c++) for (let h = 0; h < Gc; h++) out[c * G + layout.cellBoot[h]] += x[c * Gc + h];
      return out;
    };
    rightA = bootRows(rightA, R);
    rightB = bootRows(rightB, R);
    if (dense) dense = { ca: bootCols(dense.ca), cb: bootCols(dense.cb) };
  }
  // a rank that costs more per draw than the full matrix: fold it into the matrix
  if (R > 0 && R * (Gc + G) >= Gc * G) {
    const ca = dense?.ca ?? new Float64Array(Gc * G);
    const cb = dense?.cb ?? new Float64Array(Gc * G);
    for (let c = 0; c < Gc; c++)
      for (let h = 0; h < G; h++) {
        let sa = 0;
        let sb = 0;
        for (let r = 0; r < R; r++) {
          sa += left[c * R + r] * rightA[h * R + r];
          sb += left[c * R + r] * rightB[h * R + r];
        }
        ca[c * G + h] += sa;
        cb[c * G + h] += sb;
      }
    dense = { ca, cb };
    R = 0;
    left = rightA = rightB = new Float64Array(0);
  }
  // boottest's k: the non-FE coefficients (the constant counts when the model reports it)
  const k = m.keep.length + (m.reportConstant ? 1 : 0);
  return { G, n: m.n, k, cells: Gc, cellBoot: layout.cellBoot, terms: layout.terms, saa: sums.saa, sab: sums.sab, dense, R, left, rightA, rightB };
}

/** The factor with the most levels (feProjection's D1). */
function largest(factors: SampleFactor[]): SampleFactor {
  return factors.reduce((best, f) => (f.nlevels > best.nlevels ? f : best));
}

interface CellSums {
  saa: Float64Array;
  sab: Float64Array;
  /** cells x cells part of the projection term, if any */
  dense: { ca: Float64Array; cb: Float64Array } | null;
  /** the low-rank part: C[c, h] += left_c' right_h (cells x R each) */
  R: number;
  left: Float64Array;
  rightA: Float64Array;
  rightB: Float64Array;
}

/** Per cell sums w a^2 and w a b, and the cell-by-cell projection terms (see wildBootstrap.ts). */
function cellSums(m: PreparedModel, term: string, cluster: SampleFactor): CellSums {
  const j = m.names.indexOf(term);
  if (j < 0) throw new EstimationError(`${term} is not a regressor of the model`);
  const pos = m.keep.indexOf(j);
  if (pos < 0) throw new EstimationError(`${term} was omitted from the model (collinear): nothing to test`);
  const { n, w } = m;
  const G = cluster.nlevels;
  const codes = cluster.codes;
  const kk = m.keep.length;
  const others = m.keep.filter((_, a) => a !== pos);
  const k2 = others.length;
  const x2 = others.map((q) => m.xTilde[q]);
  const xj = m.xTilde[j];
  const yT = m.yTilde;

  // H^-1 = (X2~'W X2~)^-1 from the kept cross products
  let hInv: Float64Array = new Float64Array(0);
  if (k2 > 0) {
    const idx = m.keep.map((_, a) => a).filter((a) => a !== pos);
    const h = new Float64Array(k2 * k2);
    for (let p = 0; p < k2; p++) for (let q = 0; q < k2; q++) h[p * k2 + q] = m.xtxKept[idx[p] * kk + idx[q]];
    if (!cholesky(h, k2)) throw new EstimationError('the other regressors are collinear');
    hInv = cholInverse(h, k2);
  }
  // a = M x_j, b = M y with M partialling X2~ (the FE are already out)
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  a.set(xj);
  b.set(yT);
  if (k2 > 0) {
    const xa = new Float64Array(k2);
    const xb = new Float64Array(k2);
    for (let p = 0; p < k2; p++) {
      const x = x2[p];
      let sa = 0;
      let sb = 0;
      if (w) for (let i = 0; i < n; i++) { const wx = w[i] * x[i]; sa += wx * xj[i]; sb += wx * yT[i]; }
      else for (let i = 0; i < n; i++) { sa += x[i] * xj[i]; sb += x[i] * yT[i]; }
      xa[p] = sa;
      xb[p] = sb;
    }
    for (let p = 0; p < k2; p++) {
      let ga = 0;
      let gb = 0;
      for (let q = 0; q < k2; q++) { ga += hInv[p * k2 + q] * xa[q]; gb += hInv[p * k2 + q] * xb[q]; }
      const x = x2[p];
      for (let i = 0; i < n; i++) { a[i] -= ga * x[i]; b[i] -= gb * x[i]; }
    }
  }

  // one pass: per cluster sum w a^2, w a b, and the X2 cross sums Ra_g = sum w a x2, Rb_g = sum w b x2
  const saa = new Float64Array(G);
  const sab = new Float64Array(G);
  const ra = new Float64Array(G * k2);
  const rb = new Float64Array(G * k2);
  for (let i = 0; i < n; i++) {
    const g = codes[i];
    const wa = w ? w[i] * a[i] : a[i];
    saa[g] += wa * a[i];
    sab[g] += wa * b[i];
  }
  for (let p = 0; p < k2; p++) {
    const x = x2[p];
    for (let i = 0; i < n; i++) {
      const o = codes[i] * k2 + p;
      const wx = w ? w[i] * x[i] : x[i];
      ra[o] += wx * a[i];
      rb[o] += wx * b[i];
    }
  }
  // C_y[g,h] = sum_{i in g} w a_i [P(y 1_h)]_i = sum_{i in h} w y_i [P(a 1_g)]_i (P is W-self-adjoint);
  // P = P_FE + P_X2~ (orthogonal pieces). The X2~ piece is of rank k2: Ra_g' H^-1 Ry_h.
  const fe = m.fe;
  const nested = fe.factors.every((f) => isNestedIn(f, cluster));
  // the FE projection of a 1_g stays inside cluster g and equals (P_FE a) 1_g = 0 when every absorbed
  // factor is nested in the clusters; otherwise in the space of FE levels (feProjection.ts) or, with too
  // many levels for that, by projecting a 1_g for each g (G demeanings)
  if (fe.count > 0 && !nested && G > MAX_DENSE_CELLS && !isNestedIn(largest(fe.factors), cluster)) {
    throw new EstimationError(
      `the wild bootstrap needs a ${G} x ${G} projection here (the fixed effect ${largest(fe.factors).name} is not nested in the ${G} bootstrap cells); more than ${MAX_DENSE_CELLS} are not supported: bootstrap coarser clusters`,
    );
  }
  const proj = fe.count > 0 && !nested ? feProjection(fe.factors, w, a, b, codes, G) : null;
  let dense: CellSums['dense'] = proj?.ca && proj.cb ? { ca: proj.ca, cb: proj.cb } : null;
  if (fe.count > 0 && !nested && !proj) {
    if (G > MAX_DENSE_CELLS) throw new EstimationError(`the wild bootstrap needs ${G} projections of the fixed effects here; more than ${MAX_DENSE_CELLS} are not supported: bootstrap coarser clusters`);
    const ca = new Float64Array(G * G);
    const cb = new Float64Array(G * G);
    for (let g0 = 0; g0 < G; g0 += BLOCK) {
      const g1 = Math.min(G, g0 + BLOCK);
      const cols: Float64Array[] = [];
      for (let g = g0; g < g1; g++) {
        const z = new Float64Array(n);
        for (let i = 0; i < n; i++) if (codes[i] === g) z[i] = a[i];
        cols.push(z);
      }
      const dm = fe.demeanMany(cols, { tolerance: m.input.tolerance, maxIterations: m.input.maxIterations });
      for (let g = g0; g < g1; g++) {
        const z = cols[g - g0];
        const d = dm.columns[g - g0];
        // P_FE z = z - d; sum over rows of cluster h of w y (z - d)
        const accA = new Float64Array(G);
        const accB = new Float64Array(G);
        for (let i = 0; i < n; i++) {
          const pz = (z[i] - d[i]) * (w ? w[i] : 1);
          const h = codes[i];
          accA[h] += pz * a[i];
          accB[h] += pz * b[i];
        }
        for (let h = 0; h < G; h++) {
          ca[g * G + h] += accA[h];
          cb[g * G + h] += accB[h];
        }
      }
    }
    dense = { ca, cb };
  }
  // the low-rank pieces side by side: [X2~ | FE Schur term]
  const K2 = proj?.K2 ?? 0;
  const R = k2 + K2;
  const left = new Float64Array(G * R);
  const rightA = new Float64Array(G * R);
  const rightB = new Float64Array(G * R);
  for (let g = 0; g < G; g++) {
    for (let p = 0; p < k2; p++) {
      let s = 0;
      for (let q = 0; q < k2; q++) s += hInv[p * k2 + q] * ra[g * k2 + q];
      left[g * R + p] = s;
      rightA[g * R + p] = ra[g * k2 + p];
      rightB[g * R + p] = rb[g * k2 + p];
    }
    if (proj)
      for (let c = 0; c < K2; c++) {
        left[g * R + k2 + c] = proj.left[g * K2 + c];
        rightA[g * R + k2 + c] = proj.rightA[g * K2 + c];
        rightB[g * R + k2 + c] = proj.rightB[g * K2 + c];
      }
  }
  return { saa, sab, dense, R, left, rightA, rightB };
}
