// Reuse of sample-dependent FE structure between consecutive models on the same data: the singleton
// rounds and the compacted factors, group sizes, balance test and redundancy counts depend only on
// the factor code arrays, the weights and the sample rows, not on the regressors. The runtime hands
// the same code arrays to every model on unchanged data (runtime/factors.ts caches them by column),
// so a second model with the same fixed effects skips all of it. Keys are the arrays themselves
// (identity: data steps never write into an array in place) and the sample rows compared by content
// (a fresh rows array with the same rows is the same sample). A few entries only: each holds arrays
// as long as the sample.

/** Identity of every key object, then equal row sets. */
interface Entry<V> {
  keys: readonly (object | null)[];
  rows: Int32Array;
  value: V;
}

function sameRows(a: Int32Array, b: Int32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class StructureCache<V> {
  private entries: Entry<V>[] = [];
  constructor(private readonly size = 3) {}

  get(keys: readonly (object | null)[], rows: Int32Array): V | undefined {
    for (let e = 0; e < this.entries.length; e++) {
      const en = this.entries[e];
      if (en.keys.length !== keys.length || en.rows.length !== rows.length) continue;
      let same = true;
      for (let k = 0; k < keys.length && same; k++) same = en.keys[k] === keys[k];
      if (same && sameRows(en.rows, rows)) {
        // most recent first
        this.entries.splice(e, 1);
        this.entries.unshift(en);
        return en.value;
      }
    }
    return undefined;
  }

  set(keys: readonly (object | null)[], rows: Int32Array, value: V): void {
    this.entries.unshift({ keys: keys.slice(), rows, value });
    if (this.entries.length > this.size) this.entries.length = this.size;
  }

  clear(): void {
    this.entries = [];
  }
}
