// Regressors collinear with the fixed effects or with earlier regressors, found as fixest does:
// a column whose demeaned sum of squares is a tiny share of its own variation lies in the FE space;
// the rest go through an in-order Cholesky of the correlation-scaled cross-product matrix, and a
// pivot below the tolerance means the column is (almost) a combination of the ones kept before it.

export const DEFAULT_COLLINEAR_TOLERANCE = 1e-10;

export interface CollinearResult {
  keep: number[]; // indices of kept columns, in order
  dropped: number[];
}

/**
 * @param xtx p x p cross products of the demeaned columns (row-major)
 * @param refSS per column, the sum of squares it had before absorbing (centred when a constant or FEs are in the model)
 */
export function findCollinear(xtx: Float64Array, p: number, refSS: Float64Array, tol = DEFAULT_COLLINEAR_TOLERANCE): CollinearResult {
  const keep: number[] = [];
  const dropped: number[] = [];
  const cand: number[] = [];
  for (let j = 0; j < p; j++) {
    const d = xtx[j * p + j];
    if (!(d > 0) || !(refSS[j] > 0) || d <= tol * refSS[j]) dropped.push(j);
    else cand.push(j);
  }
  // left-looking Cholesky of the scaled matrix over the candidates, skipping rejected columns
  const L: number[][] = []; // rows of L for kept columns, indexed by position in keep
  for (const j of cand) {
    const sj = 1 / Math.sqrt(xtx[j * p + j]);
    const row: number[] = [];
    let d = 1;
    for (let a = 0; a < keep.length; a++) {
      const i = keep[a];
      let s = xtx[j * p + i] * sj / Math.sqrt(xtx[i * p + i]);
      for (let m = 0; m < a; m++) s -= row[m] * L[a][m];
      const v = s / L[a][a];
      row.push(v);
      d -= v * v;
    }
    if (d <= tol) {
      dropped.push(j);
      continue;
    }
    row.push(Math.sqrt(d));
    L.push(row);
    keep.push(j);
  }
  dropped.sort((a, b) => a - b);
  return { keep, dropped };
}
