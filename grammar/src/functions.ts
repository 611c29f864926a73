// Expression functions of gen/replace/if: the one list. The runtime (server/src/runtime/expr.ts)
// resolves every call through it (unknown name and argument count are checked here, the switch
// there only computes), the static check reports the same errors before anything runs, and
// completion and hover read names, signatures and docs from it. A function added here without a
// runtime case fails the registry test (test/runtime/functions.test.ts).

/** The kind of a value: a number, a string, or either (`missing(s)`, `real(x)`). */
export type ValueKind = 'num' | 'str' | 'any';

export interface FunctionSpec {
  name: string;
  /** Accepted argument counts (Infinity: any number). */
  minArgs: number;
  maxArgs: number;
  /** What each argument must be; the last entry applies to every further argument. */
  args: ValueKind[];
  /**
   * What the call gives: a kind, or `{ like: i }` for the kind of argument i (cond's branches).
   * `sameAs: i` on the spec: arguments after i must be of argument i's kind (inlist, cond).
   */
  returns: ValueKind | { like: number };
  sameAs?: number;
  signature: string;
  doc: string;
}

const num1 = (name: string, signature: string, doc: string): FunctionSpec => ({ name, minArgs: 1, maxArgs: 1, args: ['num'], returns: 'num', signature, doc });
const str1 = (name: string, returns: ValueKind, doc: string): FunctionSpec => ({ name, minArgs: 1, maxArgs: 1, args: ['str'], returns, signature: `${name}(s)`, doc });

const EXPR_FUNCTIONS: FunctionSpec[] = [
  num1('log', 'log(x)', 'Natural logarithm (missing for x <= 0).'),
  num1('ln', 'ln(x)', 'Natural logarithm (missing for x <= 0).'),
  num1('log10', 'log10(x)', 'Base-10 logarithm (missing for x <= 0).'),
  num1('exp', 'exp(x)', 'Exponential.'),
  num1('sqrt', 'sqrt(x)', 'Square root (missing for x < 0).'),
  num1('abs', 'abs(x)', 'Absolute value.'),
  num1('floor', 'floor(x)', 'Largest integer <= x.'),
  num1('ceil', 'ceil(x)', 'Smallest integer >= x.'),
  num1('int', 'int(x)', 'x truncated towards 0.'),
  num1('sign', 'sign(x)', '-1, 0 or 1 as x is negative, zero or positive.'),
  num1('logit', 'logit(x)', 'ln(x / (1 - x)).'),
  num1('invlogit', 'invlogit(x)', '1 / (1 + exp(-x)).'),
  { name: 'round', minArgs: 1, maxArgs: 2, args: ['num'], returns: 'num', signature: 'round(x [, y])', doc: 'x rounded to the nearest multiple of y (default 1).' },
  { name: 'mod', minArgs: 2, maxArgs: 2, args: ['num'], returns: 'num', signature: 'mod(x, y)', doc: 'Remainder of x / y (x - y * floor(x / y)).' },
  { name: 'min', minArgs: 1, maxArgs: Infinity, args: ['num'], returns: 'num', signature: 'min(x1, x2, ...)', doc: 'Smallest non-missing argument.' },
  { name: 'max', minArgs: 1, maxArgs: Infinity, args: ['num'], returns: 'num', signature: 'max(x1, x2, ...)', doc: 'Largest non-missing argument.' },
  { name: 'missing', minArgs: 1, maxArgs: Infinity, args: ['any'], returns: 'num', signature: 'missing(x1, x2, ...)', doc: '1 if any argument is missing (a number) or empty (a string), else 0.' },
  { name: 'mi', minArgs: 1, maxArgs: Infinity, args: ['any'], returns: 'num', signature: 'mi(x1, x2, ...)', doc: 'Same as missing().' },
  { name: 'inlist', minArgs: 2, maxArgs: Infinity, args: ['any'], sameAs: 0, returns: 'num', signature: 'inlist(z, a, b, ...)', doc: '1 if z equals any of the other arguments (all numbers or all strings).' },
  { name: 'inrange', minArgs: 3, maxArgs: 3, args: ['num'], returns: 'num', signature: 'inrange(z, a, b)', doc: '1 if a <= z <= b.' },
  { name: 'cond', minArgs: 3, maxArgs: 4, args: ['num', 'any'], sameAs: 1, returns: { like: 1 }, signature: 'cond(c, a, b [, m])', doc: 'a if c is true (non-zero), b if false; m (or a) if c is missing. a, b and m are all numbers or all strings.' },
  { name: 'real', minArgs: 1, maxArgs: 1, args: ['any'], returns: 'num', signature: 'real(s)', doc: 'The number a string holds (missing if none).' },
  { name: 'string', minArgs: 1, maxArgs: 1, args: ['num'], returns: 'str', signature: 'string(x)', doc: 'A number as a string.' },
  { name: 'strofreal', minArgs: 1, maxArgs: 1, args: ['num'], returns: 'str', signature: 'strofreal(x)', doc: 'Same as string().' },
  str1('strlen', 'num', 'Length of a string.'),
  str1('length', 'num', 'Same as strlen().'),
  str1('lower', 'str', 'Lower-case string.'),
  str1('strlower', 'str', 'Same as lower().'),
  str1('upper', 'str', 'Upper-case string.'),
  str1('strupper', 'str', 'Same as upper().'),
  str1('trim', 'str', 'String without leading and trailing blanks.'),
  str1('strtrim', 'str', 'Same as trim().'),
  { name: 'substr', minArgs: 3, maxArgs: 3, args: ['str', 'num'], returns: 'str', signature: 'substr(s, n1, n2)', doc: 'n2 characters of s from position n1 (1-based; negative counts from the end; n2 missing: to the end).' },
  { name: 'strpos', minArgs: 2, maxArgs: 2, args: ['str'], returns: 'num', signature: 'strpos(s1, s2)', doc: 'Position of s2 in s1 (0 if absent).' },
];

const BY_NAME = new Map(EXPR_FUNCTIONS.map((f) => [f.name, f]));

export function exprFunctions(): FunctionSpec[] {
  return EXPR_FUNCTIONS.slice();
}

/** The function a written name stands for. Case-insensitive, as the runtime has always been (`LOG(x)`). */
export function resolveExprFunction(name: string): FunctionSpec | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** What argument i of a call to `f` must be. */
export function functionArgKind(f: FunctionSpec, i: number): ValueKind {
  return f.args[Math.min(i, f.args.length - 1)];
}

/** The runtime's wording of an argument-count error (`log() takes 1 argument, got 2`). */
export function arityMessage(f: FunctionSpec, got: number): string | undefined {
  if (got >= f.minArgs && got <= f.maxArgs) return undefined;
  const lo = f.minArgs;
  const hi = f.maxArgs;
  const count = lo === hi ? `${lo}` : hi === Infinity ? `at least ${lo}` : `${lo} to ${hi}`;
  const plural = count !== '1' && count !== 'at least 1';
  return `${f.name}() takes ${count} argument${plural ? 's' : ''}, got ${got}`;
}
