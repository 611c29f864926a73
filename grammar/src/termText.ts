// Source-like text of a term, for messages, hovers and option values. Shared by the checker,
// the language server and the runtime so that all three print a term the same way.
import type { Term, VarRef } from './ast';

/** `quoteStrings`: print string terms with their quotes (messages) or bare (option values). */
export function termText(t: Term, quoteStrings = false): string {
  const sub = (u: Term) => termText(u, quoteStrings);
  switch (t.kind) {
    case 'var':
      return (t.op ? opText(t.op) : '') + t.name;
    case 'varrange':
      return `${sub(t.from)}-${sub(t.to)}`;
    case 'interact':
      return t.parts.map(sub).join(t.full ? '##' : '#');
    case 'global':
      return `$${t.name}`;
    case 'num':
      return t.text;
    case 'str':
      return quoteStrings ? `"${t.value}"` : t.value;
    case 'paren':
      return `(${t.terms.map(sub).join(' ')}${t.rhs ? ` = ${t.rhs.map(sub).join(' ')}` : ''})`;
    case 'call':
      return `${t.name}(${t.args.map(sub).join(' ')})`;
    case 'op':
      return t.op;
  }
}

/**
 * A `global` value as it is stored: without one enclosing pair of quotes ("..." or `"..."'), as
 * Stata does. `"a b"` -> `a b`, `` `"a "b""' `` -> `a "b"`; anything else unchanged. Shared by the
 * runtime and the static scope so that both see the same text.
 */
export function stripEnclosingQuotes(s: string): string {
  const m = /^`"(.*)"'$/s.exec(s) ?? /^"(.*)"$/s.exec(s);
  return m ? m[1] : s;
}

/** An operator prefix as written: `L2.`, `i.`, `ib2015.`, `ib(first).`. */
export function opText(op: NonNullable<VarRef['op']>): string {
  if (op.base !== undefined) return `ib${typeof op.base === 'number' ? op.base : `(${op.base})`}.`;
  return `${op.op}${op.lag > 1 ? op.lag : ''}.`;
}
