// Typed access to a command's options: Stata-style abbreviations (`cl` for cluster, `d` for detail)
// are resolved through the grammar's command registry, and unknown options are rejected with the
// option's own source range. Handlers ask for options by their canonical (registry) name.
import { termText as sharedTermText } from '../../../grammar/src/termText';
import type { Command, Option, Range, Term } from '../../../grammar/src/ast';
import { resolveCommand, resolveOption, type CommandSpec } from '../../../grammar/src/commands';
import { RunError } from './errors';

export class Options {
  private readonly byName = new Map<string, Option>();

  /** `spec` defaults to the registry entry of the command's name. */
  constructor(
    readonly command: Command,
    spec: CommandSpec | undefined = resolveCommand(command.name.toLowerCase()),
  ) {
    for (const o of command.options) {
      const opt = spec ? resolveOption(spec, o.name.toLowerCase()) : undefined;
      if (!opt) throw new RunError(`option ${o.name}() not allowed with ${command.name}`, o.nameRange);
      if (this.byName.has(opt.name)) throw new RunError(`option ${opt.name}() given twice`, o.nameRange);
      this.byName.set(opt.name, o);
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

  /** A numeric argument (a single number, possibly negative). */
  number(name: string, dflt?: number): number | undefined {
    const o = this.byName.get(name);
    if (!o) return dflt;
    const nums = termNumbers(o.args ?? [], o.argsRange ?? o.range);
    if (nums.length !== 1) throw new RunError(`${name}() needs one number`, o.argsRange ?? o.range);
    return nums[0];
  }

  numbers(name: string): number[] | undefined {
    const o = this.byName.get(name);
    if (!o) return undefined;
    return termNumbers(o.args ?? [], o.argsRange ?? o.range);
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
