// Reuse of n-length scratch columns between consecutive fits: a fresh 8 MB array costs ~2,000 page
// faults (kernel zeroing) on first write, as much as a pass over the data. Released arrays are held only
// by WeakRefs, so the pool never keeps memory alive after the current job (a spec run, a bench loop):
// the garbage collector reclaims them once the event loop turns.

const free: WeakRef<Float64Array>[] = [];
const MAX_HELD = 64;

/** An array of length n with UNSPECIFIED contents (the caller writes every element). */
export function takeColumn(n: number): Float64Array {
  for (let i = free.length - 1; i >= 0; i--) {
    const a = free[i].deref();
    if (!a) {
      free.splice(i, 1);
      continue;
    }
    if (a.length === n) {
      free.splice(i, 1);
      return a;
    }
  }
  return new Float64Array(n);
}

/** Hands arrays back for reuse; the caller must hold no other reference it will read again. */
export function releaseColumns(arrays: Float64Array[]): void {
  for (const a of arrays) {
    if (free.length >= MAX_HELD) free.shift();
    free.push(new WeakRef(a));
  }
}
