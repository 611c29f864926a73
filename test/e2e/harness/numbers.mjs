// Reading numbers a UI shows. (The extension-host suite has the same rule in suite/util.ts: it is
// TypeScript bundled for the extension host, this is plain ESM for Playwright; keep both in step.)

/**
 * True if `text` shows `value` at the precision it prints: some number in the text, with d
 * decimals, is within half a unit of its last digit of `value` (0.0412 matches 0.041213...).
 * Scientific notation (1.2e-05) and the typographic minus are understood. At least 2
 * significant digits are required, so a stray "0" or "1" never matches.
 */
export function showsNumber(text, value) {
  const re = /[-\u2212]?\d+(?:\.(\d+))?(?:[eE]([-+]?\d+))?/g;
  for (const m of String(text).matchAll(re)) {
    const token = m[0].replace('\u2212', '-');
    const shown = Number(token);
    if (!Number.isFinite(shown)) continue;
    const decimals = (m[1]?.length ?? 0) - Number(m[2] ?? 0);
    const digits = token.replace(/[-.]|[eE].*$/g, '').replace(/^0+/, '').length;
    if (digits < 2 && Math.abs(value) >= 1e-12) continue;
    if (Math.abs(shown - value) <= 0.5 * 10 ** -decimals * (1 + 1e-9)) return true;
  }
  return false;
}

/** The first number in `text` (e.g. "0.0412***" -> 0.0412), or NaN. */
export function firstNumber(text) {
  const m = /[-\u2212]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(String(text));
  return m ? Number(m[0].replace('\u2212', '-')) : NaN;
}
