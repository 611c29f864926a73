// Inlay hints (off by default, `panelspec.inlayHints.enabled`): the expansion after each `$global`
// use, the size of the data after `use`, and after a run the first coefficient at the end of each
// estimation line.
import { InlayHintKind, type InlayHint, type Range } from './lspApi';
import type { DocAnalysis } from './documents';
import type { ResultsStore } from './resultsStore';
import { fmt } from './completion';
import { DEFAULT_STARS, starsFor } from '../results/format';

export function inlayHints(a: DocAnalysis, range: Range, results: ResultsStore, levels: readonly number[] = DEFAULT_STARS): InlayHint[] {
  const out: InlayHint[] = [];
  a.program.statements.forEach((st, i) => {
    if (st.range.end.line < range.start.line || st.range.start.line > range.end.line) return;
    const scope = a.scope.before[i];
    for (const n of a.nodes(i)) {
      if (n.kind === 'global' && n.range !== (st.command.body.kind === 'global' ? st.command.body.nameRange : undefined)) {
        const g = scope.globals.get(n.name);
        if (g) out.push({ position: n.range.end, label: ` = ${g.text.length > 40 ? g.text.slice(0, 40) + '…' : g.text}`, kind: InlayHintKind.Parameter, paddingLeft: false });
      }
    }
    const u = a.scope.uses[i];
    if (u?.state.status === 'loaded') out.push({ position: st.range.end, label: `${u.state.profile.rows} × ${u.state.profile.columns.length}`, kind: InlayHintKind.Type, paddingLeft: true });
    const placed = results.at(a.uri, a.text, st.range.start.line, st.range.end.line);
    const r = placed && !placed.stale ? placed.result : undefined;
    if (r && r.kind === 'estimation') {
      const est = r;
      const c = est.coefficients[0];
      if (c) out.push({ position: st.range.end, label: `${c.term} ${fmt(c.estimate)}${starsFor(c.p, levels)} (${fmt(c.se)}) N=${est.nobs}`, kind: InlayHintKind.Type, paddingLeft: true });
    }
  });
  return out.map((h) => ({ ...h, position: { line: (h.position as { line: number }).line, character: (h.position as { character: number }).character } }));
}
