// "▶ Run" over every estimation, placebo and esttab statement (runs the file up to that statement
// and shows its result) and "▶ Run file" on the first line.
import { Commands } from '../protocol';
import type { CodeLens } from './lspApi';
import type { DocAnalysis } from './documents';
import { commandInfo } from '../analysis/commands';
import { toRange } from './convert';

export const RUN_LINE_COMMAND = Commands.runLine;
export const RUN_FILE_COMMAND = Commands.runFile;

export function isRunnable(st: DocAnalysis['program']['statements'][number]): boolean {
  const info = commandInfo(st.command.name);
  if (info?.isEstimation || info?.name === 'esttab' || info?.name === 'coefplot') return true;
  return st.prefixes.some((p) => commandInfo(p.name)?.name === 'placebo');
}

export function codeLenses(a: DocAnalysis): CodeLens[] {
  const lenses: CodeLens[] = [];
  if (a.program.statements.length)
    lenses.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, command: { title: '▶ Run file', command: RUN_FILE_COMMAND, arguments: [{ uri: a.uri }] } });
  for (const st of a.program.statements) {
    if (!isRunnable(st)) continue;
    const line = st.range.start.line;
    lenses.push({ range: toRange(st.range), command: { title: '▶ Run', command: RUN_LINE_COMMAND, arguments: [{ uri: a.uri, line }] } });
  }
  return lenses;
}
