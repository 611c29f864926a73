// Quick fixes: a diagnostic that carries replacement names (a misspelt variable, option, command,
// model or global) gets one "Change to X" action per candidate, the closest one preferred; the
// staggered-adoption note on a TWFE line (twfeWarning.ts) gets "Add the csdid estimate below".
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from './lspApi';

interface FixData {
  replacements?: string[];
  kind?: string;
  /** kind 'csdid': the text to insert and where */
  at?: { line: number; character: number };
  text?: string;
}

export function quickFixes(params: CodeActionParams): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    if (d.source !== 'panelspec') continue;
    const data = d.data as FixData | undefined;
    if (data?.kind === 'csdid' && data.at && typeof data.text === 'string') {
      out.push({
        title: "Add the Callaway-Sant'Anna estimate (csdid) below",
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: { changes: { [params.textDocument.uri]: [{ range: { start: data.at, end: data.at }, newText: data.text }] } },
      });
      continue;
    }
    const reps = data?.replacements ?? [];
    reps.forEach((r, i) => out.push(fix(params.textDocument.uri, d, r, i === 0)));
  }
  return out;
}

function fix(uri: string, d: Diagnostic, replacement: string, preferred: boolean): CodeAction {
  return {
    title: `Change to \`${replacement}\``,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    isPreferred: preferred,
    edit: { changes: { [uri]: [{ range: d.range, newText: replacement }] } },
  };
}
