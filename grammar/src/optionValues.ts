// One reader per kind of option value, shared by the static checker (which turns a problem into a
// diagnostic) and the runtime (which throws it as a RunError at the same range): a spec that the
// checker passes cannot fail at run time on the shape of an option, and the reverse.
import type { Command, Option, Range, Term } from './ast';
import type { CommandSpec, NumberRule } from './commands';
import { termText } from './termText';

export type { NumberRule };

export interface ValueProblem {
  message: string;
  range: Range;
  /** Words that could replace the text at `range` (quick fixes). */
  replacements?: string[];
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: ValueProblem };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(message: string, range: Range, replacements?: string[]): Parsed<T> => ({ ok: false, problem: { message, range, replacements } });

/** Integers past 2^53 are not exact doubles: a count written that large is a typo, never a request. */
const MAX_EXACT_INTEGER = 2 ** 53;

/** The numbers in `terms` (`-4`, `3`, `- 4` split by the lexer; commas ignored), checked against `rule`. */
export function parseNumbers(name: string, terms: readonly Term[], where: Range, rule: NumberRule = {}): Parsed<number[]> {
  const values: number[] = [];
  let neg = false;
  for (const t of terms) {
    if (t.kind === 'op' && (t.op === '-' || t.op === '+')) {
      if (t.op === '-') neg = !neg;
      continue;
    }
    if (t.kind === 'op' && t.op === ',') continue;
    if (t.kind !== 'num') return fail(`option ${name}() expects ${plural(rule)}, found \`${termText(t, true)}\``, t.range);
    values.push(neg ? -t.value : t.value);
    neg = false;
  }
  const [lo, hi] = rule.count ?? [1, 1];
  if (values.length < lo) return fail(`option ${name}() needs ${lo === hi ? lo : `at least ${lo}`} number${lo > 1 ? 's' : ''}`, where);
  if (values.length > hi) return fail(`too many arguments in ${name}(): expected ${hi === 1 ? 'one number' : `at most ${hi} numbers`}`, where);
  for (const v of values) {
    if (!Number.isFinite(v) || Math.abs(v) > MAX_EXACT_INTEGER) return fail(`option ${name}(): ${v} is too large`, where);
    if (rule.integer && !Number.isInteger(v)) return fail(`option ${name}() expects a whole number`, where);
    const below = rule.min !== undefined && (rule.exclusive ? v <= rule.min : v < rule.min);
    const above = rule.max !== undefined && (rule.exclusive ? v >= rule.max : v > rule.max);
    if (below || above) return fail(`option ${name}() must be ${boundsText(rule)}, found ${v}`, where);
  }
  return ok(values);
}

function plural(rule: NumberRule): string {
  const hi = (rule.count ?? [1, 1])[1];
  const what = rule.integer ? 'whole number' : 'number';
  return hi === 1 ? `a ${what}` : `${what}s`;
}

function boundsText(r: NumberRule): string {
  const fmt = (v: number) => (Math.abs(v) >= 1e4 && Number.isInteger(v) ? v.toLocaleString('en-US') : String(v));
  if (r.min !== undefined && r.max !== undefined) return r.exclusive ? `strictly between ${fmt(r.min)} and ${fmt(r.max)}` : `between ${fmt(r.min)} and ${fmt(r.max)}`;
  if (r.min !== undefined) return r.exclusive ? `above ${fmt(r.min)}` : r.min === 1 && r.integer ? 'a positive whole number' : `at least ${fmt(r.min)}`;
  return r.exclusive ? `below ${fmt(r.max!)}` : `at most ${fmt(r.max!)}`;
}

// ---- vce() ----

/** The variance estimators `vce()` names (Stata's keywords and abbreviations). */
export type VceValue =
  | { type: 'iid' }
  | { type: 'robust' }
  | { type: 'cluster'; vars: Term[] }
  /** Driscoll-Kraay with L lags (reghdfe 6.13's `vce(dkraay L)`). */
  | { type: 'dkraay'; lags: number };

/** Keyword -> variance type; abbreviations as Stata underlines them (`r`, `cl`, `unadj`). */
interface VceKeyword {
  name: string;
  abbrev: string;
  type: VceValue['type'];
}
const VCE_KEYWORDS: readonly VceKeyword[] = [
  { name: 'robust', abbrev: 'r', type: 'robust' },
  { name: 'hc1', abbrev: 'hc1', type: 'robust' },
  { name: 'cluster', abbrev: 'cl', type: 'cluster' },
  { name: 'unadjusted', abbrev: 'un', type: 'iid' },
  { name: 'ols', abbrev: 'ols', type: 'iid' },
  { name: 'iid', abbrev: 'iid', type: 'iid' },
  { name: 'dkraay', abbrev: 'dk', type: 'dkraay' },
];

/** The vce keyword `written` denotes (case-sensitive, as Stata). */
export function vceKeyword(written: string): VceKeyword | undefined {
  return VCE_KEYWORDS.find((k) => written.length >= k.abbrev.length && k.name.startsWith(written) && written.startsWith(k.abbrev));
}

/** Completion and help: the keywords in their full spelling. */
export function vceKeywordNames(): string[] {
  return VCE_KEYWORDS.map((k) => k.name);
}

/**
 * `vce(robust)`, `vce(cl city)`, `vce(cluster a b)`, `vce(ols)`, `vce(dkraay 2)`. fixest's `hetero`
 * is not Stata's and is refused with `robust` offered as the fix.
 */
export function parseVce(terms: readonly Term[], where: Range): Parsed<VceValue> {
  const [head, ...rest] = terms;
  if (!head) return fail('vce() needs robust, cluster VARLIST, unadjusted or dkraay L', where);
  const word = head.kind === 'var' && !head.op ? head.name : '';
  const k = word ? vceKeyword(word) : undefined;
  if (!k) {
    const hint = /^het/i.test(word) || /^hc[023]$/i.test(word) ? ' (heteroskedasticity-robust errors are vce(robust))' : '';
    return fail(`vce(${termText(head, true)}) is not a variance estimator: use robust, cluster VARLIST, unadjusted or dkraay L${hint}`, head.range, ['robust', 'cluster']);
  }
  switch (k.type) {
    case 'cluster':
      if (!rest.length) return fail('vce(cluster) needs a cluster variable', where);
      return ok({ type: 'cluster', vars: rest.slice() });
    case 'dkraay': {
      const n = parseNumbers('vce(dkraay)', rest, where, { integer: true, min: 0 });
      if (!n.ok) return n.problem.message.includes('needs') ? fail('vce(dkraay L) needs the number of lags L', where) : n;
      return ok({ type: 'dkraay', lags: n.value[0] });
    }
    default:
      if (rest.length) return fail(`too many arguments in vce(${k.name})`, rest[0].range);
      return ok({ type: k.type });
  }
}

/** eventstudy's window(LO HI) and ref(K) together: an empty window, or a reference outside it. */
export function eventWindowProblem(lo: number, hi: number, ref: number | undefined): string | undefined {
  if (lo > hi) return `window(${lo} ${hi}) is empty: the low end is above the high end`;
  if (ref !== undefined && (ref < lo || ref > hi)) return `ref(${ref}) lies outside window(${lo} ${hi})`;
  return undefined;
}

/**
 * The options a command was given. A prefix like `placebo reps(500) units(50) seed(1):` writes its
 * options without a comma, so the parser reads them as call terms of the body; they are options all
 * the same for the checker, the runtime, hovers and highlighting.
 */
export function commandOptions(cmd: Command, spec: CommandSpec | undefined): Option[] {
  if (!spec || spec.role !== 'none' || cmd.body.kind !== 'terms') return cmd.options;
  const fromBody: Option[] = [];
  for (const t of cmd.body.terms) {
    // ritest's TREAT and _b[TREAT] are its expression, not options
    if (spec.name === 'ritest' && ((t.kind === 'call' && (t.name === '_b' || t.name === '_se')) || (t.kind === 'var' && t === cmd.body.terms[0]))) continue;
    if (t.kind === 'call') fromBody.push({ name: t.name, nameRange: t.nameRange, range: t.range, args: t.args, argsRange: t.args.length ? { start: t.args[0].range.start, end: t.args[t.args.length - 1].range.end } : undefined });
    else if (t.kind === 'var' && !t.op) fromBody.push({ name: t.name, nameRange: t.nameRange, range: t.range });
  }
  return [...fromBody, ...cmd.options];
}

/**
 * Driscoll-Kraay errors (`vce(dkraay L)` or `dkraay(L)`) replace robust and clustered ones: given with
 * `cluster()`, `robust`, `vce(robust|cluster)` or twice, the variance estimator is ambiguous.
 */
export function dkraayConflictProblem(vce: VceValue | undefined, dkraayOption: Option | undefined, others: (Option | undefined)[]): ValueProblem | undefined {
  const dk = vce?.type === 'dkraay' || dkraayOption !== undefined;
  if (!dk) return undefined;
  const at = dkraayOption?.range;
  if (vce?.type === 'dkraay' && dkraayOption) return { message: 'give the Driscoll-Kraay lags once: vce(dkraay L) or dkraay(L)', range: dkraayOption.range };
  if (vce && vce.type !== 'dkraay' && dkraayOption) return { message: 'Driscoll-Kraay standard errors replace robust and clustered ones: give one variance estimator', range: dkraayOption.range };
  const other = others.find((o) => o !== undefined);
  if (other) return { message: 'Driscoll-Kraay standard errors replace robust and clustered ones: give one variance estimator', range: at ?? other.range };
  return undefined;
}

/** `vce(cluster a) cluster(b)`: the clustering given twice. */
export function clusterTwiceProblem(vce: VceValue | undefined, clusterOption: Option | undefined): ValueProblem | undefined {
  return vce?.type === 'cluster' && clusterOption ? { message: 'give the cluster variables once: vce(cluster ...) or cluster(...)', range: clusterOption.range } : undefined;
}

/** One word from a declared set (`method(dripw)`, `estimator(cs)`), case-sensitive as Stata. */
export function parseKeyword(name: string, terms: readonly Term[], where: Range, keywords: readonly string[]): Parsed<string> {
  const list = keywords.join(', ');
  if (terms.length !== 1 || terms[0].kind !== 'var' || terms[0].op) return fail(`option ${name}() takes one of: ${list}`, where, [...keywords]);
  const w = terms[0].name;
  return keywords.includes(w) ? ok(w) : fail(`option ${name}(${w}) is not one of: ${list}`, terms[0].range, [...keywords]);
}

/** eventstudy estimator(cs) estimates every event time against its own base period: ref() has no meaning there. */
export const CS_REF_MESSAGE = 'estimator(cs) has no reference period: every event time is estimated against its own base period';
