// Re-reads the text of a `$global` with the grammar: as variable-list terms where a varlist is
// expected, as an expression inside `gen`/`replace`/`if`.
import type { Expr, Range, Term } from '../../../grammar/src/ast';
import { parse } from '../../../grammar/src/index';
import { RunError } from './errors';

export function parseTermsText(text: string, at: Range, what: string): Term[] {
  const prog = parse(`summarize ${text}\n`);
  const st = prog.statements[0];
  if (prog.errors.length || !st || st.command.body.kind !== 'terms')
    throw new RunError(`cannot read $${what} ("${text}") as a variable list${prog.errors[0] ? `: ${prog.errors[0].message}` : ''}`, at);
  return st.command.body.terms;
}

export function parseExprText(text: string, at: Range, what: string): Expr {
  const prog = parse(`generate __ps_tmp = ${text}\n`);
  const st = prog.statements[0];
  if (prog.errors.length || !st || st.command.body.kind !== 'gen')
    throw new RunError(`cannot read ${what.endsWith(')') ? what : `$${what}`} ("${text}") as an expression${prog.errors[0] ? `: ${prog.errors[0].message}` : ''}`, at);
  return relocate(st.command.body.expr, at);
}

/** Points every node of an expanded expression at the `$global` it came from (messages land there). */
function relocate(e: Expr, at: Range): Expr {
  const r = { ...e, range: at } as Expr & Record<string, unknown>;
  if ('nameRange' in e) r.nameRange = at;
  if ('targetRange' in e) r.targetRange = at;
  if (e.kind === 'unary') (r as typeof e).arg = relocate(e.arg, at);
  if (e.kind === 'binary') {
    (r as typeof e).left = relocate(e.left, at);
    (r as typeof e).right = relocate(e.right, at);
  }
  if (e.kind === 'call') (r as typeof e).args = e.args.map((a) => relocate(a, at));
  if (e.kind === 'index') (r as typeof e).index = relocate(e.index, at);
  return r as Expr;
}
