// `$NAME` inside a command, as the checker sees it: replaced by the global's terms (known statically
// from the `global` lines above), each new term pointing at the `$NAME` it came from so findings land
// on what the user wrote. A global that is undefined, or whose value cannot be known statically,
// stays a `global` term: the checker reports the first and skips findings that depend on the second.
// Mirrors the runtime's expansion (server/src/runtime/globals.ts) so checks and runs agree.
import type { Command, Expr, Range, Term } from '../../../grammar/src/ast';
import { parse } from '../../../grammar/src/index';
import { MAX_MACRO_LENGTH } from '../../../grammar/src/limits';

/** What expansion reads of a global (scope.ts's GlobalSymbol carries these and more). */
export interface GlobalValue {
  name: string;
  /** The value, with globals inside the definition already expanded and quotes removed. */
  text: string;
  /** The value read as a variable list (empty when it cannot be read as one). */
  terms: Term[];
  /** The value cannot be known statically: checks that depend on it are skipped. */
  unknown?: boolean;
}

/** Terms and expression nodes made by expanding a global: node -> the global's name. */
export type Origins = WeakMap<object, string>;

export interface ExpandedCommand {
  cmd: Command;
  origins: Origins;
  /** The `$NAME` at which the expansions grew past MAX_MACRO_LENGTH (the runtime refuses the command there). */
  tooLong?: Range;
}

/** The command with `$NAME` expanded in its body terms, egen/entropy arguments and option arguments. */
export function expandCommand(cmd: Command, globals: ReadonlyMap<string, GlobalValue>, origins: Origins = new WeakMap()): ExpandedCommand {
  if (!mentionsGlobal(cmd)) return { cmd, origins };
  const budget: Budget = { chars: 0 };
  const ex = (ts: Term[]) => expandTerms(ts, globals, origins, budget);
  const out: Command = { ...cmd };
  const b = cmd.body;
  if (b.kind === 'terms') out.body = { ...b, terms: ex(b.terms) };
  else if (b.kind === 'egen') out.body = { ...b, args: ex(b.args) };
  else if (b.kind === 'define') out.body = { ...b, terms: ex(b.terms) };
  out.options = cmd.options.map((o) => (o.args ? { ...o, args: ex(o.args) } : o));
  return { cmd: out, origins, tooLong: budget.over };
}

/** Characters the expansions add to one command (capped as the runtime caps them). */
interface Budget {
  chars: number;
  over?: Range;
}

/** Quick test so that commands without any `$` are not copied. */
function mentionsGlobal(cmd: Command): boolean {
  const has = (ts: Term[] | undefined): boolean => !!ts && ts.some((t) => t.kind === 'global' || (t.kind === 'call' && has(t.args)) || (t.kind === 'paren' && (has(t.terms) || has(t.rhs))));
  const b = cmd.body;
  if (b.kind === 'terms' && has(b.terms)) return true;
  if (b.kind === 'egen' && has(b.args)) return true;
  if (b.kind === 'define' && has(b.terms)) return true;
  return cmd.options.some((o) => has(o.args));
}

/** True when a term list still holds a `$NAME` that could not be expanded (anywhere inside). */
export function hasUnresolved(terms: Term[]): boolean {
  return terms.some((t) => t.kind === 'global' || (t.kind === 'call' && hasUnresolved(t.args)) || (t.kind === 'paren' && (hasUnresolved(t.terms) || (!!t.rhs && hasUnresolved(t.rhs)))));
}

export function expandTerms(terms: Term[], globals: ReadonlyMap<string, GlobalValue>, origins: Origins, budget: Budget = { chars: 0 }): Term[] {
  const out: Term[] = [];
  for (const t of terms) {
    if (t.kind === 'global') {
      const g = globals.get(t.name);
      if (!g || g.unknown || !g.terms || budget.over) {
        out.push(t); // undefined, not known statically or past the limit: left for the checker to judge
        continue;
      }
      if (!g.text.trim()) continue; // an empty global expands to nothing
      budget.chars += g.text.length;
      if (budget.chars > MAX_MACRO_LENGTH) {
        budget.over = t.range;
        out.push(t);
        continue;
      }
      for (const x of g.terms) out.push(relocateTerm(x, t.range, g.name, origins));
      continue;
    }
    if (t.kind === 'paren') out.push({ ...t, terms: expandTerms(t.terms, globals, origins, budget), rhs: t.rhs ? expandTerms(t.rhs, globals, origins, budget) : undefined });
    else if (t.kind === 'call') out.push({ ...t, args: expandTerms(t.args, globals, origins, budget) });
    else out.push(t);
  }
  return out;
}

/** Every range inside a term moved to `at`, and the new nodes marked as coming from global `name`. */
function relocateTerm(t: Term, at: Range, name: string, origins: Origins): Term {
  let r: Term;
  switch (t.kind) {
    case 'var':
      r = { ...t, range: at, nameRange: at, op: t.op ? { ...t.op, range: at } : undefined };
      break;
    case 'varrange':
      r = { ...t, range: at, from: relocateTerm(t.from, at, name, origins) as typeof t.from, to: relocateTerm(t.to, at, name, origins) as typeof t.to };
      break;
    case 'interact':
      r = { ...t, range: at, parts: t.parts.map((p) => relocateTerm(p, at, name, origins) as typeof p) };
      break;
    case 'paren':
      r = { ...t, range: at, terms: t.terms.map((x) => relocateTerm(x, at, name, origins)), rhs: t.rhs?.map((x) => relocateTerm(x, at, name, origins)) };
      break;
    case 'call':
      r = { ...t, range: at, nameRange: at, args: t.args.map((x) => relocateTerm(x, at, name, origins)) };
      break;
    default:
      r = { ...t, range: at };
  }
  origins.set(r, name);
  return r;
}

/** A global's text read as an expression (for `gen y = $x * 2`, `if $cond`), relocated to `at`; undefined if it is not one. */
export function globalExpr(g: GlobalValue, at: Range, origins: Origins): Expr | undefined {
  if (g.unknown) return undefined;
  const prog = parse(`generate __ps_tmp = ${g.text}\n`);
  const st = prog.statements[0];
  if (prog.errors.length || !st || st.command.body.kind !== 'gen') return undefined;
  return relocateExpr(st.command.body.expr, at, g.name, origins);
}

function relocateExpr(e: Expr, at: Range, name: string, origins: Origins): Expr {
  let r: Expr;
  switch (e.kind) {
    case 'var':
      r = { ...e, range: at, nameRange: at, op: e.op ? { ...e.op, range: at } : undefined };
      break;
    case 'unary':
      r = { ...e, range: at, arg: relocateExpr(e.arg, at, name, origins) };
      break;
    case 'binary':
      r = { ...e, range: at, left: relocateExpr(e.left, at, name, origins), right: relocateExpr(e.right, at, name, origins) };
      break;
    case 'call':
      r = { ...e, range: at, nameRange: at, args: e.args.map((a) => relocateExpr(a, at, name, origins)) };
      break;
    case 'index':
      r = { ...e, range: at, targetRange: at, index: relocateExpr(e.index, at, name, origins) };
      break;
    default:
      r = { ...e, range: at };
  }
  origins.set(r, name);
  return r;
}

/** Terms of a global's (already expanded) text, read as a variable list; undefined when it is not one. */
export function termsOfText(text: string): Term[] | undefined {
  const prog = parse(`summarize ${text}\n`);
  const st = prog.statements[0];
  if (prog.errors.length || !st || st.command.body.kind !== 'terms') return undefined;
  return st.command.body.terms;
}
