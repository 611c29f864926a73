// Size limits shared by the checker and the runtime, so that a spec the checker accepts does not
// fail later on a limit (and the reverse). Documented in docs/robustness.md.

/**
 * Longest text (characters) a global may hold, and the most its `$NAME` expansions may add to one
 * command. Stata caps macros too (c(macrolen) is 645,200 in Stata/BE); without a cap
 * `global a $a $a` doubling 22 times built a 29-million-character value (32 s, 2.9 GB).
 */
export const MAX_MACRO_LENGTH = 645_200;

/** Macro substitution that refuses to build a text longer than MAX_MACRO_LENGTH. */
export type Substituted = { ok: true; text: string } | { ok: false; length: number };

const MACRO_REF = /\$\{([\p{L}_][\p{L}\p{N}_]*)\}|\$([\p{L}_][\p{L}\p{N}_]*)/gu;

/**
 * `$name` and `${name}` in `text` replaced by `value(name, written)`; the length is added up before
 * the text is built, so an oversized result costs nothing.
 */
export function substituteMacros(text: string, value: (name: string, written: string) => string): Substituted {
  const parts: string[] = [];
  let length = 0;
  let last = 0;
  for (const m of text.matchAll(MACRO_REF)) {
    const v = value(m[1] ?? m[2], m[0]);
    parts.push(text.slice(last, m.index), v);
    length += m.index - last + v.length;
    last = m.index + m[0].length;
    if (length > MAX_MACRO_LENGTH) return { ok: false, length };
  }
  parts.push(text.slice(last));
  length += text.length - last;
  if (length > MAX_MACRO_LENGTH) return { ok: false, length };
  return { ok: true, text: parts.join('') };
}

/** The error text for a macro over the limit (same words in the checker and at run time). */
export function macroTooLong(what: string): string {
  return `${what} would be longer than ${MAX_MACRO_LENGTH.toLocaleString('en-US')} characters, the limit on a macro (as in Stata)`;
}

/**
 * Deepest expression tree (operators applied one inside another). Binary operators are
 * left-associative, so `1 + 1 + ... + 1` with N terms is N-1 levels deep; every checker, language
 * server and runtime walk recurses through the levels, and 6,000 overflowed the stack. Longer sums
 * are split over several `gen`/`replace` lines.
 */
export const MAX_EXPR_DEPTH = 1000;
