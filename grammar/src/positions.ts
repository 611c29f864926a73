// Offset -> (line, character) conversion. Lines end at \n, \r\n or \r, as in LSP; characters are
// UTF-16 code units, which is what JavaScript string indices already are.
import type { Position, Range } from './ast';

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
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

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
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

  /** Range from a start offset to an end offset (exclusive). */
  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
}

/** Exclusive end offset of a Chevrotain token (its `endOffset` is inclusive and typed optional). */
export function tokEnd(t: { startOffset: number; image: string }): number {
  return t.startOffset + t.image.length;
}
