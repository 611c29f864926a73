// Placebo plot: histogram of the placebo estimates with the actual estimate as a vertical line
// and the permutation p-value in the caption.

import type { PlaceboResult, RitestResult } from '../types';
import { ResultsError } from '../errors';
import { formatNumber, pEquals } from '../format';
import { type PlotOptions, cartesianAxes, esc, fmt, linearScale, niceTicks, palette, svgOpen } from './svg';

export interface PlaceboPlotOptions extends PlotOptions {
  bins?: number;
}

export interface Histogram {
  lo: number;
  width: number;
  counts: number[];
}

/** Equal-width bins over [lo, hi]; the last bin is closed so the maximum is counted. */
export function histogram(values: number[], bins: number, lo: number, hi: number): Histogram {
  const n = Math.max(1, Math.floor(bins));
  const width = (hi - lo) / n || 1;
  const counts = new Array<number>(n).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const i = Math.min(n - 1, Math.max(0, Math.floor((v - lo) / width)));
    counts[i]++;
  }
  return { lo, width, counts };
}

/** The default bin count: about sqrt(n), between 10 and 40. */
export function defaultBins(n: number): number {
  return Math.min(40, Math.max(10, Math.ceil(Math.sqrt(n))));
}

/** A ritest result in the shape the placebo histogram draws (its draws are permutation estimates). */
export function ritestAsPlacebo(r: RitestResult): PlaceboResult {
  return { kind: 'placebo', line: r.line, reps: r.reps, draws: r.draws, actual: r.actual, mean: r.mean, sd: r.sd, p_value: r.p_value, seconds: r.seconds, noun: 'permutation draws' };
}

export function placeboSvg(result: PlaceboResult, opts: PlaceboPlotOptions = {}): string {
  const draws = result.draws.filter(Number.isFinite);
  if (!draws.length) throw new ResultsError(`no placebo draws to plot${result.line ? ` (line ${result.line})` : ''}`);
  const pal = palette(opts.standalone);
  const W = opts.width ?? 640;
  const H = opts.height ?? 400;
  const d = opts.decimals ?? 4;
  const caption =
    opts.caption === false
      ? ''
      : `${draws.length} ${typeof result.noun === 'string' ? result.noun : 'placebo draws'}: mean ${formatNumber(result.mean, d)}, SD ${formatNumber(result.sd, d)}; actual ${formatNumber(result.actual, d)}; ${pEquals(result.p_value)}`;
  const m = { left: 56, right: 20, top: opts.title ? 36 : 16, bottom: 48 + (caption ? 22 : 0) };

  let lo = Math.min(...draws);
  let hi = Math.max(...draws);
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 0.5;
    lo -= pad;
    hi += pad;
  }
  const h = histogram(draws, opts.bins ?? defaultBins(draws.length), lo, hi);
  const actual = Number.isFinite(result.actual) ? result.actual : undefined;
  const xt = niceTicks(Math.min(lo, actual ?? lo), Math.max(hi, actual ?? hi), 6);
  const yt = niceTicks(0, Math.max(...h.counts), 5);
  const x = linearScale(xt.lo, xt.hi, m.left, W - m.right);
  const y = linearScale(0, yt.hi, H - m.bottom, m.top);

  const out = svgOpen(W, H, opts, 'ps-placebo', opts.title ?? 'Placebo estimates', pal);
  if (opts.title) out.push(`<text class="ps-title" x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(opts.title)}</text>`);

  out.push('<g class="ps-bars">');
  h.counts.forEach((c, i) => {
    const x0 = x(h.lo + i * h.width);
    const x1 = x(h.lo + (i + 1) * h.width);
    out.push(`<rect class="ps-bar" x="${fmt(x0)}" y="${fmt(y(c))}" width="${fmt(Math.max(0, x1 - x0 - 1))}" height="${fmt(y(0) - y(c))}" fill="${pal.muted}" fill-opacity="${pal.background ? 0.55 : 0.45}"><title>${c} draws in [${esc(formatNumber(h.lo + i * h.width, d))}, ${esc(formatNumber(h.lo + (i + 1) * h.width, d))})</title></rect>`);
  });
  out.push('</g>');

  out.push('<g class="ps-axes">');
  cartesianAxes(out, W, H, m, xt.ticks, yt.ticks, x, y, pal);
  out.push(`<text x="${fmt((m.left + W - m.right) / 2)}" y="${fmt(H - m.bottom + 36)}" text-anchor="middle">Placebo estimate</text>`);
  out.push(`<text transform="translate(16 ${fmt((m.top + H - m.bottom) / 2)}) rotate(-90)" text-anchor="middle">Frequency</text>`);
  out.push('</g>');

  if (actual !== undefined) {
    const ax = fmt(x(actual));
    out.push(`<line class="ps-actual" x1="${ax}" y1="${m.top}" x2="${ax}" y2="${fmt(H - m.bottom)}" stroke="${pal.accent}" stroke-width="2" stroke-dasharray="6 3"/>`);
    const anchor = x(actual) > W - m.right - 90 ? 'end' : 'start';
    const dx = anchor === 'end' ? -4 : 4;
    out.push(`<text class="ps-actual-label" x="${fmt(x(actual) + dx)}" y="${m.top + 12}" text-anchor="${anchor}" fill="${pal.accent}">actual = ${esc(formatNumber(actual, d))}</text>`);
  }
  if (caption) out.push(`<text class="ps-caption" x="${m.left}" y="${H - 8}" font-size="11">${esc(caption)}</text>`);
  out.push('</svg>');
  return out.join('\n');
}
