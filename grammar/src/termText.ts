// Source-like text of a term, for messages, hovers and option values. Shared by the checker,
// the language server and the runtime so that all three print a term the same way.
import type { Term } from './ast';

/** `quoteStrings`: print string terms with their quotes (messages) or bare (option values). */
export function termText(t: Term, quoteStrings = false): string {
  const sub = (u: Term) => termText(u, quoteStrings);
  switch (t.kind) {
    case 'var':
      return (t.op ? `${t.op.op}${t.op.lag > 1 ? t.op.lag : ''}.` : '') + t.name;
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
