// Code arrays known to hold no missing code (-1), with their number of levels: every element is in
// 0..levels-1. Whoever codes a column learns this for free in its own pass; the sample selection and
// the singleton rounds then skip their scans of the array for -1 and for the largest code (a pass
// over a million rows each, per fixed effect and cluster variable, paid on the first model of a run).
// The coder may also record the rows per level and whether the codes appear in order (0, then 1 or a
// repeat, ...): the singleton round, the group sizes and the compact renumbering of a model on every
// row then need no pass of their own.
// Code arrays are never written after they are made (cached codes are shared), so the record stays
// true; a WeakMap lets it die with its array.
export interface CompleteCodes {
  levels: number;
  /** Rows per level (length levels), when the coder counted them. */
  counts: Int32Array | null;
  /** Codes first appear in ascending order (each new code is the largest so far plus one). */
  firstOrder: boolean;
}

const complete = new WeakMap<Int32Array, CompleteCodes>();

/** Records that every element of codes is in 0..levels-1 (and, if known, the rows per level and the order). */
export function markComplete(codes: Int32Array, levels: number, counts: Int32Array | null = null, firstOrder = false): void {
  complete.set(codes, { levels, counts: counts && counts.length === levels ? counts : null, firstOrder });
}

/** The number of levels when the maker of codes recorded that every element is in 0..levels-1, else null. */
export function completeLevels(codes: Int32Array): number | null {
  return complete.get(codes)?.levels ?? null;
}

/** All that the maker of codes recorded, or undefined. */
export function completeCodes(codes: Int32Array): CompleteCodes | undefined {
  return complete.get(codes);
}
