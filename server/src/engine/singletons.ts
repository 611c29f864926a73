// Singleton removal as reghdfe does it: drop rows alone in a level of any absorbed FE, then repeat,
// because dropping one row can leave another alone (fixest's one pass stops after the first round).
import { completeCodes, completeLevels } from './completeCodes';

export interface SingletonResult {
  rows: Int32Array; // kept rows (indices into the full data), ascending
  removed: number;
  rounds: number; // rounds that removed something
}

/**
 * @param rows candidate rows (indices into the full-length `codes` arrays), ascending
 * @param codes full-length FE codes (non-negative on every candidate row)
 * @param iterative false: a single pass (fixest's fixef.rm = "singleton")
 */
export function dropSingletons(rows: Int32Array, codes: Int32Array[], iterative = true): SingletonResult {
  if (codes.length === 0) return { rows, removed: 0, rounds: 0 };
  // count tables sized by the largest code; raw identifiers (sparse codes) are renumbered first
  const tops: number[] = [];
  const all = rows.length === codes[0].length; // every row is a candidate: index directly
  codes = codes.map((c) => {
    const levels = completeLevels(c);
    if (levels !== null) {
      tops.push(levels - 1); // made by a coder that recorded its range: no scan for the largest code
      return c;
    }
    let m = 0;
    if (all) for (let j = 0; j < c.length; j++) m = c[j] > m ? c[j] : m;
    else for (let j = 0; j < rows.length; j++) if (c[rows[j]] > m) m = c[rows[j]];
    if (m <= 4 * c.length + 1_000_000) {
      tops.push(m);
      return c;
    }
    const map = new Map<number, number>();
    const out = new Int32Array(c.length).fill(-1);
    for (let j = 0; j < rows.length; j++) {
      const v = c[rows[j]];
      let k = map.get(v);
      if (k === undefined) map.set(v, (k = map.size));
      out[rows[j]] = k;
    }
    tops.push(map.size - 1);
    return out;
  });
  const own = tops.map((m) => new Int32Array(m + 1));
  // every row a candidate: the coder's level sizes (read only) are the first round's counts
  const known = codes.map((c) => (all ? (completeCodes(c)?.counts ?? null) : null));
  let cur = rows;
  let rounds = 0;
  for (;;) {
    const first = cur === rows;
    const counts = codes.map((c, q) => {
      const k = first ? known[q] : null;
      if (k && k.length === own[q].length) return k;
      const cnt = own[q];
      cnt.fill(0);
      if (cur.length === c.length) for (let j = 0; j < c.length; j++) cnt[c[j]]++;
      else for (let j = 0; j < cur.length; j++) cnt[c[cur[j]]]++;
      return cnt;
    });
    // usually no level has a single row: then the row-by-row pass is not needed
    if (!counts.some((cnt) => cnt.includes(1))) break;
    let keep = 0;
    const mark = new Uint8Array(cur.length);
    for (let j = 0; j < cur.length; j++) {
      const r = cur[j];
      let ok = 1;
      for (let q = 0; q < codes.length; q++) {
        if (counts[q][codes[q][r]] === 1) {
          ok = 0;
          break;
        }
      }
      mark[j] = ok;
      keep += ok;
    }
    if (keep === cur.length) break;
    const next = new Int32Array(keep);
    for (let j = 0, k = 0; j < cur.length; j++) if (mark[j]) next[k++] = cur[j];
    cur = next;
    rounds++;
    if (!iterative || keep === 0) break;
  }
  return { rows: cur, removed: rows.length - cur.length, rounds };
}
