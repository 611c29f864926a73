// The expression language of gen/replace/if as DuckDB SQL, with the in-memory evaluator's
// semantics (runtime/expr.ts): numbers are DOUBLE with NULL as missing and never NaN or infinite;
// missing is larger than every number in comparisons (so `x > 5` holds for missing x) and true in
// logic; a string's missing is ''. Logical results are 1/0. What SQL cannot say the same way is a
// RunError at the expression's range, never a different result.
import type { Expr, Range } from '../../../../grammar/src/ast';
import { arityMessage, resolveExprFunction } from '../../../../grammar/src/functions';
import { ident, lazyColumn, sqlString, type LazyTable } from '../../data/duck/lazyTable';
import { RunError } from '../errors';
import type { PanelSetting } from '../session';

export type SqlKind = 'num' | 'str';
export interface SqlValue {
  sql: string;
  kind: SqlKind;
}

export interface SqlExprContext {
  table: LazyTable;
  panel: PanelSetting | null;
  /** `bysort` groups: `_n`, `_N` and `x[k]` are taken within them. */
  by?: string[];
  expandGlobal?: (name: string, range: Range) => Expr;
  expandString?: (text: string, range: Range) => string;
}

const fail = (msg: string, range?: Range): never => {
  throw new RunError(msg, range);
};

/** Infinite or NaN results are missing, as the in-memory `clean`. */
const clean = (sql: string): string => `(CASE WHEN isfinite(${sql}) THEN ${sql} END)`;
/** Stata's order: missing above every number. */
const ord = (sql: string): string => `coalesce(${sql}, 'inf'::DOUBLE)`;
const bool = (cond: string): string => `(CASE WHEN ${cond} THEN 1.0 ELSE 0.0 END)`;
/** A number as a truth value: non-zero or missing is true. */
export const truthy = (sql: string): string => `coalesce((${sql}) <> 0, true)`;

function literal(x: number): string {
  if (!Number.isFinite(x)) return 'NULL::DOUBLE';
  // through a string: a decimal literal would be read as DECIMAL first and could round differently
  return `'${String(x)}'::DOUBLE`;
}

export function toSql(e: Expr, ctx: SqlExprContext): SqlValue {
  switch (e.kind) {
    case 'num':
      return { sql: literal(e.value), kind: 'num' };
    case 'missing':
      return { sql: 'NULL::DOUBLE', kind: 'num' };
    case 'str': {
      const text = ctx.expandString && e.value.includes('$') ? ctx.expandString(e.value, e.range) : e.value;
      return { sql: sqlString(text), kind: 'str' };
    }
    case 'global':
      if (!ctx.expandGlobal) return fail(`global $${e.name} cannot be expanded here`, e.range);
      return toSql(ctx.expandGlobal(e.name, e.range), ctx);
    case 'var':
      return variable(e, ctx);
    case 'index':
      return subscript(e, ctx);
    case 'unary': {
      const a = num(toSql(e.arg, ctx), e.arg.range, e.op);
      if (e.op === '-') return { sql: `(-${a})`, kind: 'num' };
      if (e.op === '+') return { sql: a, kind: 'num' };
      return { sql: bool(`${a} = 0`), kind: 'num' }; // !missing is 0: missing is true
    }
    case 'binary':
      return binary(e.op, toSql(e.left, ctx), toSql(e.right, ctx), e.range);
    case 'call':
      return call(e, ctx);
  }
}

/** A condition (`if`) as a SQL boolean: missing counts as true. */
export function conditionSql(e: Expr, ctx: SqlExprContext): string {
  return truthy(num(toSql(e, ctx), e.range, 'if'));
}

/** The window of `_n`, `_N`, x[k]: the by-groups (or the whole data) in the data's order. */
function windowSpec(ctx: SqlExprContext, frame = ''): string {
  const part = ctx.by?.length ? `PARTITION BY ${ctx.by.map(ident).join(', ')} ` : '';
  return `(${part}ORDER BY ${ctx.table.order.join(', ')}${frame ? ` ${frame}` : ''})`;
}
const FULL_FRAME = 'ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING';

function variable(e: Extract<Expr, { kind: 'var' }>, ctx: SqlExprContext): SqlValue {
  if (e.name === '_n') return { sql: `CAST(row_number() OVER ${windowSpec(ctx)} AS DOUBLE)`, kind: 'num' };
  if (e.name === '_N') return { sql: `CAST(count(*) OVER ${ctx.by?.length ? `(PARTITION BY ${ctx.by.map(ident).join(', ')})` : '()'} AS DOUBLE)`, kind: 'num' };
  const c = lazyColumn(ctx.table, e.name);
  if (!c) return fail(`variable ${e.name} not found`, e.nameRange ?? e.range);
  const col = ident(c.name);
  if (c.kind === 'string') {
    if (e.op) fail(`${e.op.op}.${e.name}: time-series operators need a numeric variable`, e.range);
    return { sql: col, kind: 'str' };
  }
  if (!e.op) return { sql: col, kind: 'num' };
  const op = e.op.op;
  if (op !== 'L' && op !== 'F' && op !== 'D') return fail(`operator ${op}. is not allowed in an expression`, e.op.range);
  const panel = ctx.panel;
  if (!panel) return fail(`${op}.${e.name} needs the panel structure: run \`xtset UNIT TIME\` first`, e.range);
  if (op === 'D') return { sql: difference(col, e.op.lag, 0, panel, ctx), kind: 'num' };
  return { sql: shifted(col, op === 'L' ? e.op.lag : -e.op.lag, panel, ctx), kind: 'num' };
}

/** The value of `col` in the same unit at time t - lag*delta (lag < 0: a lead); missing when that period is absent. */
function shifted(col: string, lag: number, panel: PanelSetting, ctx: SqlExprContext): string {
  if (lag === 0) return col;
  const unit = lazyColumn(ctx.table, panel.unit);
  const time = lazyColumn(ctx.table, panel.time);
  if (!unit || !time) return fail(`xtset variable ${!unit ? panel.unit : panel.time} not found`);
  if (time.kind !== 'numeric') return fail(`time variable ${panel.time} must be numeric`);
  const u = ident(unit.name);
  const t = ident(time.name);
  const step = literal(Math.abs(lag) * panel.delta);
  const side = lag > 0 ? 'PRECEDING' : 'FOLLOWING';
  // a RANGE frame of exactly one time value: the row at t -/+ step, if the unit has it
  const w = `(PARTITION BY ${u} ORDER BY ${t} RANGE BETWEEN ${step} ${side} AND ${step} ${side})`;
  const known = unit.kind === 'string' ? `${u} <> '' AND ${t} IS NOT NULL` : `${u} IS NOT NULL AND ${t} IS NOT NULL`;
  return `(CASE WHEN ${known} THEN first_value(${col}) OVER ${w} END)`;
}

/** D^k of `col` at shift s: D^k[s] = D^(k-1)[s] - D^(k-1)[s+1] (the in-memory evaluator's order of operations). */
function difference(col: string, k: number, s: number, panel: PanelSetting, ctx: SqlExprContext): string {
  if (k === 0) return shifted(col, s, panel, ctx);
  return `(${difference(col, k - 1, s, panel, ctx)} - ${difference(col, k - 1, s + 1, panel, ctx)})`;
}

/** x[k] within the by-group: k = _n +/- c, a constant, or _N. */
function subscript(e: Extract<Expr, { kind: 'index' }>, ctx: SqlExprContext): SqlValue {
  const target = variable({ kind: 'var', name: e.target, range: e.targetRange, nameRange: e.targetRange }, ctx);
  const miss = target.kind === 'str' ? "''" : 'NULL::DOUBLE';
  const pos = indexForm(e.index);
  if (!pos) return fail(`${e.target}[...]: on lazy data the subscript must be _n+k, _n-k, a number or _N`, e.index.range);
  let sql: string;
  if (pos.kind === 'relative') {
    if (pos.k === 0) return target;
    sql = pos.k < 0 ? `lag(${target.sql}, ${-pos.k}) OVER ${windowSpec(ctx)}` : `lead(${target.sql}, ${pos.k}) OVER ${windowSpec(ctx)}`;
  } else if (pos.kind === 'last') sql = `last_value(${target.sql}) OVER ${windowSpec(ctx, FULL_FRAME)}`;
  else {
    const k = Math.trunc(pos.k);
    if (!(k >= 1)) return { sql: miss, kind: target.kind };
    sql = `nth_value(${target.sql}, ${k}) OVER ${windowSpec(ctx, FULL_FRAME)}`;
  }
  return { sql: `coalesce(${sql}, ${miss})`, kind: target.kind };
}

type IndexForm = { kind: 'relative'; k: number } | { kind: 'absolute'; k: number } | { kind: 'last' };

function indexForm(e: Expr): IndexForm | null {
  if (e.kind === 'num') return { kind: 'absolute', k: e.value };
  if (e.kind === 'var' && !e.op && e.name === '_n') return { kind: 'relative', k: 0 };
  if (e.kind === 'var' && !e.op && e.name === '_N') return { kind: 'last' };
  if (e.kind === 'binary' && (e.op === '+' || e.op === '-') && e.left.kind === 'var' && e.left.name === '_n' && !e.left.op && e.right.kind === 'num' && Number.isInteger(e.right.value))
    return { kind: 'relative', k: e.op === '+' ? e.right.value : -e.right.value };
  return null;
}

function num(v: SqlValue, range: Range, what: string): string {
  if (v.kind !== 'num') fail(`type mismatch: ${what} needs a number, got a string`, range);
  return v.sql;
}

function str(v: SqlValue, range: Range, what: string): string {
  if (v.kind !== 'str') fail(`type mismatch: ${what}() needs a string`, range);
  return v.sql;
}

const NUM_CMP: Record<string, string> = { '==': '=', '!=': '<>', '<': '<', '>': '>', '<=': '<=', '>=': '>=' };

function binary(op: string, a: SqlValue, b: SqlValue, range: Range): SqlValue {
  if (a.kind === 'str' || b.kind === 'str') {
    if (a.kind !== 'str' || b.kind !== 'str') return fail(`type mismatch: cannot combine a string and a number with ${op}`, range);
    if (op === '+') return { sql: `(${a.sql} || ${b.sql})`, kind: 'str' };
    const cmp = NUM_CMP[op];
    if (!cmp) return fail(`operator ${op} does not apply to strings`, range);
    // DuckDB's default collation is byte order: JavaScript's < on the same text (without surrogate pairs)
    return { sql: bool(`${a.sql} ${cmp} ${b.sql}`), kind: 'num' };
  }
  const x = a.sql;
  const y = b.sql;
  switch (op) {
    case '+':
    case '-':
    case '*':
      return { sql: clean(`(${x} ${op} ${y})`), kind: 'num' };
    case '/':
      return { sql: `(CASE WHEN ${y} <> 0 THEN ${clean(`(${x} / ${y})`)} END)`, kind: 'num' }; // x/0 is missing
    case '^':
      return { sql: clean(`pow(${x}, ${y})`), kind: 'num' };
    case '&':
      return { sql: bool(`${truthy(x)} AND ${truthy(y)}`), kind: 'num' };
    case '|':
      return { sql: bool(`${truthy(x)} OR ${truthy(y)}`), kind: 'num' };
    default: {
      const cmp = NUM_CMP[op];
      if (!cmp) return fail(`unknown operator ${op}`, range);
      return { sql: bool(`${ord(x)} ${cmp} ${ord(y)}`), kind: 'num' };
    }
  }
}

type CallExpr = Extract<Expr, { kind: 'call' }>;

/** Characters other than those beyond U+FFFF (what is left after removing them: the astral ones). */
const NOT_ASTRAL = '[^\\x{10000}-\\x{10FFFF}]';
/** JavaScript's white space (what String.prototype.trim removes), as an RE2 class. */
const JS_BLANK = '[\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]';
const ASCII = (x: string): string => `regexp_full_match(${x}, '[\\x00-\\x7F]*')`;

/**
 * For values SQL would compute differently from the in-memory evaluator: the query stops with this
 * message (naming the line) when such a value is met, rather than giving another result.
 */
function notExact(what: string, e: Expr): string {
  const msg = `line ${e.range.start.line + 1}: ${what} does not run on lazy data: keep the rows you need and materialize first`;
  return `error(${sqlString(msg)})`;
}

/** One-argument math, guarded where DuckDB would raise (ln of a negative) instead of giving missing. */
const UNARY_MATH: Record<string, (x: string) => string> = {
  log: (x) => `(CASE WHEN ${x} > 0 THEN ln(${x}) END)`,
  ln: (x) => `(CASE WHEN ${x} > 0 THEN ln(${x}) END)`,
  log10: (x) => `(CASE WHEN ${x} > 0 THEN log10(${x}) END)`,
  exp: (x) => `exp(${x})`,
  sqrt: (x) => `(CASE WHEN ${x} >= 0 THEN sqrt(${x}) END)`,
  abs: (x) => `abs(${x})`,
  floor: (x) => `floor(${x})`,
  ceil: (x) => `ceil(${x})`,
  int: (x) => `trunc(${x})`,
  sign: (x) => `CAST(sign(${x}) AS DOUBLE)`,
  logit: (x) => `(CASE WHEN ${x} / (1 - ${x}) > 0 THEN ln(${x} / (1 - ${x})) END)`,
  invlogit: (x) => `(1 / (1 + exp(-${x})))`,
};

function call(e: CallExpr, ctx: SqlExprContext): SqlValue {
  const spec = resolveExprFunction(e.name);
  if (!spec) return fail(`unknown function ${e.name}()`, e.nameRange ?? e.range);
  const bad = arityMessage(spec, e.args.length);
  if (bad) fail(bad, e.range);
  const name = spec.name;
  const args = () => e.args.map((a) => toSql(a, ctx));
  const nums = () => args().map((v, j) => num(v, e.args[j].range, `${name}()`));
  const math = UNARY_MATH[name];
  if (math) {
    const [x] = nums();
    return { sql: clean(math(x)), kind: 'num' };
  }
  switch (name) {
    case 'round': {
      const [x, u] = nums();
      // Math.round: the nearest integer, halves up; floor(v + 0.5) would round 0.49999999999999994
      // and odd integers above 2^52 differently, v - floor(v) is exact
      const unit = u ?? "'1'::DOUBLE";
      const v = `(${x} / ${unit})`;
      return { sql: clean(`((floor(${v}) + CASE WHEN ${v} - floor(${v}) >= 0.5 THEN 1 ELSE 0 END) * ${unit})`), kind: 'num' };
    }
    case 'mod': {
      const [x, y] = nums();
      return { sql: `(CASE WHEN ${y} <> 0 THEN ${clean(`(${x} - ${y} * floor(${x} / ${y}))`)} END)`, kind: 'num' };
    }
    case 'min':
    case 'max': {
      // the smallest (largest) non-missing argument: least/greatest skip NULLs
      const xs = nums();
      return { sql: xs.length === 1 ? xs[0] : `${name === 'min' ? 'least' : 'greatest'}(${xs.join(', ')})`, kind: 'num' };
    }
    case 'missing':
    case 'mi': {
      const parts = args().map((v) => (v.kind === 'num' ? `${v.sql} IS NULL` : `${v.sql} = ''`));
      return { sql: bool(parts.join(' OR ')), kind: 'num' };
    }
    case 'inlist': {
      const [z, ...rest] = args();
      for (const r of rest) if (r.kind !== z.kind) fail('type mismatch in inlist(): mix of strings and numbers', e.range);
      const eq = rest.map((r) => (z.kind === 'num' ? `${ord(z.sql)} = ${ord(r.sql)}` : `${z.sql} = ${r.sql}`));
      return { sql: bool(eq.join(' OR ')), kind: 'num' };
    }
    case 'inrange': {
      const [z, lo, hi] = nums();
      return { sql: bool(`${ord(z)} >= coalesce(${lo}, '-inf'::DOUBLE) AND ${ord(z)} <= ${ord(hi)}`), kind: 'num' };
    }
    case 'cond': {
      const [c, a, b, m] = args();
      const cv = num(c, e.args[0].range, 'cond()');
      if (a.kind !== b.kind || (m && m.kind !== a.kind)) fail('type mismatch in cond(): both branches must be numbers or both strings', e.range);
      const missBranch = m ? `WHEN ${cv} IS NULL THEN ${m.sql} ` : '';
      return { sql: `(CASE ${missBranch}WHEN coalesce(${cv} <> 0, true) THEN ${a.sql} ELSE ${b.sql} END)`, kind: a.kind };
    }
    case 'real': {
      const [s] = args();
      if (s.kind === 'num') return s;
      // JavaScript's Number() after trim(): a decimal converts as here, other text is missing;
      // hexadecimal and Infinity would convert differently: an error, not a guess
      const t = `regexp_replace(${s.sql}, '^${JS_BLANK}+|${JS_BLANK}+$', '', 'g')`;
      const decimal = `regexp_full_match(${t}, '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?')`;
      const other = `regexp_full_match(${t}, '0[xXbBoO][0-9a-fA-F]+|[+-]?Infinity')`;
      return { sql: `(CASE WHEN ${decimal} THEN ${clean(`CAST(${t} AS DOUBLE)`)} WHEN ${other} THEN ${notExact('real() of hexadecimal or Infinity text', e)} ELSE NULL::DOUBLE END)`, kind: 'num' };
    }
    case 'strlen':
    case 'length': {
      const [s] = args();
      // JavaScript counts UTF-16 units: characters, plus one for each beyond U+FFFF
      const x = str(s, e.args[0].range, name);
      return { sql: `CAST(length(${x}) + length(regexp_replace(${x}, '${NOT_ASTRAL}', '', 'g')) AS DOUBLE)`, kind: 'num' };
    }
    case 'lower':
    case 'strlower':
    case 'upper':
    case 'strupper': {
      // case mappings agree on ASCII; beyond it (ß, İ, final sigma) JavaScript's differ from DuckDB's
      const x = str(args()[0], e.args[0].range, name);
      const f = name.endsWith('lower') ? 'lower' : 'upper';
      return { sql: `(CASE WHEN ${ASCII(x)} THEN ${f}(${x}) ELSE ${notExact(`${name}() of text with non-ASCII characters`, e)} END)`, kind: 'str' };
    }
    case 'strpos': {
      const [s, t] = args();
      const x = str(s, e.args[0].range, name);
      const y = str(t, e.args[1].range, name);
      // a position in UTF-16 units, as JavaScript's indexOf: characters beyond U+FFFF before the match count twice
      const at = `strpos(${x}, ${y})`;
      return { sql: `CAST(CASE WHEN ${at} = 0 THEN 0 ELSE ${at} + length(regexp_replace(substr(${x}, 1, ${at} - 1), '${NOT_ASTRAL}', '', 'g')) END AS DOUBLE)`, kind: 'num' };
    }
    default:
      // string(), trim(), substr(): JavaScript's number formatting and whitespace rules have no exact SQL twin
      return fail(`${name}() does not run on lazy data yet: keep the rows you need and \`materialize\` first`, e.nameRange ?? e.range);
  }
}
