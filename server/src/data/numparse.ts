// Number parsing straight from bytes, correctly rounded (identical to Number(text)).
// Fast path (Clinger): when the significant digits form an integer below 2^53 it is exact, and
// 10^k is exact for |k| <= 22, so one IEEE multiply or divide rounds correctly.
// Anything else falls back to Number() on the (already validated) text.

/** Returned for text that is not a number (the column then becomes a string column). */
export const NOT_NUMBER = Infinity;

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

// mant*10+d is exact while the result is below 2^53; a rounded result can only land at or above it.
const TWO53 = 9007199254740992;
const DOT = 46, PLUS = 43, MINUS = 45, ZERO = 48, NINE = 57;

/**
 * Parses b[s, e) (already trimmed). Returns NaN for a missing value (empty, `.`, `.a`-`.z`, `NA`,
 * `NaN`), NOT_NUMBER when the text is not a plain decimal number, else the value.
 */
export function parseNumber(b: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if (len === 0) return NaN;
  const c0 = b[s];
  if (c0 === DOT) {
    if (len === 1) return NaN;
    if (len === 2 && b[s + 1] >= 97 && b[s + 1] <= 122) return NaN; // .a - .z
  } else if (c0 === 78 /* N */) {
    if (len === 2 && b[s + 1] === 65 /* A */) return NaN;
    if (len === 3 && b[s + 1] === 97 /* a */ && b[s + 2] === 78) return NaN;
    return NOT_NUMBER;
  }
  let i = s;
  let neg = false;
  if (c0 === MINUS) { neg = true; i++; } else if (c0 === PLUS) i++;
  let mant = 0;
  let nd = 0; // significant digits taken into mant (while it stays below 2^53, exactly)
  let exp10 = 0;
  let digits = 0;
  let slow = false;
  let c = 0;
  for (; i < e; i++) {
    c = b[i];
    if (c < ZERO || c > NINE) break;
    digits++;
    if (nd === 0 && c === ZERO) continue;
    const m = mant * 10 + (c - ZERO);
    if (!slow && m < TWO53) { mant = m; nd++; } else { slow = true; }
  }
  if (i < e && b[i] === DOT) {
    i++;
    for (; i < e; i++) {
      c = b[i];
      if (c < ZERO || c > NINE) break;
      digits++;
      if (nd === 0 && c === ZERO) { exp10--; continue; }
      const m = mant * 10 + (c - ZERO);
      if (!slow && m < TWO53) { mant = m; nd++; exp10--; } else { slow = true; }
    }
  }
  if (digits === 0) return NOT_NUMBER;
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    let eneg = false;
    if (i < e && (b[i] === MINUS || b[i] === PLUS)) { eneg = b[i] === MINUS; i++; }
    const es = i;
    let ex = 0;
    for (; i < e; i++) {
      c = b[i];
      if (c < ZERO || c > NINE) break;
      if (ex < 100000) ex = ex * 10 + (c - ZERO);
    }
    if (i === es) return NOT_NUMBER;
    exp10 += eneg ? -ex : ex;
  }
  if (i !== e) return NOT_NUMBER;
  if (!slow) {
    let v: number;
    if (mant === 0) v = 0;
    else if (exp10 === 0) v = mant;
    else if (exp10 > 0 && exp10 <= 22) v = mant * POW10[exp10];
    else if (exp10 < 0 && exp10 >= -22) v = mant / POW10[-exp10];
    else return slowParse(b, s, e);
    return neg ? -v : v;
  }
  return slowParse(b, s, e);
}

/**
 * Cells read as missing because their number is beyond a double (|x| > 1.8e308, e.g. `1e400`), as
 * Stata reads them; readers reset it before a file and report the count in a note.
 */
export const overflowed = { cells: 0 };

function slowParse(b: Uint8Array, s: number, e: number): number {
  const v = Number((b as Buffer).toString('latin1', s, e));
  if (Number.isFinite(v)) return v;
  // a valid decimal that overflows: missing, not a reason to make the whole column text
  overflowed.cells++;
  return NaN;
}

/** The note for `overflowed.cells` cells (empty when none). */
export function overflowNote(cells: number): string[] {
  return cells ? [`${cells} cell(s) held a number beyond the range of a double (e.g. 1e400) and were read as missing`] : [];
}

/** parseNumber for a JS string (xlsx cells, tests). */
export function parseNumberText(text: string): number {
  const t = text.trim();
  const b = Buffer.from(t, 'latin1');
  // Non-ASCII text can never be a number; latin1 would mangle it, so reject it first.
  for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) > 127) return NOT_NUMBER;
  return parseNumber(b, 0, b.length);
}

/** Where fastNumber stopped (the terminator's offset) when it succeeded. */
export const fastState = { end: 0 };

/**
 * Fused scan-and-parse for the common unquoted field `-?digits[.digits]` ending at sep, CR, LF or
 * the end of the buffer. Returns NOT_NUMBER when the field is anything else (the caller then takes
 * the general path), so it never decides on its own that a field is a string.
 */
export function fastNumber(b: Uint8Array, p: number, n: number, sep: number): number {
  let i = p;
  let neg = false;
  if (i < n && b[i] === MINUS) { neg = true; i++; }
  let mant = 0, exp10 = 0, digits = 0;
  let c = i < n ? b[i] : 10;
  while (c >= ZERO && c <= NINE) {
    mant = mant * 10 + (c - ZERO);
    digits++;
    c = ++i < n ? b[i] : 10;
  }
  if (c === DOT) {
    c = ++i < n ? b[i] : 10;
    while (c >= ZERO && c <= NINE) {
      mant = mant * 10 + (c - ZERO);
      exp10--;
      digits++;
      c = ++i < n ? b[i] : 10;
    }
  }
  if (digits === 0) return NOT_NUMBER;
  if (c !== sep && c !== 10 && c !== 13) return NOT_NUMBER;
  fastState.end = i;
  // mant is exact iff the true digit string is below 2^53 (once past it, it stays past it).
  if (mant < TWO53 && exp10 >= -22) {
    const v = exp10 === 0 ? mant : mant / POW10[-exp10];
    return neg ? -v : v;
  }
  // A plain decimal with more digits: Number() on the validated text is correctly rounded.
  const v = Number((b as Buffer).toString('latin1', p, i));
  return Number.isFinite(v) ? v : NOT_NUMBER;
}

/**
 * fastNumber without bounds checks, for buffers whose last byte is CR or LF: every scan then
 * stops at a line end inside the buffer.
 */
export function fastNumberTerminated(b: Uint8Array, p: number, sep: number): number {
  let i = p;
  let neg = false;
  let c = b[i];
  if (c === MINUS) { neg = true; c = b[++i]; }
  let mant = 0, exp10 = 0, digits = 0;
  while (c >= ZERO && c <= NINE) {
    mant = mant * 10 + (c - ZERO);
    digits++;
    c = b[++i];
  }
  if (c === DOT) {
    c = b[++i];
    while (c >= ZERO && c <= NINE) {
      mant = mant * 10 + (c - ZERO);
      exp10--;
      digits++;
      c = b[++i];
    }
  }
  if (digits === 0) return NOT_NUMBER;
  if (c !== sep && c !== 10 && c !== 13) return NOT_NUMBER;
  fastState.end = i;
  if (mant < TWO53 && exp10 >= -22) {
    const v = exp10 === 0 ? mant : mant / POW10[-exp10];
    return neg ? -v : v;
  }
  const v = Number((b as Buffer).toString('latin1', p, i));
  return Number.isFinite(v) ? v : NOT_NUMBER;
}
