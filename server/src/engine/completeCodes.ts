// Code arrays known to hold no missing code (-1), with their number of levels: every element is in
// 0..levels-1. Whoever codes a column learns this for free in its own pass; the sample selection and
// the singleton rounds then skip their scans of the array for -1 and for the largest code (a pass
// over a million rows each, per fixed effect and cluster variable, paid on the first model of a run).
// Code arrays are never written after they are made (cached codes are shared), so the record stays
// true; a WeakMap lets it die with its array.
const complete = new WeakMap<Int32Array, number>();

/** Records that every element of codes is in 0..levels-1. */
export function markComplete(codes: Int32Array, levels: number): void {
  complete.set(codes, levels);
}

/** The number of levels when the maker of codes recorded that every element is in 0..levels-1, else null. */
export function completeLevels(codes: Int32Array): number | null {
  return complete.get(codes) ?? null;
}
