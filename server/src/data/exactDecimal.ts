// Correctly rounded value of a plain decimal with 16-19 significant digits (beyond Clinger's fast
// path, whose mantissa must be below 2^53), as R and pandas write computed columns: Number() on a
// sliced string costs ~150 ns a cell, this ~30 ns. The quotient M / 10^s is computed in floating
// point (within an ulp or two), then checked exactly: the remainder M - q * 10^s is formed without
// error (Dekker's exact products; its large parts cancel exactly) and compared with half an ulp of q
// times 10^s (a power of two times 10^s <= 5^22 * 2^k: exact). q moves by an ulp until it is the
// nearest double, ties to even.

const DIGITS = 19; // hi < 10^11 and lo < 10^8: both exact, and so is hi 10^8 as a sum of two doubles
const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const SPLIT = 134217729; // 2^27 + 1
const ZERO = 48, DOT = 46;

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer); // little-endian: words[1] holds sign, exponent, top of the mantissa
/** On a big-endian machine the words are the other way round: leave every number to Number() there. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Error of the rounded product a * b (a * b = fl(a * b) + err exactly), for |a|, |b| well inside the range. */
function productError(a: number, b: number, p: number): number {
  let c = SPLIT * a;
  const ah = c - (c - a), al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** Sign of (rs + re) - h, where rs + re is exact with |re| at most half an ulp of rs. */
function compare(rs: number, re: number, h: number): number {
  if (rs !== h) return rs < h ? -1 : 1; // re cannot bridge the gap to another double
  return re < 0 ? -1 : re > 0 ? 1 : 0;
}

/** The next double above (dir 1) or below (dir -1) a positive normal double. */
function step(q: number, dir: 1 | -1): number {
  bits[0] = q;
  const lo = words[0] + dir;
  if (lo > 0xffffffff) { words[0] = 0; words[1]++; } else if (lo < 0) { words[0] = 0xffffffff; words[1]--; } else words[0] = lo;
  return bits[0];
}

/** 2^(k - 1100), for the half-ulp of a double from its exponent bits. */
const POW2 = Float64Array.from({ length: 2100 }, (_, k) => Math.pow(2, k - 1100));

/** Half the gap above a positive normal double whose high word is `high`. */
function halfUlp(high: number): number {
  return POW2[((high >>> 20) & 0x7ff) - 1076 + 1100];
}

/**
 * The nearest double to the unsigned plain decimal b[s, e) (`digits[.digits]`, validated by the
 * caller), or NaN when it has more than 19 significant digits or more than 22 after the point.
 */
export function exactDecimal(b: Uint8Array, s: number, e: number): number {
  // the first 11 significant digits in hi (< 10^11 < 2^53), the rest (at most 8) in lo: M = hi 10^nlo + lo
  let hi = 0, lo = 0, nd = 0, nlo = 0, scale = 0, point = false;
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (c === DOT) { point = true; continue; }
    if (point) scale++;
    if (nd === 0 && c === ZERO) continue;
    nd++;
    if (nd <= 11) hi = hi * 10 + (c - ZERO);
    else { lo = lo * 10 + (c - ZERO); nlo++; }
  }
  if (nd > DIGITS || scale > 22 || !LITTLE_ENDIAN) return NaN;
  if (nd === 0) return 0;
  const P = POW10[scale];
  const F = POW10[nlo];
  const mh = hi * F, ml = productError(hi, F, mh);
  let q = (mh + lo) / P;
  for (let k = 0; k < 4; k++) {
    const ph = q * P, pl = productError(q, P, ph);
    // r = M - q P = (mh - ph) + lo + ml - pl. mh - ph is exact (within a factor 2 of each other) and
    // so are the integer sums after it (small: the large parts cancel); the last step may round, so
    // its error is kept (TwoSum) and r = rs + re exactly.
    const x = mh - ph + lo + ml;
    const rs = x - pl;
    const bb = rs - x;
    const re = (x - (rs - bb)) + (-pl - bb);
    bits[0] = q;
    const h = halfUlp(words[1]) * P;
    const even = (words[0] & 1) === 0;
    const lowerH = words[0] === 0 && (words[1] & 0xfffff) === 0 ? h / 2 : h; // a power of two: the gap below is half
    const above = compare(rs, re, h); // r vs h
    const below = compare(rs, re, -lowerH); // r vs -h below
    if (above < 0 && below > 0) return q;
    if (above === 0) return even ? q : step(q, 1);
    if (below === 0) return even ? q : step(q, -1);
    q = step(q, above > 0 ? 1 : -1);
  }
  return NaN;
}
