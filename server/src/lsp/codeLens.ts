// "▶ Run" over every estimation, placebo and esttab statement (runs the file up to that statement
// and shows its result) and "▶ Run file" on the first line.
import { Commands } from '../protocol';
import type { CodeLens } from './lspApi';
import type { DocAnalysis } from './documents';
import { resolveCommand } from '../../../grammar/src/commands';
import { toRange } from './convert';

export const RUN_LINE_COMMAND = Commands.runLine;
export const RUN_FILE_COMMAND = Commands.runFile;
export const DATA_VIEWER_COMMAND = Commands.openDataViewer;
export const HELP_COMMAND = Commands.help;

export function isRunnable(st: DocAnalysis['program']['statements'][number]): boolean {
  const spec = resolveCommand(st.command.name);
  if (spec?.isEstimation || spec?.lens) return true;
  return st.prefixes.some((p) => resolveCommand(p.name)?.prefixRole === 'resample');
}

export function codeLenses(a: DocAnalysis): CodeLens[] {
  const lenses: CodeLens[] = [];
  if (a.program.statements.length)
    lenses.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, command: { title: '▶ Run file', command: RUN_FILE_COMMAND, arguments: [{ uri: a.uri }] } });
  for (const st of a.program.statements) {
    const line = st.range.start.line;
    // `help COMMAND`: its help page
    if (resolveCommand(st.command.name)?.name === 'help') {
      const target = st.command.body.kind === 'terms' ? st.command.body.terms[0] : undefined;
      const name = target?.kind === 'var' ? target.name : undefined;
      if (name) lenses.push({ range: toRange(st.range), command: { title: `? help ${name}`, command: HELP_COMMAND, arguments: [name] } });
      continue;
    }
    // Stata's `browse`: the data viewer on the data as they are at this line
    if (resolveCommand(st.command.name)?.name === 'browse') {
      lenses.push({ range: toRange(st.range), command: { title: '▶ Browse', command: DATA_VIEWER_COMMAND, arguments: [{ uri: a.uri }, line] } });
      continue;
    }
    if (!isRunnable(st)) continue;
    lenses.push({ range: toRange(st.range), command: { title: '▶ Run', command: RUN_LINE_COMMAND, arguments: [{ uri: a.uri, line }] } });
  }
  return lenses;
}
