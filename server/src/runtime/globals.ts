// `$NAME` in a command's terms and options: replaced by the global's words before the command
// runs, so every option (absorb($fe), vce(cluster $cl), window($w)) sees plain terms. The new
// terms point at the `$NAME` they came from, so errors underline what the user wrote.
import type { Command, Range, Term } from '../../../grammar/src/ast';
import { RunError } from './errors';
import { MAX_MACRO_LENGTH, macroTooLong, substituteMacros } from '../../../grammar/src/limits';
import { parseTermsText } from './reparse';
import type { Session } from './session';

export function expandCommandGlobals(cmd: Command, session: Session): Command {
  const out: Command = { ...cmd };
  const b = cmd.body;
  // what the expansions add to the command, capped as one macro is (Stata caps the expanded line too)
  const added = { chars: 0 };
  const ex = (ts: Term[]) => expandTerms(ts, session, 0, added);
  if (b.kind === 'terms') out.body = { ...b, terms: ex(b.terms) };
  else if (b.kind === 'egen') out.body = { ...b, args: ex(b.args) };
  else if (b.kind === 'define') out.body = { ...b, terms: ex(b.terms) };
  out.options = cmd.options.map((o) => (o.args ? { ...o, args: ex(o.args) } : o));
  return out;
}

function expandTerms(terms: Term[], session: Session, depth: number, added: { chars: number }, at?: Range): Term[] {
  const out: Term[] = [];
  for (const t of terms) {
    if (t.kind === 'global') {
      if (depth > 20) throw new RunError(`$${t.name} expands into itself`, t.range);
      const g = session.globals.get(t.name);
      if (!g) throw new RunError(`global $${t.name} is not defined`, t.range);
      if (!g.text.trim()) continue;
      added.chars += g.text.length;
      if (added.chars > MAX_MACRO_LENGTH) throw new RunError(macroTooLong('this command with its globals expanded'), t.range);
      const inner = g.terms ?? parseTermsText(g.text, t.range, t.name);
      for (const x of expandTerms(inner, session, depth + 1, added, at ?? t.range)) out.push(x);
      continue;
    }
    let u: Term = t;
    if (t.kind === 'paren') u = { ...t, terms: expandTerms(t.terms, session, depth, added, at), rhs: t.rhs ? expandTerms(t.rhs, session, depth, added, at) : undefined };
    else if (t.kind === 'call') u = { ...t, args: expandTerms(t.args, session, depth, added, at) };
    else if (t.kind === 'str' && t.value.includes('$')) u = { ...t, value: expandStringGlobals(t.value, session, t.range) };
    out.push(at ? relocate(u, at) : u);
  }
  return out;
}

/** Every range inside a term moved to `at`. */
function relocate(t: Term, at: Range): Term {
  switch (t.kind) {
    case 'var':
      return { ...t, range: at, nameRange: at, op: t.op ? { ...t.op, range: at } : undefined };
    case 'varrange':
      return { ...t, range: at, from: relocate(t.from, at) as typeof t.from, to: relocate(t.to, at) as typeof t.to };
    case 'interact':
      return { ...t, range: at, parts: t.parts.map((p) => relocate(p, at) as typeof p) };
    case 'paren':
      return { ...t, range: at, terms: t.terms.map((x) => relocate(x, at)), rhs: t.rhs?.map((x) => relocate(x, at)) };
    case 'call':
      return { ...t, range: at, nameRange: at, args: t.args.map((x) => relocate(x, at)) };
    default:
      return { ...t, range: at };
  }
}

/** `$name` and `${name}` inside a quoted string or a path (refused past the macro length limit). */
export function expandStringGlobals(s: string, session: Session, range: Range, what = 'the text with its globals expanded'): string {
  const r = substituteMacros(s, (name) => {
    const g = session.globals.get(name);
    if (!g) throw new RunError(`global $${name} is not defined`, range);
    return g.text;
  });
  if (!r.ok) throw new RunError(macroTooLong(what), range);
  return r.text;
}
