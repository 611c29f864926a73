// Stata/estout number formats for esttab's b(), se(), t(), p(), r2(), stats(..., fmt()) ...:
// `%9.4f` (fixed, `%9.4fc` with thousands commas), `%9.3g` (general: 3 significant digits),
// `%9.2e` (exponential), a bare digit count `3` (= %9.3f, as estout reads it) and estout's
// adaptive `a3` (`a` = a3). Kept as the text the user wrote in the JSON; parsed where applied.

export type NumFormat =
  | { kind: 'f'; decimals: number; comma: boolean }
  | { kind: 'g'; digits: number; width: number; comma: boolean }
  | { kind: 'e'; decimals: number }
  | { kind: 'a'; digits: number };

/** The format a written spec names, or undefined when it is not one (the caller reports it). */
export function parseNumFormat(written: string): NumFormat | undefined {
  const s = written.trim();
  if (/^\d{1,2}$/.test(s)) return Number(s) <= 20 ? { kind: 'f', decimals: Number(s), comma: false } : undefined;
  const a = /^a(\d)?$/.exec(s);
  if (a) return { kind: 'a', digits: a[1] === undefined ? 3 : Number(a[1]) || 1 };
  // `%g` / `g` are estout's synonyms for %9.0g
  if (s === '%g' || s === 'g') return { kind: 'g', digits: 0, width: 9, comma: false };
  const m = /^%-?0?(\d{1,2})\.(\d{1,2})(f|g|e)(c?)$/.exec(s);
  if (!m) return undefined;
  const width = Number(m[1]);
  const d = Number(m[2]);
  if (d > 20) return undefined;
  if (m[3] === 'f') return { kind: 'f', decimals: d, comma: m[4] === 'c' };
  if (m[3] === 'e') return m[4] ? undefined : { kind: 'e', decimals: d };
  return { kind: 'g', digits: d, width, comma: m[4] === 'c' };
}

/** Human hint for error messages. */
export const FORMAT_HINT = 'a Stata number format such as %9.3f, %9.3g, %9.2e, %12.0fc, a digit count (3) or a3';

/** `x` in format `f`; missing or non-finite values print as Stata's `.`; never "-0.000". */
export function applyNumFormat(x: number | null | undefined, f: NumFormat): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '.';
  let s: string;
  switch (f.kind) {
    case 'f':
      s = x.toFixed(f.decimals);
      if (f.comma) s = groupThousands(s);
      break;
    case 'e':
      s = expo(x, f.decimals);
      break;
    case 'g':
      s = general(x, f);
      break;
    case 'a':
      s = adaptive(x, f.digits);
      break;
  }
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** C/Stata `%g`: `digits` significant digits (0: as many as fit the width), trailing zeros dropped, exponent when far from 1. */
function general(x: number, f: Extract<NumFormat, { kind: 'g' }>): string {
  if (x === 0) return '0';
  const p = f.digits > 0 ? f.digits : Math.max(1, f.width - 2);
  const exp = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(p)))));
  if (exp < -5 || exp >= p) return expo(x, p - 1).replace(/\.?0+e/, 'e');
  let s = x.toFixed(Math.max(0, p - 1 - exp));
  if (s.includes('.')) s = s.replace(/\.?0+$/, '');
  return f.comma ? groupThousands(s) : s;
}

/** Stata-style exponent with at least two digits: 1.23e+03. */
function expo(x: number, decimals: number): string {
  return x.toExponential(decimals).replace(/e([+-])(\d)$/, 'e$10$2');
}

/**
 * estout's adaptive format a#: |x| < 1 with # significant decimals (0.00123 for a3); |x| >= 1 with
 * at least one decimal and at least #+1 digits (1.235, 12.35, 1234.6); integers without decimals;
 * very large or small numbers in exponential form.
 */
function adaptive(x: number, digits: number): string {
  const ax = Math.abs(x);
  if (Number.isInteger(x) && ax < 1e15) return String(x);
  if (ax >= 1e15 || ax < 1e-9) return expo(x, digits - 1);
  if (ax < 1) {
    const lead = Math.floor(-Math.log10(ax)); // zeros after the point
    return x.toFixed(Math.min(20, lead + digits));
  }
  const intDigits = Math.floor(Math.log10(ax)) + 1;
  return x.toFixed(Math.max(1, digits + 1 - intDigits));
}

function groupThousands(s: string): string {
  const [int, frac] = s.split('.');
  const g = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? g : `${g}.${frac}`;
}
