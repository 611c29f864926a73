// Where the lines of the text a run saw are in the text the editor holds now: results and hovers
// follow edits (a line inserted above a model moves its result down), and a result whose own
// statement was edited is stale. A line diff (common prefix and suffix, then a longest common
// subsequence of the middle), so it needs no edit events and works from any two texts.

/** Old line -> new line (-1: deleted), and whether the line is unchanged (0: edited in place). */
export interface LineMap {
  to: Int32Array;
  same: Uint8Array;
}

/** For each line of `before`, its 0-based line in `after` (or -1), and whether its text is unchanged. */
export function lineMapping(before: string, after: string): LineMap {
  const a = before.split(/\r\n|\n|\r/);
  const b = after.split(/\r\n|\n|\r/);
  const to = new Int32Array(a.length).fill(-1);
  const same = new Uint8Array(a.length);
  const keep = (i: number, j: number) => ((to[i] = j), (same[i] = 1));
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) keep(pre, pre++);
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) {
    keep(a.length - 1 - suf, b.length - 1 - suf);
    suf++;
  }
  const n = a.length - pre - suf;
  const m = b.length - pre - suf;
  // the middle: an LCS table when it is small (an edit, a paste); a huge rewrite keeps prefix/suffix only
  if (n === 0 || m === 0 || n * m > 4_000_000) return { to, same };
  const w = m + 1;
  const len = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      len[i * w + j] = a[pre + i] === b[pre + j] ? len[(i + 1) * w + j + 1] + 1 : Math.max(len[(i + 1) * w + j], len[i * w + j + 1]);
  let i = 0;
  let j = 0;
  const pairs: [number, number][] = [];
  while (i < n && j < m) {
    if (a[pre + i] === b[pre + j]) {
      pairs.push([pre + i, pre + j]);
      i++;
      j++;
    } else if (len[(i + 1) * w + j] >= len[i * w + j + 1]) i++;
    else j++;
  }
  for (const [x, y] of pairs) keep(x, y);
  // between two kept lines, an old line edited in place: the most similar new line of that gap (in order)
  const anchors: [number, number][] = [[pre - 1, pre - 1], ...pairs, [a.length - suf, b.length - suf]];
  for (let k = 0; k + 1 < anchors.length; k++) {
    let nextNew = anchors[k][1] + 1;
    for (let x = anchors[k][0] + 1; x < anchors[k + 1][0]; x++) {
      let best = -1;
      let bestScore = 0.5;
      for (let y = nextNew; y < anchors[k + 1][1]; y++) {
        const score = similarity(a[x], b[y]);
        if (score > bestScore) [best, bestScore] = [y, score];
      }
      if (best >= 0) {
        to[x] = best;
        nextNew = best + 1;
      }
    }
  }
  return { to, same };
}

/** Shared leading and trailing characters over the longer length: 1 for equal lines, ~0 for unrelated ones. */
function similarity(x: string, y: string): number {
  const max = Math.max(x.length, y.length);
  if (!max) return 1;
  let p = 0;
  while (p < x.length && p < y.length && x[p] === y[p]) p++;
  let q = 0;
  while (q < x.length - p && q < y.length - p && x[x.length - 1 - q] === y[y.length - 1 - q]) q++;
  return (p + q) / max;
}

export interface Located {
  /** 0-based first line in the new text (for a deleted statement: where it was). */
  line: number;
  /** Some line of the statement was changed or deleted since the run. */
  stale: boolean;
}

/** Where the statement on old lines [from, to] (0-based) is now, and whether it is unchanged. */
export function locate(map: LineMap, from: number, to: number): Located {
  let stale = false;
  let first = -1;
  for (let l = from; l <= to; l++) {
    const n = l < map.to.length ? map.to[l] : -1;
    if (n < 0 || !map.same[l]) stale = true;
    if (n >= 0) {
      if (first < 0) first = n - (l - from);
      else if (n !== first + (l - from)) stale = true; // its lines were pulled apart
    }
  }
  if (first >= 0) return { line: Math.max(0, first), stale };
  // every line deleted: the statement sits after the nearest line above it that is still there
  let above = from - 1;
  while (above >= 0 && (above >= map.to.length || map.to[above] < 0)) above--;
  return { line: above >= 0 ? map.to[above] + 1 : 0, stale: true };
}
