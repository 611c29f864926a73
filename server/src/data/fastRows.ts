// The CSV parser's inner loop for the common case: rows whose every field is a plain unquoted
// decimal (`-?digits[.digits]`) or empty, in a buffer that ends with a line end. Each number is
// parsed as it is scanned, with the mantissa and scale in locals; the first row that is anything
// else stops the loop at that row's start, and the general parser (csv.ts) takes that row.
// Correct rounding (Clinger's fast path): while the digits form an integer below 2^53 it is exact,
// and so is 10^k for k <= 22, so one IEEE division rounds correctly; up to 19 digits, exactDecimal.ts;
// other plain decimals go to Number(), which is correctly rounded.

import { exactDecimal } from './exactDecimal';

const TWO53 = 9007199254740992;
const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const LF = 10, CR = 13, DOT = 46, MINUS = 45, ZERO = 48;

/** Where numericRows stopped: the start of the first row it did not take. */
export const rowsState = { end: 0 };

/**
 * Parses rows from b[p] (a row start) while they are plain numbers, into cols[c][row..], recording
 * each row's start in rowStart, up to `limit` rows (the arrays' room). b[n - 1] must be a line end.
 * Returns the next row index; rowsState.end is where the next row starts.
 */
export function numericRows(b: Buffer, p: number, n: number, sep: number, cols: Float64Array[], rowStart: Float64Array, row: number, limit: number): number {
  const ncol = cols.length;
  const last = ncol - 1;
  rows: while (row < limit && p < n) {
    const rs = p;
    for (let c = 0; c < ncol; c++) {
      let i = p;
      let ch = b[i];
      let neg = false;
      if (ch === MINUS) { neg = true; ch = b[++i]; }
      // Digits two at a time where they come in pairs: half as many steps in the multiply-add chain.
      let mant = 0;
      const d0 = i;
      let d = ch - ZERO;
      while (d >= 0 && d <= 9) {
        const e = b[i + 1] - ZERO;
        if (e >= 0 && e <= 9) { mant = mant * 100 + (d * 10 + e); i += 2; d = b[i] - ZERO; }
        else { mant = mant * 10 + d; d = e; i++; }
      }
      let digits = i - d0;
      let scale = 0;
      if (d === DOT - ZERO) {
        const f0 = ++i;
        d = b[i] - ZERO;
        while (d >= 0 && d <= 9) {
          const e = b[i + 1] - ZERO;
          if (e >= 0 && e <= 9) { mant = mant * 100 + (d * 10 + e); i += 2; d = b[i] - ZERO; }
          else { mant = mant * 10 + d; d = e; i++; }
        }
        scale = i - f0;
        digits += scale;
      }
      ch = d + ZERO;
      if (c < last ? ch !== sep : ch !== LF && ch !== CR) { p = rs; break rows; }
      let v: number;
      if (digits === 0) {
        // `-`, `.`, `-.`, and an empty line of a one-column file (blank: skipped): the general parser decides
        if (i !== p || last === 0) { p = rs; break rows; }
        v = NaN; // empty field: missing
      } else if (mant < TWO53 && scale <= 22) {
        // mant is exact iff the digit string is below 2^53 (once past it, it stays past it)
        v = scale === 0 ? mant : mant / POW10[scale];
        if (neg) v = -v;
      } else {
        // 16-19 significant digits (computed columns): checked exactly, far cheaper than Number()
        v = exactDecimal(b, d0, i);
        if (v === v) { if (neg) v = -v; }
        else {
          v = Number(b.toString('latin1', p, i));
          if (!Number.isFinite(v)) { p = rs; break rows; }
        }
      }
      cols[c][row] = v;
      p = i + 1;
      if (ch === CR && p < n && b[p] === LF) p++;
    }
    rowStart[row] = rs;
    row++;
  }
  rowsState.end = p;
  return row;
}
