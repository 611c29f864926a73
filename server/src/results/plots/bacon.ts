// Goodman-Bacon plot: each 2x2 comparison's estimate against its weight, one marker shape per
// comparison type (as bacondecomp's and Stata's bacondecomp graphs), the TWFE estimate as a dashed line.

import type { BaconResultJson } from '../types';
import { ResultsError } from '../errors';
import { formatNumber } from '../format';
import { type PlotOptions, cartesianAxes, esc, fmt, linearScale, niceTicks, palette, svgOpen } from './svg';

const TYPES = ['Treated vs Untreated', 'Earlier vs Later Treated', 'Later vs Earlier Treated', 'Later vs Always Treated'] as const;

/** A marker of type index t at (cx, cy): circle, triangle, square, diamond (distinct in black and white). */
function marker(t: number, cx: number, cy: number, stroke: string, fill: string, title?: string): string {
  const r = 5;
  const a = `class="ps-point" stroke="${stroke}" stroke-width="1.5" fill="${fill}"`;
  const inner = title ? `<title>${esc(title)}</title>` : '';
  switch (t) {
    case 0:
      return `<circle cx="${fmt(cx)}" cy="${fmt(cy)}" r="${r}" ${a}>${inner}</circle>`;
    case 1:
      return `<path d="M${fmt(cx)} ${fmt(cy - r - 1)} L${fmt(cx + r + 1)} ${fmt(cy + r)} L${fmt(cx - r - 1)} ${fmt(cy + r)} Z" ${a}>${inner}</path>`;
    case 2:
      return `<rect x="${fmt(cx - r)}" y="${fmt(cy - r)}" width="${2 * r}" height="${2 * r}" ${a}>${inner}</rect>`;
    default:
      return `<path d="M${fmt(cx)} ${fmt(cy - r - 1)} L${fmt(cx + r + 1)} ${fmt(cy)} L${fmt(cx)} ${fmt(cy + r + 1)} L${fmt(cx - r - 1)} ${fmt(cy)} Z" ${a}>${inner}</path>`;
  }
}

function comparisonLabel(p: BaconResultJson['two_by_twos'][number]): string {
  const u = p.untreated === null ? 'never treated' : p.untreated === 'always' ? 'always treated' : `cohort ${p.untreated}`;
  return `cohort ${p.treated} vs ${u}`;
}

export function baconSvg(result: BaconResultJson, opts: PlotOptions = {}): string {
  const pairs = result.two_by_twos.filter((p) => Number.isFinite(p.estimate) && Number.isFinite(p.weight));
  if (!pairs.length) throw new ResultsError(`no 2x2 comparisons to plot${result.line ? ` (line ${result.line})` : ''}`);
  const pal = palette(opts.standalone);
  const W = opts.width ?? 640;
  const H = opts.height ?? 420;
  const d = opts.decimals ?? 4;
  const present = TYPES.map((t, i) => ({ t, i })).filter(({ t }) => pairs.some((p) => p.type === t));
  const caption = opts.caption === false ? '' : `TWFE estimate ${formatNumber(result.twfe, d)} = weighted sum of ${pairs.length} 2x2 estimates`;
  const m = { left: 64, right: 20, top: (opts.title ? 36 : 16) + 18 * present.length, bottom: 48 + (caption ? 22 : 0) };

  const ests = pairs.map((p) => p.estimate);
  const xt = niceTicks(0, Math.max(...pairs.map((p) => p.weight)), 5);
  const yt = niceTicks(Math.min(...ests, result.twfe, 0), Math.max(...ests, result.twfe, 0), 6);
  const x = linearScale(xt.lo, xt.hi, m.left, W - m.right);
  const y = linearScale(yt.lo, yt.hi, H - m.bottom, m.top);

  const out = svgOpen(W, H, opts, 'ps-bacon', opts.title ?? 'Goodman-Bacon decomposition', pal);
  if (opts.title) out.push(`<text class="ps-title" x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(opts.title)}</text>`);

  out.push('<g class="ps-axes">');
  cartesianAxes(out, W, H, m, xt.ticks, yt.ticks, x, y, pal);
  out.push(`<text x="${fmt((m.left + W - m.right) / 2)}" y="${fmt(H - m.bottom + 36)}" text-anchor="middle">Weight</text>`);
  out.push(`<text transform="translate(16 ${fmt((m.top + H - m.bottom) / 2)}) rotate(-90)" text-anchor="middle">2x2 DD estimate</text>`);
  out.push('</g>');

  // zero and the TWFE estimate
  out.push(`<line class="ps-zero" x1="${m.left}" y1="${fmt(y(0))}" x2="${W - m.right}" y2="${fmt(y(0))}" stroke="${pal.muted}" stroke-width="1"/>`);
  out.push(`<line class="ps-twfe" x1="${m.left}" y1="${fmt(y(result.twfe))}" x2="${W - m.right}" y2="${fmt(y(result.twfe))}" stroke="${pal.accent}" stroke-width="1.5" stroke-dasharray="6 3"><title>TWFE estimate ${esc(formatNumber(result.twfe, d))}</title></line>`);

  out.push('<g class="ps-points">');
  for (const p of pairs) {
    const t = TYPES.indexOf(p.type);
    const fill = t % 2 === 0 ? (pal.background ?? 'none') : pal.accent;
    out.push(marker(t, x(p.weight), y(p.estimate), pal.accent, fill, `${comparisonLabel(p)} (${p.type}): estimate ${formatNumber(p.estimate, d)}, weight ${formatNumber(p.weight, d)}`));
  }
  out.push('</g>');

  // legend above the plot area
  out.push('<g class="ps-legend">');
  present.forEach(({ t, i }, j) => {
    const ly = (opts.title ? 36 : 16) + 18 * j;
    const fill = i % 2 === 0 ? (pal.background ?? 'none') : pal.accent;
    out.push(marker(i, m.left + 8, ly, pal.accent, fill));
    out.push(`<text x="${m.left + 20}" y="${ly + 4}">${esc(t)}</text>`);
  });
  out.push('</g>');
  if (caption) out.push(`<text class="ps-caption" x="${m.left}" y="${H - 8}" font-size="11">${esc(caption)}</text>`);
  out.push('</svg>');
  return out.join('\n');
}
