// What a command's body must hold whatever the data: an estimation's variables, an IV command's
// (ENDOG = INSTRUMENTS) group, a known egen function, `set seed N`. The static checker reports the
// problem as a diagnostic (exit 1, nothing run) and the interpreter throws the same message before
// the handler runs, so the two cannot disagree on these.
import type { Command, Range, Term } from './ast';
import { resolveEgenFunction, resolveSubcommand, type CommandSpec } from './commands';
import { parseNumbers } from './optionValues';

export interface BodyProblem {
  message: string;
  range: Range;
}

/** Terms that name variables (a `$global` left unexpanded counts: its content is not known here). */
const isVarTerm = (t: Term): boolean => t.kind === 'var' || t.kind === 'varrange' || t.kind === 'interact' || t.kind === 'paren' || t.kind === 'global';

export function bodyProblem(spec: CommandSpec, cmd: Command): BodyProblem | undefined {
  const b = cmd.body;
  if (spec.role === 'egen' && b.kind === 'egen') {
    if (!resolveEgenFunction(b.func)) return { message: `unknown egen function ${b.func}()`, range: b.funcRange };
    return undefined;
  }
  if (spec.role === 'define' && b.kind === 'define') return subsetProblem(spec, cmd, b.terms);
  if (b.kind !== 'terms') return undefined;
  if (spec.role === 'estimation') return estimationProblem(spec, cmd, b.terms);
  if (spec.name === 'set') return setProblem(cmd, b.terms);
  return undefined;
}

function estimationProblem(spec: CommandSpec, cmd: Command, terms: Term[]): BodyProblem | undefined {
  const vars = terms.filter(isVarTerm);
  if (spec.instrumented) {
    const groups = terms.filter((t): t is Extract<Term, { kind: 'paren' }> => t.kind === 'paren' && t.rhs !== undefined);
    if (groups.length !== 1) return { message: `${spec.name} needs one (ENDOGENOUS = INSTRUMENTS) group`, range: cmd.range };
    const g = groups[0];
    if (!g.terms.some(isVarTerm)) return { message: 'no endogenous variable before = in the parentheses', range: g.range };
    if (!g.rhs!.some(isVarTerm)) return { message: 'no instrument after = in the parentheses: the equation is not identified', range: g.range };
    if (terms.indexOf(g) === 0) return { message: `${spec.name} needs a dependent variable before the parentheses`, range: cmd.nameRange };
    return undefined;
  }
  // a count the command cannot read, when every term is one plain variable (no wildcard, range or $global)
  const plain = terms.every((t) => t.kind === 'var' && !t.wildcard && !t.op);
  if (spec.varCounts && plain && vars.length >= (spec.minVars ?? 1) && !spec.varCounts.includes(vars.length))
    return { message: `${spec.name} takes ${spec.varCounts.join(' or ')} variables (${spec.syntax.split(' [')[0]}), found ${vars.length}`, range: terms[Math.max(...spec.varCounts)]?.range ?? cmd.nameRange };
  if (vars.length >= (spec.minVars ?? 1)) return undefined;
  if (!vars.length) return { message: `${spec.name} needs a dependent variable`, range: cmd.nameRange };
  return { message: `${spec.name} needs a treatment variable after the outcome`, range: cmd.nameRange };
}

/** `set seed N`: the only setting with a meaning here; others are accepted and ignored, as before. */
function setProblem(cmd: Command, terms: Term[]): BodyProblem | undefined {
  const [what, ...rest] = terms;
  if (!what || what.kind !== 'var') return { message: 'set WHAT VALUE', range: cmd.range };
  if (what.name !== 'seed' || rest.some((t) => t.kind === 'global')) return undefined;
  const n = parseNumbers('seed', rest, cmd.range, { integer: true, min: 0 });
  return n.ok ? undefined : { message: n.problem.message.replace('option seed()', 'set seed'), range: n.problem.range };
}

/** entropy's negative(VARS) names indicators of the body: checked when both are plain names (no wildcards or ranges). */
function subsetProblem(spec: CommandSpec, cmd: Command, body: Term[]): BodyProblem | undefined {
  const plain = (ts: readonly Term[]) => (ts.every((t) => t.kind === 'var' && !t.wildcard && !t.op) ? ts.map((t) => (t as { name: string }).name) : undefined);
  const names = plain(body);
  if (!names) return undefined;
  for (const o of cmd.options) {
    const opt = spec.options.find((x) => x.subsetOfBody && (x.name === o.name || (o.name.length >= x.abbrev.length && x.name.startsWith(o.name) && o.name.startsWith(x.abbrev))));
    const vars = opt && o.args ? plain(o.args) : undefined;
    const stray = vars?.find((v) => !names.includes(v));
    if (opt && stray) return { message: `${opt.name}(): ${stray} is not among the indicators`, range: o.range };
  }
  return undefined;
}

/** `estimates store NAME` / `estimates restore NAME`: what the subcommand does with the model NAME (checker, scope, runtime). */
export function modelReference(spec: CommandSpec, cmd: Command): { model: 'store' | 'restore'; name: string; range: Range } | undefined {
  if (!spec.subcommands || cmd.body.kind !== 'terms') return undefined;
  const [sub, name, extra] = cmd.body.terms;
  const model = sub?.kind === 'var' ? resolveSubcommand(spec, sub.name)?.model : undefined;
  if (!model || name?.kind !== 'var' || name.wildcard || extra) return undefined;
  return { model, name: name.name, range: name.nameRange };
}
