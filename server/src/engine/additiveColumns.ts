// Demeaned columns held as their raw values less additive fixed-effect terms, r_i = x_i - a[c0_i] -
// b[c1_i] - ... (on a balanced two-way panel a is the unit mean and b the time deviation from the grand mean),
// made block by block where a pass needs them: the cross products and the residual pass. A demeaned
// column is stored whole only when someone asks for it (robust scores, the bootstrap, designs): that
// saves, per column and model, 8 MB of fresh memory (page faults on first touch), its write and its read.
import { takeColumn } from './bufferpool';
import { addCrossProducts, symmetrizeUpper, CROSS_CHUNK } from './linalg';

/** Read access to columns by blocks of rows, whole or made on demand (the residual pass reads through it). */
export interface ColumnBlocks {
  readonly n: number;
  /**
   * Columns js on rows [lo, hi), each indexed from 0: views of stored columns, or scratch[q] (at least
   * hi - lo long) filled for js[q].
   */
  blocks(js: readonly number[], lo: number, hi: number, scratch: Float64Array[]): Float64Array[];
}

/** A model's demeaned columns: read by blocks, or whole (stored on first request). */
export interface DemeanedColumns extends ColumnBlocks {
  column(j: number): Float64Array;
  /** The columns stored whole so far (to hand back to the buffer pool after the model). */
  stored(): Float64Array[];
}

/** Whole columns as DemeanedColumns (blocks are views, no copy). */
export function wholeColumns(cols: Float64Array[], n: number): DemeanedColumns {
  return { n, blocks: (js, lo, hi) => js.map((j) => cols[j].subarray(lo, hi)), column: (j) => cols[j], stored: () => cols.slice() };
}

/** src's columns in another order: column j of the view is src's column order[j]. */
export function reordered(src: DemeanedColumns, order: readonly number[]): DemeanedColumns {
  return {
    n: src.n,
    blocks: (js, lo, hi, scratch) => src.blocks(js.map((j) => order[j]), lo, hi, scratch),
    column: (j) => src.column(order[j]),
    stored: () => src.stored(),
  };
}

export class AdditiveColumns implements DemeanedColumns {
  readonly n: number;
  private readonly whole: (Float64Array | null)[];

  /** r_j = raw[j] - sum over q of effects[j][q][codes[q][i]] (the terms subtracted in the order of the factors, at least one). */
  constructor(
    readonly raw: Float64Array[],
    private readonly codes: Int32Array[],
    private readonly effects: Float64Array[][],
  ) {
    if (codes.length < 1) throw new RangeError('AdditiveColumns needs a factor');
    this.n = codes[0].length;
    this.whole = raw.map(() => null);
  }

  blocks(js: readonly number[], lo: number, hi: number, scratch: Float64Array[]): Float64Array[] {
    const out: Float64Array[] = new Array(js.length);
    let pending = -1; // with two factors, a column waiting for a partner (two per loop share the code reads)
    for (let q = 0; q < js.length; q++) {
      const w = this.whole[js[q]];
      if (w) {
        out[q] = w.subarray(lo, hi);
        continue;
      }
      out[q] = scratch[q];
      if (this.codes.length !== 2) {
        this.fill(js[q], lo, hi, scratch[q], lo);
        continue;
      }
      if (pending < 0) {
        pending = q;
        continue;
      }
      const [a1, b1] = this.effects[js[pending]];
      const [a2, b2] = this.effects[js[q]];
      fillTwoWayPair(this.raw[js[pending]], a1, b1, this.raw[js[q]], a2, b2, this.codes[0], this.codes[1], lo, hi, scratch[pending], scratch[q]);
      pending = -1;
    }
    if (pending >= 0) this.fill(js[pending], lo, hi, scratch[pending], lo);
    return out;
  }

  /** Column j stored whole (made once, from the buffer pool; the caller may release it after the model). */
  column(j: number): Float64Array {
    let w = this.whole[j];
    if (!w) {
      w = takeColumn(this.n);
      this.fill(j, 0, this.n, w, 0);
      this.whole[j] = w;
    }
    return w;
  }

  /** Column j is `values` from now on (a column that needed more than the additive terms: CG's result). */
  replace(j: number, values: Float64Array): void {
    this.whole[j] = values;
  }

  stored(): Float64Array[] {
    return this.whole.filter((w): w is Float64Array => w !== null);
  }

  /** Cross products of all columns (p x p), block by block: each block made once, multiplied in cache. */
  cross(): Float64Array {
    const p = this.raw.length;
    const out = new Float64Array(p * p);
    const all = this.raw.map((_, j) => j);
    const scratch = this.raw.map(() => new Float64Array(CROSS_CHUNK));
    for (let lo = 0; lo < this.n; lo += CROSS_CHUNK) {
      const hi = Math.min(this.n, lo + CROSS_CHUNK);
      const b = this.blocks(all, lo, hi, scratch);
      addCrossProducts(b, b, null, 0, hi - lo, true, out);
    }
    symmetrizeUpper(out, p);
    return out;
  }

  /** Column j on rows [lo, hi) into out from index lo - off. */
  private fill(j: number, lo: number, hi: number, out: Float64Array, off: number): void {
    const e = this.effects[j];
    const c = this.codes;
    if (c.length === 2) fillTwoWay(this.raw[j], e[0], e[1], c[0], c[1], lo, hi, out, off);
    else if (c.length === 3) fillThreeWay(this.raw[j], e[0], e[1], e[2], c[0], c[1], c[2], lo, hi, out, off);
    else fillMany(this.raw[j], e, c, lo, hi, out, off);
  }
}

/** out[i - off] = x[i] - a[c0[i]] - b[c1[i]] for i in [lo, hi). */
function fillTwoWay(x: Float64Array, a: Float64Array, b: Float64Array, c0: Int32Array, c1: Int32Array, lo: number, hi: number, out: Float64Array, off: number): void {
  for (let i = lo; i < hi; i++) out[i - off] = x[i] - a[c0[i]] - b[c1[i]];
}

/** out[i - off] = x[i] - a[c0[i]] - b[c1[i]] - c[c2[i]] for i in [lo, hi). */
function fillThreeWay(x: Float64Array, a: Float64Array, b: Float64Array, c: Float64Array, c0: Int32Array, c1: Int32Array, c2: Int32Array, lo: number, hi: number, out: Float64Array, off: number): void {
  for (let i = lo; i < hi; i++) out[i - off] = x[i] - a[c0[i]] - b[c1[i]] - c[c2[i]];
}

/** Any number of factors: out[i - off] = x[i] less every table's term, in order. */
function fillMany(x: Float64Array, tables: Float64Array[], codes: Int32Array[], lo: number, hi: number, out: Float64Array, off: number): void {
  const Q = tables.length;
  for (let i = lo; i < hi; i++) {
    let v = x[i];
    for (let q = 0; q < Q; q++) v -= tables[q][codes[q][i]];
    out[i - off] = v;
  }
}

/** fillTwoWay of two columns at once into out1, out2 (from 0). */
function fillTwoWayPair(x1: Float64Array, a1: Float64Array, b1: Float64Array, x2: Float64Array, a2: Float64Array, b2: Float64Array, c0: Int32Array, c1: Int32Array, lo: number, hi: number, out1: Float64Array, out2: Float64Array): void {
  for (let i = lo; i < hi; i++) {
    const u = c0[i];
    const t = c1[i];
    out1[i - lo] = x1[i] - a1[u] - b1[t];
    out2[i - lo] = x2[i] - a2[u] - b2[t];
  }
}
