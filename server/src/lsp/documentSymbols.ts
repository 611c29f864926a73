// Outline: the data loaded by `use`, xtset, globals, and every model (eststo name, else the command
// and its dependent variable).
import { SymbolKind, type DocumentSymbol, type Range } from './lspApi';
import type { DocAnalysis } from './documents';
import { commandInfo } from '../analysis/commands';
import { eststoName, usePath } from '../analysis/scope';
import { termText } from '../analysis/check';
import { toRange } from './convert';

export function documentSymbols(a: DocAnalysis): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const st of a.program.statements) {
    const cmd = st.command;
    const info = commandInfo(cmd.name);
    const range = toRange(st.range);
    if (info?.name === 'use') {
      const p = usePath(cmd);
      // `use ""` (the editor auto-closes the quote) has an empty path: VS Code rejects an empty name
      if (p) out.push({ name: p.written.trim() || 'use ""', detail: 'use', kind: SymbolKind.File, range, selectionRange: toRange(p.range) });
    } else if (info?.name === 'global' && cmd.body.kind === 'global') {
      out.push({ name: `$${cmd.body.name}`, detail: cmd.body.text, kind: SymbolKind.Constant, range, selectionRange: toRange(cmd.body.nameRange) });
    } else if (info?.name === 'xtset' && cmd.body.kind === 'terms') {
      out.push({ name: `xtset ${cmd.body.terms.map(termText).join(' ')}`.trim(), kind: SymbolKind.Namespace, range, selectionRange: toRange(cmd.nameRange) });
    } else if (info?.isEstimation) {
      const stored = eststoName(st);
      const depvar = cmd.body.kind === 'terms' ? cmd.body.terms.find((t) => t.kind === 'var') : undefined;
      const what = `${info.name}${depvar ? ' ' + termText(depvar) : ''}`;
      const placebo = st.prefixes.some((p) => commandInfo(p.name)?.name === 'placebo');
      out.push({
        name: stored ? stored.name : what,
        detail: (placebo ? 'placebo: ' : '') + (stored ? what : `line ${st.range.start.line + 1}`),
        kind: stored ? SymbolKind.Class : SymbolKind.Function,
        range,
        selectionRange: toRange(stored ? stored.range : cmd.nameRange),
      });
    } else if (info?.name === 'esttab') {
      out.push({ name: 'esttab', detail: cmd.body.kind === 'terms' ? cmd.body.terms.map(termText).join(' ') : '', kind: SymbolKind.Array, range, selectionRange: toRange(cmd.nameRange) });
    }
  }
  // VS Code throws on an empty name or a selection range outside the range (an error notification
  // while the user types): drop whatever a half-typed statement produced that breaks either rule
  return out.filter((s) => s.name.trim() !== '' && contains(s.range, s.selectionRange));
}

function contains(outer: Range, inner: Range): boolean {
  const le = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}
