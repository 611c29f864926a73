// Offset -> (line, character) conversion. Lines end at \n, \r\n or \r, as in LSP; characters are
// UTF-16 code units, which is what JavaScript string indices already are.
import type { Position, Range } from './ast';

// a statement rarely spans more than this many characters: enough to share its boundaries
const CACHE_SIZE = 256;

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    if (text.indexOf('\r') < 0) {
      // the usual case: indexOf is much faster than a loop over every character
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  /** Line of the previous lookup: positions are mostly asked for in text order. */
  private lastLine = 0;

  /**
   * Recently made positions, direct-mapped by offset: the same token boundary is asked for by
   * several ranges (a name, its command, its statement), and sharing the (never mutated) object
   * saves allocations on big files.
   */
  private readonly cacheOffsets = new Int32Array(CACHE_SIZE).fill(-1);
  private readonly cache: Position[] = new Array(CACHE_SIZE);

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const slot = o & (CACHE_SIZE - 1);
    if (this.cacheOffsets[slot] === o) return this.cache[slot];
    const p = this.compute(o);
    this.cacheOffsets[slot] = o;
    this.cache[slot] = p;
    return p;
  }

  private compute(o: number): Position {
    const l = this.lastLine;
    if (this.starts[l] <= o && (l + 1 >= this.starts.length || o < this.starts[l + 1])) return { line: l, character: o - this.starts[l], offset: o };
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    this.lastLine = lo;
    return { line: lo, character: o - this.starts[lo], offset: o };
  }

  private readonly rangeStarts = new Int32Array(CACHE_SIZE).fill(-1);
  private readonly rangeCache: Range[] = new Array(CACHE_SIZE);

  /** Range from a start offset to an end offset (exclusive); a recent equal range is shared. */
  range(start: number, end: number): Range {
    const slot = start & (CACHE_SIZE - 1);
    if (this.rangeStarts[slot] === start) {
      const r = this.rangeCache[slot];
      if (r.end.offset === end) return r;
    }
    const r = { start: this.position(start), end: this.position(end) };
    this.rangeStarts[slot] = start;
    this.rangeCache[slot] = r;
    return r;
  }
}

/** Exclusive end offset of a Chevrotain token (its `endOffset` is inclusive and typed optional). */
export function tokEnd(t: { startOffset: number; image: string }): number {
  return t.startOffset + t.image.length;
}
