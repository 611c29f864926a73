// Number formatting shared by every renderer, so that the text, LaTeX, HTML, CSV and Word
// tables of one model always show the same digits and stars.

export const DEFAULT_DECIMALS = 4;
/** Star thresholds, loosest first: * p<0.10, ** p<0.05, *** p<0.01 (esttab's `star()` convention). */
export const DEFAULT_STARS: readonly number[] = [0.1, 0.05, 0.01];

/** A fixed-decimal number; missing or non-finite values print as Stata's `.`; never "-0.0000". */
export function formatNumber(x: number | null | undefined, decimals: number = DEFAULT_DECIMALS): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '.';
  const d = clampDecimals(decimals);
  const s = x.toFixed(d);
  // toFixed keeps the sign of tiny negatives ("-0.0000"): a table should show 0.
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** An integer count: "5,130" with grouping (text, HTML, Word), "5130" without (LaTeX, CSV). */
export function formatCount(n: number | null | undefined, grouping: boolean): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '.';
  const r = Math.round(n);
  if (!grouping) return String(r);
  const sign = r < 0 ? '-' : '';
  return sign + String(Math.abs(r)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Stars for a p-value: one for each threshold that p is strictly below. */
export function starsFor(p: number | null | undefined, thresholds: readonly number[] = DEFAULT_STARS): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '';
  let n = 0;
  for (const t of thresholds) if (p < t) n++;
  return '*'.repeat(n);
}

/** Thresholds from user settings: finite numbers in (0, 1), de-duplicated, loosest first. */
export function normalizeStars(input: unknown): number[] {
  if (!Array.isArray(input)) return [...DEFAULT_STARS];
  const ok = [...new Set(input.filter((x): x is number => typeof x === 'number' && x > 0 && x < 1))];
  if (!ok.length) return [...DEFAULT_STARS];
  return ok.sort((a, b) => b - a);
}

/** Decimals from user settings: an integer 0..12. */
export function clampDecimals(d: unknown): number {
  if (typeof d !== 'number' || !Number.isFinite(d)) return DEFAULT_DECIMALS;
  return Math.min(12, Math.max(0, Math.round(d)));
}

/** The legend under a table: "* p<0.10, ** p<0.05, *** p<0.01". */
export function starsNote(thresholds: readonly number[] = DEFAULT_STARS): string {
  return thresholds.map((t, i) => `${'*'.repeat(i + 1)} p<${trimZeros(t)}`).join(', ');
}

/** A p-value for captions: three decimals, "< 0.001" below that. */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '.';
  if (p < 0.001) return '< 0.001';
  return p.toFixed(3);
}

/** A number with as many decimals as it needs, up to 2 significant past the point ("0.10", "0.05"). */
function trimZeros(t: number): string {
  const s = t.toFixed(Math.max(2, Math.ceil(-Math.log10(t)) + 1));
  return s.replace(/(\.\d\d\d*?)0+$/, '$1');
}

/** "p = 0.298" or "p < 0.001" for captions. */
export function pEquals(p: number | null | undefined): string {
  const s = formatP(p);
  return s.startsWith('<') ? `p ${s}` : `p = ${s}`;
}

/** A short general-purpose number for captions and axis labels (up to 3 significant decimals). */
export function formatShort(x: number): string {
  if (!Number.isFinite(x)) return '.';
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  const d = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : Math.min(6, Math.ceil(-Math.log10(a)) + 2);
  const s = x.toFixed(d);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}
