// Static kinds (number or string) of gen/replace/if expressions, and the errors the runtime would
// raise on them (server/src/runtime/expr.ts), found before anything runs: unknown functions, wrong
// argument counts, and string/number mismatches. It mirrors the runtime's rules one for one and
// says nothing when a kind is not known for sure (a variable of unknown type, an unreadable
// `$global`): a correct spec must never be flagged.
import type { Expr, Range } from '../../../grammar/src/ast';
import { arityMessage, exprFunctions, functionArgKind, resolveExprFunction } from '../../../grammar/src/functions';
import { suggest } from './suggest';

export type Kind = 'num' | 'str' | 'unknown';

export interface ExprFinding {
  code: 'unknown-function' | 'function-args' | 'type-mismatch';
  message: string;
  range: Range;
  /** Function names that could replace the text at `range` (did you mean). */
  replacements?: string[];
}

export interface KindEnv {
  /** The kind of a variable, 'unknown' when it is not known for sure (or not known at all). */
  varKind(name: string): Kind;
  /** The expression a `$name` stands for, when it can be read (else its kind is unknown). */
  global(e: Extract<Expr, { kind: 'global' }>): Expr | undefined;
}

const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=']);
const TS_OPS = new Set(['L', 'F', 'D']);

/** The kind of `e`, pushing to `out` every error the runtime would raise while evaluating it. */
export function exprKind(e: Expr, env: KindEnv, out: ExprFinding[]): Kind {
  const mismatch = (message: string, range: Range): Kind => {
    out.push({ code: 'type-mismatch', message, range });
    return 'unknown'; // one finding per mistake: nothing above it is judged on a guess
  };
  switch (e.kind) {
    case 'num':
    case 'missing':
      return 'num';
    case 'str':
      return 'str';
    case 'global': {
      const x = env.global(e);
      return x ? exprKind(x, env, out) : 'unknown';
    }
    case 'var': {
      if (e.name === '_n' || e.name === '_N') return 'num';
      const k = env.varKind(e.name);
      // the runtime's order: a string column refuses any operator, then only L. F. D. are allowed
      if (e.op && k === 'str') return mismatch(`${e.op.op}.${e.name}: time-series operators need a numeric variable`, e.range);
      if (e.op && !TS_OPS.has(e.op.op)) return mismatch(`operator ${e.op.op}. is not allowed in an expression`, e.op.range);
      return k;
    }
    case 'index': {
      const target = e.target === '_n' || e.target === '_N' ? 'num' : env.varKind(e.target);
      if (exprKind(e.index, env, out) === 'str') return mismatch('type mismatch: subscript needs a number, got a string', e.index.range);
      return target;
    }
    case 'unary': {
      const a = exprKind(e.arg, env, out);
      if (a === 'str') return mismatch(`type mismatch: ${e.op} needs a number, got a string`, e.arg.range);
      return 'num';
    }
    case 'binary': {
      const l = exprKind(e.left, env, out);
      const r = exprKind(e.right, env, out);
      if (l === 'str' || r === 'str') {
        // the string side is the one pointed at: `city + 1`, `x == "a"`
        const strSide = l === 'str' ? e.left : e.right;
        const other = l === 'str' ? r : l;
        if (other === 'num') return mismatch(`type mismatch: cannot combine a string and a number with ${e.op} (${describe(strSide)} is a string)`, strSide.range);
        if (e.op !== '+' && !COMPARISONS.has(e.op)) return mismatch(`operator ${e.op} does not apply to strings`, strSide.range);
        if (other === 'unknown') return e.op === '+' ? 'unknown' : 'num';
        return e.op === '+' ? 'str' : 'num';
      }
      // two numbers (or unknown): only `+` can still be a string concatenation
      return e.op === '+' && (l === 'unknown' || r === 'unknown') ? 'unknown' : 'num';
    }
    case 'call':
      return callKind(e, env, out);
  }
}

function callKind(e: Extract<Expr, { kind: 'call' }>, env: KindEnv, out: ExprFinding[]): Kind {
  const kinds = e.args.map((a) => exprKind(a, env, out));
  const spec = resolveExprFunction(e.name);
  if (!spec) {
    const s = suggest(e.name, exprFunctions().map((f) => f.name));
    const hint = s.length ? ` (did you mean ${s.map((x) => '`' + x + '`').join(' or ')}?)` : '';
    out.push({ code: 'unknown-function', message: `unknown function ${e.name}()${hint}`, range: e.nameRange, replacements: s });
    return 'unknown';
  }
  const arity = arityMessage(spec, e.args.length);
  if (arity) {
    out.push({ code: 'function-args', message: arity, range: e.nameRange });
    return 'unknown';
  }
  let ok = true;
  let ref: Kind = 'unknown'; // the kind shared by the arguments from spec.sameAs on
  kinds.forEach((k, i) => {
    const want = functionArgKind(spec, i);
    if (want === 'num' && k === 'str') {
      out.push({ code: 'type-mismatch', message: `type mismatch: ${spec.name}() needs a number, got a string`, range: e.args[i].range });
      ok = false;
    } else if (want === 'str' && k === 'num') {
      out.push({ code: 'type-mismatch', message: `type mismatch: ${spec.name}() needs a string`, range: e.args[i].range });
      ok = false;
    }
  });
  if (spec.sameAs !== undefined) {
    // inlist(z, a, b...): all of one kind; cond(c, a, b [, m]): the branches of one kind
    for (let i = spec.sameAs; i < kinds.length; i++) {
      const k = kinds[i];
      if (k === 'unknown') continue;
      if (ref === 'unknown') ref = k;
      else if (k !== ref) {
        const message = spec.name === 'cond' ? 'type mismatch in cond(): both branches must be numbers or both strings' : `type mismatch in ${spec.name}(): mix of strings and numbers`;
        out.push({ code: 'type-mismatch', message, range: e.args[i].range });
        ok = false;
      }
    }
  }
  if (!ok) return 'unknown';
  const r = spec.returns;
  if (typeof r === 'object') return kinds[r.like] === 'unknown' ? ref : (kinds[r.like] ?? 'unknown');
  return r === 'any' ? 'unknown' : r;
}

/** How a message names an operand: `city`, "a", or "this". */
function describe(e: Expr): string {
  if (e.kind === 'var') return '`' + e.name + '`';
  if (e.kind === 'str') return JSON.stringify(e.value);
  if (e.kind === 'call') return '`' + e.name + '(...)`';
  return 'one side';
}
