// Vectorised evaluation of `gen`/`replace`/`if` expressions with Stata's semantics:
// missing (NaN here) propagates through arithmetic, sorts above every number in comparisons
// (so `x > 5` is true for missing x), and counts as true in logic. Logical results are 1/0.
import type { Expr, Range } from '../../../grammar/src/ast';
import { DataTable, stringAt } from '../data/table';
import { RunError } from './errors';
import { arityMessage, resolveExprFunction } from '../../../grammar/src/functions';
import { applyTsOperator } from './panel';
import type { ByGroups, PanelSetting } from './session';

export type Value = { kind: 'num'; v: Float64Array } | { kind: 'str'; v: string[] };

export interface EvalContext {
  table: DataTable;
  panel: PanelSetting | null;
  by?: ByGroups;
  /** Parses the text of `$name` as an expression (the interpreter supplies it). */
  expandGlobal?: (name: string, range: Range) => Expr;
  /** `$name` inside a string literal (`"$t"`), replaced by the global's text as Stata does. */
  expandString?: (text: string, range: Range) => string;
}

const fail = (msg: string, range?: Range): never => {
  throw new RunError(msg, range);
};

export function evaluate(e: Expr, ctx: EvalContext): Value {
  const n = ctx.table.nrows;
  switch (e.kind) {
    case 'num':
      return { kind: 'num', v: new Float64Array(n).fill(e.value) };
    case 'missing':
      return { kind: 'num', v: new Float64Array(n).fill(NaN) };
    case 'str': {
      const text = ctx.expandString && e.value.includes('$') ? ctx.expandString(e.value, e.range) : e.value;
      return { kind: 'str', v: new Array<string>(n).fill(text) };
    }
    case 'global': {
      if (!ctx.expandGlobal) return fail(`global $${e.name} cannot be expanded here`, e.range);
      return evaluate(ctx.expandGlobal(e.name, e.range), ctx);
    }
    case 'var':
      return variable(e, ctx);
    case 'index':
      return subscript(e, ctx);
    case 'unary': {
      const a = num(evaluate(e.arg, ctx), e.arg.range, e.op);
      const out = new Float64Array(n);
      if (e.op === '-') for (let i = 0; i < n; i++) out[i] = -a[i];
      else if (e.op === '+') out.set(a);
      else for (let i = 0; i < n; i++) out[i] = a[i] === 0 ? 1 : 0; // !missing is 0: missing is true
      return { kind: 'num', v: out };
    }
    case 'binary':
      return binary(e.op, evaluate(e.left, ctx), evaluate(e.right, ctx), e.range, n);
    case 'call':
      return call(e, ctx);
  }
}

/** Evaluates a condition into a 0/1 mask (missing counts as true, as in Stata's `if`). */
export function evaluateMask(e: Expr, ctx: EvalContext): Uint8Array {
  const v = num(evaluate(e, ctx), e.range, 'if');
  const m = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) m[i] = v[i] !== 0 ? 1 : 0;
  return m;
}

function variable(e: Extract<Expr, { kind: 'var' }>, ctx: EvalContext): Value {
  const n = ctx.table.nrows;
  if (e.name === '_n' || e.name === '_N') {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (ctx.by) out[i] = e.name === '_n' ? i - ctx.by.start[i] + 1 : ctx.by.size[i];
      else out[i] = e.name === '_n' ? i + 1 : n;
    }
    return { kind: 'num', v: out };
  }
  const c = ctx.table.get(e.name);
  if (!c) return fail(`variable ${e.name} not found`, e.nameRange ?? e.range);
  if (c.kind === 'string') {
    if (e.op) fail(`${e.op.op}.${e.name}: time-series operators need a numeric variable`, e.range);
    const v = new Array<string>(n);
    for (let i = 0; i < n; i++) v[i] = stringAt(c, i);
    return { kind: 'str', v };
  }
  if (!e.op) return { kind: 'num', v: c.values };
  const op = e.op.op;
  if (op !== 'L' && op !== 'F' && op !== 'D') return fail(`operator ${op}. is not allowed in an expression`, e.op.range);
  try {
    return { kind: 'num', v: applyTsOperator(ctx.table, ctx.panel, op, e.op.lag, c.values, e.name) };
  } catch (err) {
    if (err instanceof RunError && !err.range) err.range = e.range;
    throw err;
  }
}

/** x[k]: the value at observation k of the current by-group (or of the dataset). */
function subscript(e: Extract<Expr, { kind: 'index' }>, ctx: EvalContext): Value {
  const n = ctx.table.nrows;
  const target = variable({ kind: 'var', name: e.target, range: e.targetRange, nameRange: e.targetRange }, ctx);
  const k = num(evaluate(e.index, ctx), e.index.range, 'subscript');
  const rowOf = (i: number): number => {
    const pos = Math.trunc(k[i]);
    if (!Number.isFinite(k[i]) || pos < 1) return -1;
    const start = ctx.by ? ctx.by.start[i] : 0;
    const size = ctx.by ? ctx.by.size[i] : n;
    return pos <= size ? start + pos - 1 : -1;
  };
  if (target.kind === 'num') {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const j = rowOf(i);
      out[i] = j < 0 ? NaN : target.v[j];
    }
    return { kind: 'num', v: out };
  }
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const j = rowOf(i);
    out[i] = j < 0 ? '' : target.v[j];
  }
  return { kind: 'str', v: out };
}

function num(v: Value, range: Range, what: string): Float64Array {
  if (v.kind !== 'num') fail(`type mismatch: ${what} needs a number, got a string`, range);
  return v.v as Float64Array;
}

/** Stata orders missing above every number. */
const ord = (x: number): number => (Number.isNaN(x) ? Infinity : x);
const clean = (x: number): number => (Number.isFinite(x) ? x : NaN);

function binary(op: string, a: Value, b: Value, range: Range, n: number): Value {
  if (a.kind === 'str' || b.kind === 'str') {
    if (a.kind !== 'str' || b.kind !== 'str') return fail(`type mismatch: cannot combine a string and a number with ${op}`, range);
    const x = a.v;
    const y = b.v;
    if (op === '+') return { kind: 'str', v: x.map((s, i) => s + y[i]) };
    const out = new Float64Array(n);
    const cmp: Record<string, (p: string, q: string) => boolean> = {
      '==': (p, q) => p === q,
      '!=': (p, q) => p !== q,
      '<': (p, q) => p < q,
      '>': (p, q) => p > q,
      '<=': (p, q) => p <= q,
      '>=': (p, q) => p >= q,
    };
    const f = cmp[op];
    if (!f) return fail(`operator ${op} does not apply to strings`, range);
    for (let i = 0; i < n; i++) out[i] = f(x[i], y[i]) ? 1 : 0;
    return { kind: 'num', v: out };
  }
  const x = a.v;
  const y = b.v;
  const out = new Float64Array(n);
  switch (op) {
    case '+': for (let i = 0; i < n; i++) out[i] = clean(x[i] + y[i]); break;
    case '-': for (let i = 0; i < n; i++) out[i] = clean(x[i] - y[i]); break;
    case '*': for (let i = 0; i < n; i++) out[i] = clean(x[i] * y[i]); break;
    case '/': for (let i = 0; i < n; i++) out[i] = clean(x[i] / y[i]); break; // x/0 is missing
    case '^': for (let i = 0; i < n; i++) out[i] = Number.isNaN(x[i]) || Number.isNaN(y[i]) ? NaN : clean(Math.pow(x[i], y[i])); break;
    case '==': for (let i = 0; i < n; i++) out[i] = ord(x[i]) === ord(y[i]) ? 1 : 0; break;
    case '!=': for (let i = 0; i < n; i++) out[i] = ord(x[i]) !== ord(y[i]) ? 1 : 0; break;
    case '<': for (let i = 0; i < n; i++) out[i] = ord(x[i]) < ord(y[i]) ? 1 : 0; break;
    case '>': for (let i = 0; i < n; i++) out[i] = ord(x[i]) > ord(y[i]) ? 1 : 0; break;
    case '<=': for (let i = 0; i < n; i++) out[i] = ord(x[i]) <= ord(y[i]) ? 1 : 0; break;
    case '>=': for (let i = 0; i < n; i++) out[i] = ord(x[i]) >= ord(y[i]) ? 1 : 0; break;
    case '&': for (let i = 0; i < n; i++) out[i] = x[i] !== 0 && y[i] !== 0 ? 1 : 0; break;
    case '|': for (let i = 0; i < n; i++) out[i] = x[i] !== 0 || y[i] !== 0 ? 1 : 0; break;
    default: return fail(`unknown operator ${op}`, range);
  }
  return { kind: 'num', v: out };
}

type CallExpr = Extract<Expr, { kind: 'call' }>;

const UNARY_MATH: Record<string, (x: number) => number> = {
  log: (x) => (x > 0 ? Math.log(x) : NaN),
  ln: (x) => (x > 0 ? Math.log(x) : NaN),
  log10: (x) => (x > 0 ? Math.log10(x) : NaN),
  exp: Math.exp,
  sqrt: (x) => (x >= 0 ? Math.sqrt(x) : NaN),
  abs: Math.abs,
  floor: Math.floor,
  ceil: Math.ceil,
  int: Math.trunc,
  sign: Math.sign,
  logit: (x) => Math.log(x / (1 - x)),
  invlogit: (x) => 1 / (1 + Math.exp(-x)),
};

function call(e: CallExpr, ctx: EvalContext): Value {
  const n = ctx.table.nrows;
  // The registry decides which names exist and how many arguments each takes (the static check
  // reads the same list); the switch below only computes. Aliases (ln, mi, length...) share a case.
  const spec = resolveExprFunction(e.name);
  if (!spec) return fail(`unknown function ${e.name}()`, e.nameRange ?? e.range);
  const bad = arityMessage(spec, e.args.length);
  if (bad) fail(bad, e.range);
  const name = spec.name;
  const args = () => e.args.map((a) => evaluate(a, ctx));
  const math = UNARY_MATH[name];
  if (math) {
    const x = num(evaluate(e.args[0], ctx), e.args[0].range, `${name}()`);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Number.isNaN(x[i]) ? NaN : clean(math(x[i]));
    return { kind: 'num', v: out };
  }
  switch (name) {
    case 'round': {
      const [a, b] = args();
      const x = num(a, e.args[0].range, 'round()');
      const u = b ? num(b, e.args[1].range, 'round()') : null;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const unit = u ? u[i] : 1;
        out[i] = Number.isNaN(x[i]) || Number.isNaN(unit) ? NaN : clean(Math.round(x[i] / unit) * unit);
      }
      return { kind: 'num', v: out };
    }
    case 'mod': {
      const [a, b] = args().map((v, j) => num(v, e.args[j].range, 'mod()'));
      const out = new Float64Array(n);
      // Stata: mod(x, y) = x - y * floor(x / y)
      for (let i = 0; i < n; i++) out[i] = b[i] === 0 ? NaN : clean(a[i] - b[i] * Math.floor(a[i] / b[i]));
      return { kind: 'num', v: out };
    }
    case 'min':
    case 'max': {
      const xs = args().map((a, j) => num(a, e.args[j].range, `${name}()`));
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let r = NaN;
        for (const x of xs) if (!Number.isNaN(x[i]) && (Number.isNaN(r) || (name === 'min' ? x[i] < r : x[i] > r))) r = x[i];
        out[i] = r;
      }
      return { kind: 'num', v: out };
    }
    case 'missing':
    case 'mi': {
      const vs = args();
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = vs.some((v) => (v.kind === 'num' ? Number.isNaN(v.v[i]) : v.v[i] === '')) ? 1 : 0;
      return { kind: 'num', v: out };
    }
    case 'inlist': {
      const [z, ...rest] = args();
      const out = new Float64Array(n);
      for (const r of rest) if (r.kind !== z.kind) fail('type mismatch in inlist(): mix of strings and numbers', e.range);
      for (let i = 0; i < n; i++) {
        const zi = z.v[i];
        out[i] = rest.some((r) => (z.kind === 'num' ? ord(r.v[i] as number) === ord(zi as number) : r.v[i] === zi)) ? 1 : 0;
      }
      return { kind: 'num', v: out };
    }
    case 'inrange': {
      const [z, lo, hi] = args().map((a, j) => num(a, e.args[j].range, 'inrange()'));
      const out = new Float64Array(n);
      // Stata: a missing bound is unbounded on that side; a missing z is in range only if hi is missing
      for (let i = 0; i < n; i++) {
        const l = Number.isNaN(lo[i]) ? -Infinity : lo[i];
        out[i] = ord(z[i]) >= l && ord(z[i]) <= ord(hi[i]) ? 1 : 0;
      }
      return { kind: 'num', v: out };
    }
    case 'cond': {
      const [c, a, b, m] = args();
      const cv = num(c, e.args[0].range, 'cond()');
      if (a.kind !== b.kind || (m && m.kind !== a.kind)) fail('type mismatch in cond(): both branches must be numbers or both strings', e.range);
      if (a.kind === 'num') {
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = m && Number.isNaN(cv[i]) ? (m.v[i] as number) : cv[i] !== 0 ? a.v[i] : (b.v[i] as number);
        return { kind: 'num', v: out };
      }
      const out = new Array<string>(n);
      for (let i = 0; i < n; i++) out[i] = m && Number.isNaN(cv[i]) ? (m.v[i] as string) : cv[i] !== 0 ? a.v[i] : (b.v[i] as string);
      return { kind: 'str', v: out };
    }
    case 'real': {
      const [s] = args();
      if (s.kind === 'num') return s;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const t = s.v[i].trim();
        out[i] = t === '' || t === '.' ? NaN : Number(t);
      }
      return { kind: 'num', v: out };
    }
    case 'string':
    case 'strofreal': {
      const x = num(evaluate(e.args[0], ctx), e.args[0].range, `${name}()`);
      return { kind: 'str', v: Array.from(x, (v) => (Number.isNaN(v) ? '.' : String(v))) };
    }
    case 'strlen':
    case 'length': {
      const s = str(evaluate(e.args[0], ctx), e.args[0].range, name);
      return { kind: 'num', v: Float64Array.from(s, (t) => t.length) };
    }
    case 'lower':
    case 'upper':
    case 'trim':
    case 'strlower':
    case 'strupper':
    case 'strtrim': {
      const s = str(evaluate(e.args[0], ctx), e.args[0].range, name);
      const f = name.endsWith('lower') ? (t: string) => t.toLowerCase() : name.endsWith('upper') ? (t: string) => t.toUpperCase() : (t: string) => t.trim();
      return { kind: 'str', v: s.map(f) };
    }
    case 'substr': {
      const s = str(evaluate(e.args[0], ctx), e.args[0].range, name);
      const p = num(evaluate(e.args[1], ctx), e.args[1].range, 'substr()');
      const l = num(evaluate(e.args[2], ctx), e.args[2].range, 'substr()');
      return {
        kind: 'str',
        v: s.map((t, i) => {
          const start = p[i] < 0 ? t.length + p[i] : p[i] - 1;
          return Number.isNaN(l[i]) ? t.slice(start) : t.substr(start, l[i]);
        }),
      };
    }
    case 'strpos': {
      const s = str(evaluate(e.args[0], ctx), e.args[0].range, name);
      const t = str(evaluate(e.args[1], ctx), e.args[1].range, name);
      return { kind: 'num', v: Float64Array.from(s, (x, i) => x.indexOf(t[i]) + 1) };
    }
    default:
      // in the registry but not computed here: a programming error the registry test catches
      return fail(`function ${name}() is not implemented`, e.nameRange ?? e.range);
  }
}

function str(v: Value, range: Range, what: string): string[] {
  if (v.kind !== 'str') fail(`type mismatch: ${what}() needs a string`, range);
  return v.v as string[];
}
