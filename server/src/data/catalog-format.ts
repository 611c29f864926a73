// Text for the language server's hover and completion details, built from catalog profiles.
import type { ColumnProfile, PanelShape } from './catalog';

const BARS = '▁▂▃▄▅▆▇█';

/** One character per histogram bin, scaled to the fullest bin. */
export function sparkline(counts: ArrayLike<number>): string {
  let max = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > max) max = counts[i];
  let s = '';
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    s += c === 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.floor((c / max) * (BARS.length - 1) + 0.5))];
  }
  return s;
}

/** A number the way a summary table shows it: up to 6 significant digits, no trailing zeros. */
export function fmtNum(x: number): string {
  if (Number.isNaN(x)) return '.';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x); // no grouping: years read as 2004
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e15)) return x.toExponential(3);
  return String(Number(x.toPrecision(6)));
}

/** One line for completion lists: `numeric, 2,500 obs, 0 missing`. */
export function profileDetail(p: ColumnProfile): string {
  const kind = p.kind === 'numeric' ? (p.isInteger ? 'numeric (integer)' : 'numeric') : 'string';
  return `${kind}, ${fmtNum(p.n)} obs, ${fmtNum(p.missing)} missing${p.label ? ` — ${p.label}` : ''}`;
}

/** Markdown for hovering over a variable name. */
export function profileMarkdown(p: ColumnProfile): string {
  const lines: string[] = [];
  lines.push(`**${p.name}** · ${p.kind === 'numeric' ? (p.isInteger ? 'numeric (integer)' : 'numeric') : 'string'}${p.label ? ` — ${p.label}` : ''}`);
  if (p.renamedFrom !== undefined) lines.push(`renamed from \`${p.renamedFrom}\` in the data file`);
  lines.push(`n = ${fmtNum(p.n)} · missing ${fmtNum(p.missing)}`);
  if (p.kind === 'numeric') {
    if (p.n > 0) lines.push(`mean ${fmtNum(p.mean)} · sd ${fmtNum(p.sd)} · min ${fmtNum(p.min)} · max ${fmtNum(p.max)}`);
    if (p.histogram) lines.push('`' + sparkline(p.histogram.counts) + '`');
    if (p.valueLabels?.length) {
      const shown = p.valueLabels.slice(0, 8).map(([v, s]) => `${v} = ${s}`).join(', ');
      lines.push(`value labels: ${shown}${p.valueLabels.length > 8 ? ', …' : ''}`);
    }
  } else {
    lines.push(`${fmtNum(p.distinct)} distinct values`);
    if (p.top.length) lines.push('most frequent: ' + p.top.map((t) => `"${t.value}" (${fmtNum(t.count)})`).join(', '));
  }
  return lines.join('\n\n');
}

/** `285 units × 18 periods (2003–2020), balanced`. */
export function panelSummary(s: PanelShape): string {
  const parts = [`${fmtNum(s.units)} units × ${fmtNum(s.periods)} periods`];
  if (s.periods) parts[0] += ` (${fmtNum(s.minTime)}–${fmtNum(s.maxTime)}${s.delta !== 1 ? `, step ${fmtNum(s.delta)}` : ''})`;
  const notes: string[] = [s.balanced ? 'balanced' : 'unbalanced'];
  if (s.gaps) notes.push(`${fmtNum(s.gaps)} gap${s.gaps > 1 ? 's' : ''}`);
  if (s.duplicates) notes.push(`${fmtNum(s.duplicates)} duplicate ${s.unitVar}×${s.timeVar} row${s.duplicates > 1 ? 's' : ''}`);
  if (s.missingKeys) notes.push(`${fmtNum(s.missingKeys)} row${s.missingKeys > 1 ? 's' : ''} with missing ${s.unitVar} or ${s.timeVar}`);
  return `${parts[0]}, ${notes.join(', ')}`;
}
