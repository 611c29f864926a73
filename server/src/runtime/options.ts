// Typed access to a command's options: Stata-style abbreviations (`cl` for cluster, `d` for detail)
// are resolved through the grammar's command registry, and unknown options are rejected with the
// option's own source range. Handlers ask for options by their canonical (registry) name; values
// are read by the same functions the static checker uses (grammar/src/optionValues.ts), against
// the rule the table declares, so both accept and refuse the same specs with the same message.
import { termText as sharedTermText } from '../../../grammar/src/termText';
import type { Command, Option, Range, Term } from '../../../grammar/src/ast';
import { ArgKind, requiresProblem, resolveCommand, resolveOption, type CommandSpec, type OptionSpec } from '../../../grammar/src/commands';
import { parseKeyword, parseNumbers, parseVce, type NumberRule, type Parsed, type VceValue } from '../../../grammar/src/optionValues';
import { RunError } from './errors';

/** The value, or the shared reader's problem thrown at its range. */
export function valueOrThrow<T>(p: Parsed<T>): T {
  if (!p.ok) throw new RunError(p.problem.message, p.problem.range);
  return p.value;
}

function ruleOf(o: OptionSpec): NumberRule {
  return o.rule ?? (o.arg === ArgKind.Integer ? { integer: true } : o.arg === ArgKind.Window ? { count: [2, 2], integer: true } : {});
}

export class Options {
  private readonly byName = new Map<string, Option>();
  private readonly specs = new Map<string, OptionSpec>();

  /** `spec` defaults to the registry entry of the command's name (case-sensitive, as Stata). */
  constructor(
    readonly command: Command,
    spec: CommandSpec | undefined = resolveCommand(command.name),
    options: readonly Option[] = command.options,
  ) {
    for (const o of options) {
      const opt = spec ? resolveOption(spec, o.name) : undefined;
      if (!opt) throw new RunError(`option ${o.name}() not allowed with ${command.name}`, o.nameRange);
      if (this.byName.has(opt.name)) throw new RunError(`option ${opt.name}() given twice`, o.nameRange);
      this.byName.set(opt.name, o);
      this.specs.set(opt.name, opt);
    }
    for (const [name, opt] of this.specs) {
      const missing = requiresProblem(opt, (n) => this.byName.has(n));
      if (missing) throw new RunError(missing, this.byName.get(name)!.range);
    }
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get(name: string): Option | undefined {
    return this.byName.get(name);
  }

  /** The option's argument terms ([] when absent or written without parentheses). */
  terms(name: string): Term[] {
    return this.byName.get(name)?.args ?? [];
  }

  /** A required option: its terms, or an error at the command. */
  required(name: string): Term[] {
    const o = this.byName.get(name);
    if (!o || !o.args || o.args.length === 0) throw new RunError(`${this.command.name} needs option ${name}()`, this.command.nameRange);
    return o.args;
  }

  /** A numeric argument, checked against the option's declared rule (`dflt` when absent). */
  number(name: string, dflt?: number): number | undefined {
    return this.numbers(name)?.[0] ?? dflt;
  }

  /** The numbers an option holds, checked against its declared rule (count, integer, bounds). */
  numbers(name: string): number[] | undefined {
    const o = this.byName.get(name);
    if (!o) return undefined;
    return valueOrThrow(parseNumbers(name, o.args ?? [], o.argsRange ?? o.range, ruleOf(this.specs.get(name)!)));
  }

  /** A keyword option (`method(dripw)`), checked against the table's word list; `dflt` when absent. */
  keyword(name: string, dflt?: string): string | undefined {
    const o = this.byName.get(name);
    const words = this.specs.get(name)?.keywords;
    if (!o || !words) return dflt;
    return valueOrThrow(parseKeyword(name, o.args ?? [], o.argsRange ?? o.range, words));
  }

  /** `vce(...)`, read as the checker reads it. */
  vce(): VceValue | undefined {
    const o = this.byName.get('vce');
    if (!o) return undefined;
    return valueOrThrow(parseVce(o.args ?? [], o.argsRange ?? o.range));
  }

  /** A text argument: a quoted string or the words written. */
  text(name: string): string | undefined {
    const o = this.byName.get(name);
    if (!o) return undefined;
    return (o.args ?? []).map(termText).join(' ');
  }

  range(name: string): Range {
    const o = this.byName.get(name);
    return o ? o.range : this.command.nameRange;
  }
}

/** Numbers in option arguments: `-4`, `3`, and `- 4` split by the lexer. */
export function termNumbers(terms: Term[], range: Range): number[] {
  const out: number[] = [];
  let neg = false;
  for (const t of terms) {
    if (t.kind === 'op' && t.op === '-') {
      neg = !neg;
      continue;
    }
    if (t.kind === 'op' && t.op === ',') continue;
    if (t.kind !== 'num') throw new RunError(`expected a number, found ${termText(t)}`, t.range ?? range);
    out.push(neg ? -t.value : t.value);
    neg = false;
  }
  return out;
}

/** Source-like text of a term, strings bare (option values such as title("...")). */
export function termText(t: Term): string {
  return sharedTermText(t);
}
