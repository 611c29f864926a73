// The analysis' view of the grammar's command registry (grammar/src/commands.ts): each command's
// body role and how each option's arguments are checked, both read off the table's declared fields.
import {
  allCommands,
  resolveCommand,
  resolveOption,
  ArgKind as GArg,
  type BodyRole,
  type CommandSpec,
  type OptionSpec,
} from '../../../grammar/src/commands';
import type { NumberRule } from '../../../grammar/src/optionValues';

/** How an option's parenthesised arguments are checked. */
export type ArgKind = 'none' | 'optional' | 'varlist' | 'newvar' | 'numbers' | 'string' | 'vce' | 'names' | 'any';

export type { BodyRole };

export interface OptionInfo {
  name: string;
  args: ArgKind;
  required?: boolean;
  /** For 'numbers': how many and which (the table's rule, the runtime's too). */
  rule?: NumberRule;
  /** For 'varlist': at most this many variables (`treat(VAR)`). */
  maxVars?: number;
  doc: string;
  spec: OptionSpec;
}

export interface CommandInfo {
  name: string; // canonical
  aliases: string[];
  abbrev: string;
  prefix: boolean;
  isEstimation: boolean;
  body: BodyRole;
  syntax: string;
  doc: string;
  options: OptionInfo[];
  spec: CommandSpec;
}

/** The rule a number-valued option is checked by when the table gives none. */
function defaultRule(o: OptionSpec): NumberRule {
  return o.arg === GArg.Integer ? { integer: true } : o.arg === GArg.Window ? { count: [2, 2], integer: true } : {};
}

function optionInfoOf(o: OptionSpec): OptionInfo {
  const base = { name: o.name, required: o.required, doc: o.doc, spec: o };
  if (o.optionalArgs) return { ...base, args: 'optional' };
  switch (o.arg) {
    case GArg.None:
      return { ...base, args: 'none' };
    case GArg.Varlist:
    case GArg.FeList:
      return { ...base, args: 'varlist' };
    case GArg.Var:
      return { ...base, args: 'varlist', maxVars: 1 };
    case GArg.NewVar:
      return { ...base, args: 'newvar' };
    case GArg.Integer:
    case GArg.Number:
    case GArg.Window:
      return { ...base, args: 'numbers', rule: o.rule ?? defaultRule(o) };
    case GArg.String:
      return { ...base, args: 'string' };
    case GArg.VceSpec:
      return { ...base, args: 'vce' };
    case GArg.Names:
      return { ...base, args: 'names' };
    default:
      return { ...base, args: 'any' };
  }
}

const infos = new Map<CommandSpec, CommandInfo>();
function infoOf(c: CommandSpec): CommandInfo {
  let i = infos.get(c);
  if (!i) {
    i = {
      name: c.name,
      aliases: c.aliases ?? [],
      abbrev: c.abbrev,
      prefix: c.prefix,
      isEstimation: c.isEstimation,
      body: c.role,
      syntax: c.syntax,
      doc: c.doc,
      options: c.options.map(optionInfoOf),
      spec: c,
    };
    infos.set(c, i);
  }
  return i;
}

/** The command a written name stands for (full name, alias or Stata abbreviation), if any. */
export function commandInfo(written: string): CommandInfo | undefined {
  const c = resolveCommand(written);
  return c ? infoOf(c) : undefined;
}

export function canonicalCommand(written: string): string | undefined {
  return resolveCommand(written)?.name;
}

export function allCommandInfos(): CommandInfo[] {
  return allCommands().map(infoOf);
}

/** The option a written name stands for (full, alias or abbreviation). */
export function optionInfo(cmd: CommandInfo, written: string): OptionInfo | undefined {
  const o = resolveOption(cmd.spec, written);
  return o ? cmd.options.find((x) => x.spec === o) : undefined;
}
