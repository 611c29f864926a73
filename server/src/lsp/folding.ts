// Folding: multi-line block comments, runs of two or more whole-line comments, and statements
// continued over several lines with `///`.
import { FoldingRangeKind, type FoldingRange } from './lspApi';
import type { DocAnalysis } from './documents';

export function foldingRanges(a: DocAnalysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  const lines = a.text.split(/\r\n|\n|\r/);
  // whole-line comment lines (only blanks before the comment, and not a `///` continuation tail)
  const commentLine = new Set<number>();
  for (const c of a.program.comments) {
    const text = a.text.slice(c.start.offset, c.end.offset);
    if (text.startsWith('///')) continue;
    if (c.end.line > c.start.line && text.startsWith('/*')) {
      out.push({ startLine: c.start.line, endLine: c.end.line, kind: FoldingRangeKind.Comment });
      continue;
    }
    if (/^\s*$/.test(lines[c.start.line]?.slice(0, c.start.character) ?? '')) for (let l = c.start.line; l <= c.end.line; l++) commentLine.add(l);
  }
  const sorted = [...commentLine].sort((x, y) => x - y);
  let runStart = -1;
  let prev = -2;
  for (const l of [...sorted, Infinity]) {
    if (l !== prev + 1) {
      if (runStart >= 0 && prev > runStart) out.push({ startLine: runStart, endLine: prev, kind: FoldingRangeKind.Comment });
      runStart = l;
    }
    prev = l;
  }
  for (const st of a.program.statements) if (st.range.end.line > st.range.start.line) out.push({ startLine: st.range.start.line, endLine: st.range.end.line, kind: FoldingRangeKind.Region });
  return out;
}
