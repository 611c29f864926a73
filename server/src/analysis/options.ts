// The options a command was given. A prefix like `placebo reps(500) units(50) seed(1):` writes its
// options without a comma, so the parser reads them as call terms of the body; they are options all
// the same for checks, hovers and highlighting.
import type { Command, Option } from '../../../grammar/src/ast';
import type { CommandInfo } from './commands';

export function commandOptions(cmd: Command, info: CommandInfo | undefined): Option[] {
  if (!info || info.body !== 'none' || cmd.body.kind !== 'terms') return cmd.options;
  const fromBody: Option[] = [];
  for (const t of cmd.body.terms) {
    // ritest's TREAT and _b[TREAT] are its expression, not options
    if (info.name === 'ritest' && ((t.kind === 'call' && (t.name === '_b' || t.name === '_se')) || (t.kind === 'var' && t === cmd.body.terms[0]))) continue;
    if (t.kind === 'call') fromBody.push({ name: t.name, nameRange: t.nameRange, range: t.range, args: t.args, argsRange: t.args.length ? { start: t.args[0].range.start, end: t.args[t.args.length - 1].range.end } : undefined });
    else if (t.kind === 'var' && !t.op) fromBody.push({ name: t.name, nameRange: t.nameRange, range: t.range });
  }
  return [...fromBody, ...cmd.options];
}
