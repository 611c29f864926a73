// The analysis' view of the grammar's command registry (grammar/src/commands.ts): for each command,
// how its body is read (a varlist, an estimation's DEPVAR VARLIST, a file, model names...) and how
// each option's arguments are checked. Names, abbreviations, syntax and docs come from the registry.
import {
  allCommands,
  resolveCommand,
  resolveOption,
  ArgKind as GArg,
  BodyKind,
  type CommandSpec,
  type OptionSpec,
} from '../../../grammar/src/commands';

/** How an option's parenthesised arguments are checked. */
export type ArgKind = 'none' | 'optional' | 'varlist' | 'newvar' | 'number' | 'numbers' | 'string' | 'vce' | 'names' | 'any';

/** How a command's body (between the name and `if`/`,`) is read. */
export type BodyRole =
  | 'estimation' // DEPVAR VARLIST, numeric
  | 'varlist' // existing variables
  | 'path' // a data file
  | 'models' // stored model names (esttab, coefplot)
  | 'gen' // NEW = EXPR (gen, replace)
  | 'egen' // NEW = FUNC(ARGS)
  | 'define' // NEW = VARLIST (entropy)
  | 'global' // NAME WORDS
  | 'label' // var VAR "TEXT"
  | 'rename' // OLD NEW
  | 'export' // delimited "FILE" [VARLIST]
  | 'name' // a name (eststo prefix)
  | 'none' // nothing but options (placebo prefix)
  | 'free'; // anything (set seed 1)

export interface OptionInfo {
  name: string;
  args: ArgKind;
  required?: boolean;
  minArgs?: number;
  maxArgs?: number;
  integer?: boolean;
  positive?: boolean;
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

function bodyRole(c: CommandSpec): BodyRole {
  if (c.isEstimation) return 'estimation';
  switch (c.body) {
    case BodyKind.Gen:
      return 'gen';
    case BodyKind.Egen:
      return 'egen';
    case BodyKind.Define:
      return 'define';
    case BodyKind.Global:
      return 'global';
    default:
      break;
  }
  switch (c.name) {
    case 'use':
      return 'path';
    case 'esttab':
    case 'coefplot':
      return 'models';
    case 'eststo':
      return 'name';
    case 'placebo':
    case 'quietly':
      return 'none';
    case 'label':
      return 'label';
    case 'rename':
      return 'rename';
    case 'export':
      return 'export';
    case 'set':
    case 'log': // log using "FILE" / log close
    case 'help': // help COMMAND: a command name, not a variable
    case 'graph': // graph export "FILE.svg": the runtime checks the subcommand and the file
      return 'free';
    default:
      return 'varlist';
  }
}

function optionInfoOf(cmd: CommandSpec, o: OptionSpec): OptionInfo {
  const base = { name: o.name, required: o.required, doc: o.doc, spec: o };
  // esttab's and coefplot's keep()/drop()/order() name coefficients, not dataset variables (`_cons`, `fit_x`).
  if ((cmd.name === 'esttab' || cmd.name === 'coefplot') && o.arg === GArg.Varlist) return { ...base, args: 'names' };
  // esttab's b()/se()/star()/r2/mtitles... may be written bare; their arguments are formats, star
  // levels, statistic names: the checker reads them with the runtime's reader (results/esttabSpec.ts)
  if (cmd.name === 'esttab' && (o.arg === GArg.Any || o.arg === GArg.Strings)) return { ...base, args: 'optional' };
  // coefplot's xline()/yline(): positions on an axis, one or more numbers.
  if (cmd.name === 'coefplot' && (o.name === 'xline' || o.name === 'yline')) return { ...base, args: 'numbers', minArgs: 1 };
  switch (o.arg) {
    case GArg.None:
      return { ...base, args: 'none' };
    case GArg.Varlist:
    case GArg.FeList:
      return { ...base, args: 'varlist' };
    case GArg.Var:
      return { ...base, args: 'varlist', maxArgs: 1 };
    case GArg.NewVar:
      return { ...base, args: 'newvar' };
    case GArg.Integer:
      return { ...base, args: 'number', integer: true, positive: o.name === 'reps' || o.name === 'units' || o.name === 'neighbors' };
    case GArg.Number:
      return { ...base, args: 'number', positive: o.name === 'caliper' };
    case GArg.Window:
      return { ...base, args: 'numbers', minArgs: 2, maxArgs: 2, integer: true };
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
      body: bodyRole(c),
      syntax: c.syntax,
      doc: c.doc,
      options: c.options.map((o) => optionInfoOf(c, o)),
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
