// Quick fixes: a diagnostic that carries replacement names (a misspelt variable, option, command,
// model or global) gets one "Change to X" action per candidate, the closest one preferred.
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from './lspApi';

interface FixData {
  replacements?: string[];
  kind?: string;
}

export function quickFixes(params: CodeActionParams): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    if (d.source !== 'panelspec') continue;
    const data = d.data as FixData | undefined;
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
