// Demeaned columns held as their raw values less additive fixed-effect terms, r_i = x_i - a[c0_i] -
// b[c1_i] (on a balanced two-way panel a is the unit mean and b the time deviation from the grand mean),
// made block by block where a pass needs them: the cross products and the residual pass. A demeaned
// column is stored whole only when someone asks for it (robust scores, the bootstrap, designs): that
// saves, per column and model, 8 MB of fresh memory (page faults on first touch), its write and its read.
import { takeColumn } from './bufferpool';
import { addCrossProducts, symmetrizeUpper, CROSS_CHUNK } from './linalg';

/** Read access to columns by blocks of rows, whole or made on demand (the residual pass reads through it). */
export interface ColumnBlocks {
  readonly n: number;
  /** Column j on rows [lo, hi), indexed from 0; may be `scratch` (of at least hi - lo) filled, or a view. */
  block(j: number, lo: number, hi: number, scratch: Float64Array): Float64Array;
}

/** A model's demeaned columns: read by blocks, or whole (stored on first request). */
export interface DemeanedColumns extends ColumnBlocks {
  column(j: number): Float64Array;
  /** The columns stored whole so far (to hand back to the buffer pool after the model). */
  stored(): Float64Array[];
}

/** Whole columns as DemeanedColumns (blocks are views, no copy). */
export function wholeColumns(cols: Float64Array[], n: number): DemeanedColumns {
  return { n, block: (j, lo, hi) => cols[j].subarray(lo, hi), column: (j) => cols[j], stored: () => cols.slice() };
}

export class AdditiveColumns implements DemeanedColumns {
  readonly n: number;
  private readonly whole: (Float64Array | null)[];

  /** effects[j] = [a, b]: column j's terms on the levels of the first and the second factor. */
  constructor(
    readonly raw: Float64Array[],
    private readonly c0: Int32Array,
    private readonly c1: Int32Array,
    private readonly effects: [Float64Array, Float64Array][],
  ) {
    this.n = c0.length;
    this.whole = raw.map(() => null);
  }

  get count(): number {
    return this.raw.length;
  }

  block(j: number, lo: number, hi: number, scratch: Float64Array): Float64Array {
    const w = this.whole[j];
    if (w) return w.subarray(lo, hi);
    const [a, b] = this.effects[j];
    fillTwoWay(this.raw[j], a, b, this.c0, this.c1, lo, hi, scratch, lo);
    return scratch;
  }

  /** Column j stored whole (made once, from the buffer pool; the caller may release it after the model). */
  column(j: number): Float64Array {
    let w = this.whole[j];
    if (!w) {
      w = takeColumn(this.n);
      const [a, b] = this.effects[j];
      fillTwoWay(this.raw[j], a, b, this.c0, this.c1, 0, this.n, w, 0);
      this.whole[j] = w;
    }
    return w;
  }

  stored(): Float64Array[] {
    return this.whole.filter((w): w is Float64Array => w !== null);
  }

  /** Cross products of all columns (p x p), block by block: each block made once, multiplied in cache. */
  cross(): Float64Array {
    const p = this.raw.length;
    const out = new Float64Array(p * p);
    const bufs = this.raw.map(() => new Float64Array(CROSS_CHUNK));
    const blocks: Float64Array[] = new Array(p);
    for (let lo = 0; lo < this.n; lo += CROSS_CHUNK) {
      const hi = Math.min(this.n, lo + CROSS_CHUNK);
      for (let j = 0; j < p; j++) blocks[j] = this.block(j, lo, hi, bufs[j]);
      addCrossProducts(blocks, blocks, null, 0, hi - lo, true, out);
    }
    symmetrizeUpper(out, p);
    return out;
  }
}

/** out[i - off] = x[i] - a[c0[i]] - b[c1[i]] for i in [lo, hi). */
function fillTwoWay(x: Float64Array, a: Float64Array, b: Float64Array, c0: Int32Array, c1: Int32Array, lo: number, hi: number, out: Float64Array, off: number): void {
  for (let i = lo; i < hi; i++) out[i - off] = x[i] - a[c0[i]] - b[c1[i]];
}
