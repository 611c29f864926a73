// Identification statistics for IV: Kleibergen-Paap rk (LM and Wald), Cragg-Donald, and the
// Kleibergen-Paap value that fixest reports (`kpr`), computed the way each anchor does.
//
// Inputs are the endogenous regressors X (N×K) and excluded instruments Z (N×L) with the FEs and
// the exogenous regressors partialled out (and rows scaled by sqrt(weight)). Following
// Kleibergen & Paap (2006) and ranktest.ado (which ivreg2/ivreghdfe call):
//   Π̂ = (Z'Z)⁻¹Z'X,  Θ̂ = F Π̂ G⁻¹ with F'F = Z'Z, G'G = X'X,  SVD Θ̂ = U S V'.
//   For H0: rank K-1, A_q = U[:,K..L] U22⁻¹ (U22 U22')^½, B_q = (V22 V22')^½ V22'⁻¹ V[:,K..K]',
//   λ = (B_q ⊗ A_q') vec Θ̂,  rk = λ' [(B_q ⊗ A_q') Ŵ (B_q ⊗ A_q')']⁻¹ λ ~ χ²(L-K+1),
//   Ŵ = (G'⁻¹ ⊗ F'⁻¹) Ŝ (G'⁻¹ ⊗ F'⁻¹)', Ŝ the robust / cluster sum of (e_i ⊗ z_i)(e_i ⊗ z_i)'
//   with e = X for the LM version and e = X - ZΠ̂ for the Wald version (no small-sample factor).
// Under iid errors both reduce to canonical correlations: LM = N·ρ²_K (Anderson), Wald =
// N·ρ²_K/(1-ρ²_K) (Cragg-Donald), ρ_K the smallest canonical correlation of X and Z.

import type { VcovType } from '../../results/types';
import type { SampleFactor } from '../factors';
import { vcovMeat, vcovRequest } from '../vcov';
import {
  type Mat, cholUpper, crossCols, dot, inverse, kron, matmul, matvec, sqrtSym, sub, symEigenSorted, toRows, transpose, vec,
} from '../linalg';

export interface RankInput {
  X: Float64Array[]; // K partialled endogenous regressors
  Z: Float64Array[]; // L partialled excluded instruments
  type: VcovType;
  clusters: SampleFactor[];
}

export interface RankStat {
  stat: number;
  df: number;
}

/** Upper-triangular inverse of an upper-triangular matrix. */
function invUpper(R: Mat): Mat {
  const inv = inverse(R);
  if (!inv) throw new Error('singular triangular factor');
  return inv;
}

/** Θ̂ = F Π̂ G⁻¹, Π̂ and the canonical-correlation pieces. */
function theta(X: Float64Array[], Z: Float64Array[]): { th: Mat; pi: Mat; Rz: Mat; Ry: Mat } | null {
  const ZZ = crossCols(Z);
  const ZX = crossCols(Z, X);
  const XX = crossCols(X);
  const Rz = cholUpper(ZZ);
  const Ry = cholUpper(XX);
  if (!Rz || !Ry) return null;
  const ZZi = inverse(ZZ);
  if (!ZZi) return null;
  const pi = matmul(ZZi, ZX);
  return { th: matmul(matmul(Rz, pi), invUpper(Ry)), pi, Rz, Ry };
}

/** Full SVD pieces of an L×K matrix (L ≥ K): U (L×L) and V (K×K) from the eigenvectors of ΘΘ' and Θ'Θ. */
function fullSvd(th: Mat): { U: Mat; V: Mat; s: number[] } {
  const eu = symEigenSorted(matmul(th, transpose(th)));
  const ev = symEigenSorted(matmul(transpose(th), th));
  const s = ev.values.map((v) => Math.sqrt(Math.max(v, 0)));
  return { U: eu.vectors, V: ev.vectors, s };
}

/** Squared canonical correlations of X and Z, decreasing. */
export function canonicalCorrelations2(X: Float64Array[], Z: Float64Array[]): number[] | null {
  const t = theta(X, Z);
  if (!t) return null;
  return symEigenSorted(matmul(transpose(t.th), t.th)).values.map((v) => Math.min(Math.max(v, 0), 1));
}

/** Ŝ: robust or cluster sum of outer products of the scores e_i ⊗ z_i (vec order: e index outer), no small-sample factor. */
function scoreMeat(e: Float64Array[], Z: Float64Array[], type: VcovType, clusters: SampleFactor[]): Mat {
  const n = Z[0].length;
  const cols: Float64Array[] = [];
  for (const ek of e) for (const zl of Z) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = ek[i] * zl[i];
    cols.push(c);
  }
  // the iid diagnostics never come here; the robust meat stands in for them
  return toRows(vcovMeat(vcovRequest(type, clusters), cols), cols.length);
}

/**
 * Kleibergen-Paap rk statistic of H0: rank(Π) = K-1 (ranktest's `full` test), LM or Wald version.
 * Returns null when X'X or Z'Z is singular (an instrument or regressor that is all zero after
 * partialling) or when the covariance of λ is singular.
 */
export function kpRankTest(inp: RankInput, version: 'lm' | 'wald'): RankStat | null {
  const { X, Z } = inp;
  const K = X.length, L = Z.length, N = Z[0].length;
  const df = L - K + 1;
  const t = theta(X, Z);
  if (!t) return null;
  const { th, pi, Rz, Ry } = t;
  const { U, V, s } = fullSvd(th);
  if (inp.type === 'iid') {
    const ev = s.map((v) => Math.min(v * v, 1));
    const e = ev[K - 1];
    return { stat: version === 'lm' ? N * e : (N * e) / (1 - e), df };
  }
  let e: Float64Array[] = X;
  if (version === 'wald') {
    e = X.map((x, k) => {
      const r = Float64Array.from(x);
      for (let l = 0; l < L; l++) {
        const p = pi[l][k];
        const z = Z[l];
        for (let i = 0; i < N; i++) r[i] -= p * z[i];
      }
      return r;
    });
  }
  const S = scoreMeat(e, Z, inp.type, inp.clusters);
  const T = kron(transpose(invUpper(Ry)), transpose(invUpper(Rz)));
  const W = matmul(matmul(T, S), transpose(T));
  const q = K - 1; // 0-based index of the last singular value
  const rowsU = Array.from({ length: L - q }, (_, i) => q + i);
  const U22 = sub(U, rowsU, rowsU);
  const Ublock = sub(U, Array.from({ length: L }, (_, i) => i), rowsU);
  const U22i = inverse(U22);
  if (!U22i) return null;
  const aq = matmul(matmul(Ublock, U22i), sqrtSym(matmul(U22, transpose(U22))));
  const v22 = V[q][q];
  const bq = [V.map((row) => (row[q] * Math.abs(v22)) / (v22 === 0 ? 1 : v22))]; // 1×K
  const M = kron(bq, transpose(aq));
  const lab = matvec(M, vec(th));
  const vlab = matmul(matmul(M, W), transpose(M));
  const inv = inverse(vlab);
  if (!inv) return null;
  return { stat: dot(lab, matvec(inv, lab)), df };
}

/**
 * Kleibergen-Paap as fixest 0.12.2's `kp_stat` computes it (its `kpr` fit statistic), kept only to
 * reproduce the reference files: it normalises Θ with the first-stage RESIDUALS' cross product
 * (G'G = V̂'V̂) instead of X'X (harmless: the statistic does not depend on it), takes the ROW K
 * of V where ranktest takes the column K (this changes the value whenever K = L > 1), scales the
 * meat by N/(N-K)·G/(G-1) (N/(N-K) unclustered), and reports rk/L with a χ²(L-K+1) p-value of that
 * ratio. With the column (`rowBug = false`) the two anchors agree exactly:
 *   ivreghdfe KP Wald F = rk_Wald/(N-1)·(N-K)·(G-1)/G / L = fixest-style stat · N/(N-1)
 * (iv.test.ts checks this, and that with K = L = 1 both equal fixest's first-stage `ivwald`).
 */
export function fixestKpr(
  resid: Float64Array[], // first-stage residuals (K columns)
  Z: Float64Array[],
  piKL: Mat, // first-stage coefficients on the excluded instruments, K×L
  type: VcovType,
  clusters: SampleFactor[],
  dfResid: number,
  rowBug = true,
): { rk: number; stat: number; df: number } | null {
  const K = resid.length, L = Z.length, N = Z[0].length;
  const F = cholUpper(crossCols(Z));
  const G = cholUpper(crossCols(resid));
  if (!F || !G) return null;
  const Gti = inverse(transpose(G));
  if (!Gti) return null;
  const th = matmul(F, transpose(matmul(Gti, piKL))); // L×K
  const { U, V } = fullSvd(th);
  // fixest's mat_svd / svd sign rule: make vt[K,K] = V[K,K] non-negative (flip U's column K with it).
  const k = K - 1;
  if (V[k][k] < 0) {
    for (const row of V) row[k] = -row[k];
    for (const row of U) row[k] = -row[k];
  }
  const ssign = (x: number): number => (x === 0 ? 1 : Math.sign(x));
  const vtk = rowBug ? V[k].slice(0, K) : V.map((r) => r[k]); // fixest: vt[1:k, k] = row K of V
  let aq: Mat;
  let bq: Mat;
  if (K === L) {
    aq = U.map((row) => [ssign(U[k][k]) * row[k]]);
    bq = [vtk.map((v) => ssign(V[k][k]) * v)];
  } else {
    const rows = Array.from({ length: L - k }, (_, i) => k + i);
    const U22 = sub(U, rows, rows);
    const U22i = inverse(U22);
    if (!U22i) return null;
    aq = matmul(matmul(sub(U, Array.from({ length: L }, (_, i) => i), rows), U22i), sqrtSym(matmul(U22, transpose(U22))));
    const vs = V[k][k];
    bq = [vtk.map((v) => (Math.abs(vs) / vs) * v)];
  }
  const M = kron(bq, transpose(aq));
  const lambda = matvec(M, vec(th));
  let vlab: Mat;
  if (type === 'iid') {
    const C = cholUpper(matmul(M, transpose(M)).map((r) => r.map((v) => v / N)));
    if (!C) return null;
    vlab = C;
  } else {
    const Kmat = transpose(kron(G, F));
    const Ki = inverse(Kmat);
    if (!Ki) return null;
    const meat = scoreMeat(resid, Z, type, clusters);
    let vhat = matmul(matmul(Ki, meat), transpose(Ki));
    // fixest's clustered meat carries G/(G-1); its `n - (type == "cluster")` never subtracts
    // (the vcov type attribute is not the string "cluster"), so the factor is N/(N-K).
    const nG = type === 'cluster' && clusters.length ? Math.min(...clusters.map((c) => c.nlevels)) : 0;
    const fac = nG ? nG / (nG - 1) : 1;
    vhat = vhat.map((r) => r.map((v) => (v * N * fac) / dfResid));
    vlab = matmul(matmul(M, vhat), transpose(M));
  }
  const inv = inverse(vlab);
  if (!inv) return null;
  const rk = dot(lambda, matvec(inv, lambda));
  return { rk, stat: rk / L, df: L - K + 1 };
}
