// Event-study plot: coefficient by event time with 95% intervals, the reference period marked
// (hollow point), a zero line, a dashed vertical line between k = -1 and k = 0, and the
// pre-trend test as the caption.

import type { EstimationResult, PretrendTest } from '../types';
import { formatNumber, pEquals } from '../format';
import { ResultsError } from '../errors';
import { type PlotOptions, esc, fmt, linearScale, niceTicks, palette, svgOpen, tickLabel } from './svg';

export function eventStudySvg(result: EstimationResult, opts: PlotOptions = {}): string {
  const et = (result.event_time ?? []).filter((e) => Number.isFinite(e.k) && Number.isFinite(e.estimate));
  if (!et.length) throw new ResultsError(`no event-time estimates to plot${result.line ? ` (line ${result.line})` : ''}`);
  const pal = palette(opts.standalone);
  const W = opts.width ?? 640;
  const H = opts.height ?? 400;
  const caption = opts.caption !== false && result.pretrend_test ? pretrendText(result.pretrend_test) : '';
  const m = { left: 64, right: 20, top: opts.title ? 36 : 16, bottom: 48 + (caption ? 22 : 0) };

  const ks = et.map((e) => e.k);
  const kmin = Math.min(...ks);
  const kmax = Math.max(...ks);
  const lows = et.map((e) => (Number.isFinite(e.ci_low) ? e.ci_low : e.estimate));
  const highs = et.map((e) => (Number.isFinite(e.ci_high) ? e.ci_high : e.estimate));
  const yt = niceTicks(Math.min(0, ...lows), Math.max(0, ...highs), 6);
  const x = linearScale(kmin - 0.5, kmax + 0.5, m.left, W - m.right);
  const y = linearScale(yt.lo, yt.hi, H - m.bottom, m.top);
  const refK = typeof result.ref === 'number' ? result.ref : et.find((e) => e.se === 0 && e.estimate === 0)?.k;

  const out = svgOpen(W, H, opts, 'ps-event-study', opts.title ?? `Event study: ${result.depvar}`, pal);
  if (opts.title) out.push(`<text class="ps-title" x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(opts.title)}</text>`);

  // Axes, ticks, grid.
  out.push('<g class="ps-axes">');
  out.push(`<line x1="${m.left}" y1="${fmt(H - m.bottom)}" x2="${W - m.right}" y2="${fmt(H - m.bottom)}" stroke="${pal.fg}"/>`);
  out.push(`<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${fmt(H - m.bottom)}" stroke="${pal.fg}"/>`);
  const kStep = Math.max(1, Math.ceil((kmax - kmin + 1) / 20));
  for (let k = kmin; k <= kmax; k += kStep) {
    out.push(`<line x1="${fmt(x(k))}" y1="${fmt(H - m.bottom)}" x2="${fmt(x(k))}" y2="${fmt(H - m.bottom + 5)}" stroke="${pal.fg}"/>`);
    out.push(`<text x="${fmt(x(k))}" y="${fmt(H - m.bottom + 18)}" text-anchor="middle">${k < 0 ? '−' + -k : k}</text>`);
  }
  for (const v of yt.ticks) {
    out.push(`<line x1="${m.left - 5}" y1="${fmt(y(v))}" x2="${m.left}" y2="${fmt(y(v))}" stroke="${pal.fg}"/>`);
    out.push(`<text x="${m.left - 8}" y="${fmt(y(v) + 4)}" text-anchor="end">${esc(tickLabel(v, yt.ticks))}</text>`);
  }
  out.push(`<text x="${fmt((m.left + W - m.right) / 2)}" y="${fmt(H - m.bottom + 36)}" text-anchor="middle">Event time (k)</text>`);
  out.push(`<text transform="translate(16 ${fmt((m.top + H - m.bottom) / 2)}) rotate(-90)" text-anchor="middle">Estimate and ${result.level ?? 95}% CI</text>`);
  out.push('</g>');

  // Reference lines: zero, and the adoption boundary just before k = 0.
  out.push(`<line class="ps-zero" x1="${m.left}" y1="${fmt(y(0))}" x2="${W - m.right}" y2="${fmt(y(0))}" stroke="${pal.muted}" stroke-opacity="0.6" stroke-dasharray="4 3"/>`);
  if (kmin <= -1 && kmax >= 0) {
    out.push(`<line class="ps-adoption" x1="${fmt(x(-0.5))}" y1="${m.top}" x2="${fmt(x(-0.5))}" y2="${fmt(H - m.bottom)}" stroke="${pal.muted}" stroke-opacity="0.6" stroke-dasharray="2 3"/>`);
  }

  // Intervals, then points on top.
  out.push('<g class="ps-intervals">');
  for (let i = 0; i < et.length; i++) {
    const e = et[i];
    if (e.k === refK || !(highs[i] > lows[i])) continue;
    const cx = fmt(x(e.k));
    out.push(`<line class="ps-ci" x1="${cx}" y1="${fmt(y(lows[i]))}" x2="${cx}" y2="${fmt(y(highs[i]))}" stroke="${pal.accent}" stroke-width="1.5"/>`);
    for (const v of [lows[i], highs[i]]) out.push(`<line class="ps-ci" x1="${fmt(x(e.k) - 4)}" y1="${fmt(y(v))}" x2="${fmt(x(e.k) + 4)}" y2="${fmt(y(v))}" stroke="${pal.accent}" stroke-width="1.5"/>`);
  }
  out.push('</g>');
  out.push('<g class="ps-points">');
  for (const e of et) {
    const isRef = e.k === refK;
    const fill = isRef ? (pal.background ?? 'none') : pal.accent;
    out.push(`<circle class="${isRef ? 'ps-point ps-ref' : 'ps-point'}" cx="${fmt(x(e.k))}" cy="${fmt(y(e.estimate))}" r="4" fill="${fill}" stroke="${pal.accent}" stroke-width="1.5"><title>${esc(pointTitle(e, isRef))}</title></circle>`);
  }
  out.push('</g>');
  if (refK !== undefined) out.push(`<text class="ps-ref-label" x="${fmt(x(refK))}" y="${fmt(y(0) - 10)}" text-anchor="middle" font-size="10" fill="${pal.muted}">ref.</text>`);
  if (caption) out.push(`<text class="ps-caption" x="${m.left}" y="${H - 8}" font-size="11">${esc(caption)}</text>`);
  out.push('</svg>');
  return out.join('\n');
}

function pointTitle(e: { k: number; estimate: number; ci_low: number; ci_high: number }, isRef: boolean): string {
  if (isRef) return `k = ${e.k}: reference period`;
  return `k = ${e.k}: ${e.estimate.toFixed(4)} [${e.ci_low.toFixed(4)}, ${e.ci_high.toFixed(4)}]`;
}

/** The pre-trend test as the plot's caption says it. */
export function pretrendText(t: Pick<PretrendTest, 'stat' | 'df1' | 'df2' | 'p'>): string {
  return `Pre-trend test (all leads = 0): F(${t.df1}, ${t.df2}) = ${formatNumber(t.stat, 2)}, ${pEquals(t.p)}`;
}
