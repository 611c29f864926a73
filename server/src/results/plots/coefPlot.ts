// coefplot: each model's point estimates with their intervals, models side by side within each
// coefficient's row (offset as Ben Jann's coefplot does), one marker shape (and, in files, one
// colour) per model, and a legend. Horizontal by default: coefficients down the y axis, the first
// at the top; `vertical` puts them along the x axis. xline()/yline() are reference lines on those
// axes (on the categorical axis, category i sits at i, as in Stata).

import type { CoefplotResult } from '../types';
import { ResultsError } from '../errors';
import { type PlotOptions, esc, fmt, linearScale, niceTicks, palette, svgOpen, tickLabel } from './svg';

/** Standalone (file) colours, one per model: dark enough on white and apart in greyscale. */
const FILE_COLOURS = ['#1f3b73', '#a3271f', '#2e7031', '#c2650a', '#5b3a8c', '#4d4d4d'];
const SHAPES = ['circle', 'square', 'diamond', 'triangle', 'triangle-down', 'circle-hollow'] as const;

/** A marker of the given shape centred on (x, y), as a path (one element, easy to style). */
function markerPath(shape: (typeof SHAPES)[number], x: number, y: number, r = 4.5): string {
  const p = (a: number, b: number) => `${fmt(a)} ${fmt(b)}`;
  switch (shape) {
    case 'square':
      return `M${p(x - r * 0.85, y - r * 0.85)}H${fmt(x + r * 0.85)}V${fmt(y + r * 0.85)}H${fmt(x - r * 0.85)}Z`;
    case 'diamond':
      return `M${p(x, y - r * 1.15)}L${p(x + r * 1.15, y)}L${p(x, y + r * 1.15)}L${p(x - r * 1.15, y)}Z`;
    case 'triangle':
      return `M${p(x, y - r * 1.1)}L${p(x + r, y + r * 0.8)}L${p(x - r, y + r * 0.8)}Z`;
    case 'triangle-down':
      return `M${p(x, y + r * 1.1)}L${p(x + r, y - r * 0.8)}L${p(x - r, y - r * 0.8)}Z`;
    default:
      return `M${p(x - r, y)}A${r} ${r} 0 1 0 ${p(x + r, y)}A${r} ${r} 0 1 0 ${p(x - r, y)}Z`;
  }
}

/** Axis labels longer than this are shortened (the full text stays in the tooltip). */
const MAX_LABEL = 34;
const shorten = (s: string) => (s.length > MAX_LABEL ? s.slice(0, MAX_LABEL - 1) + '…' : s);
/** Rough text width at 12px: enough to size margins without a font engine. */
const textWidth = (s: string) => s.length * 6.6;

/** Legend entries placed left to right, wrapping to a new row at the plot's right edge. */
function legendLayout(names: string[], x0: number, x1: number): { x: number; row: number; text: string }[] {
  const out: { x: number; row: number; text: string }[] = [];
  let x = x0;
  let row = 0;
  for (const text of names) {
    const w = 32 + textWidth(text);
    if (x > x0 && x + w > x1) {
      row++;
      x = x0;
    }
    out.push({ x, row, text });
    x += w;
  }
  return out;
}

export function coefPlotSvg(result: CoefplotResult, opts: PlotOptions = {}): string {
  const cats = result.categories ?? [];
  const series = (result.series ?? []).filter((s) => s.points.length);
  if (!cats.length || !series.length) throw new ResultsError(`no coefficients to plot${result.line ? ` (line ${result.line})` : ''}`);
  const pal = palette(opts.standalone);
  const vertical = !!result.vertical;
  const title = opts.title ?? result.title ?? undefined;
  const n = cats.length;
  const M = series.length;
  const band = Math.max(26, 10 * M + 12); // minimum pixels per coefficient row/column
  const labels = cats.map((c) => shorten(c.label));
  const longest = Math.max(...labels.map(textWidth));
  const left = vertical ? 64 : Math.min(260, Math.max(56, longest + 18));
  const W = opts.width ?? (vertical ? Math.max(640, left + 20 + n * band) : 640);
  const legend = M > 1 ? legendLayout(series.map((s) => shorten(s.legend ?? s.model)), left, W - 20) : [];
  // Event studies: the categorical axis is the relative period k, with a title of its own.
  const eventAxis = result.axis === 'event_time';
  const catTitleH = eventAxis ? 18 : 0;
  const legendH = legend.length ? 8 + (legend[legend.length - 1].row + 1) * 18 : 0;
  // Vertical: labels under their column, slanted when they would not fit side by side.
  const rotate = vertical && longest > (W - left - 20) / n - 8;
  const below = (vertical ? (rotate ? Math.min(150, longest * 0.6) + 22 : 26) : 44) + (vertical ? catTitleH : 0); // tick labels (+ axis title)
  const m = { left: left + (vertical ? 0 : catTitleH), right: 20, top: title ? 36 : 16, bottom: below + legendH };
  const H = opts.height ?? (vertical ? 400 : Math.max(220, m.top + m.bottom + n * band));

  // The estimate axis covers every interval and the reference lines drawn on it.
  const estLines = vertical ? result.yline ?? [] : result.xline ?? [];
  const catLines = vertical ? result.xline ?? [] : result.yline ?? [];
  const all = series.flatMap((s) => s.points.flatMap((p) => [p.estimate, p.ci_low, p.ci_high])).filter(Number.isFinite);
  const et = niceTicks(Math.min(...all, ...estLines), Math.max(...all, ...estLines), 6);
  // A reference line on the domain's edge would hide in the axis: one more tick on that side.
  const tickStep = et.ticks.length > 1 ? et.ticks[1] - et.ticks[0] : 1;
  if (estLines.some((v) => v <= et.lo)) et.ticks.unshift((et.lo = +(et.lo - tickStep).toPrecision(12)));
  const plotX0 = m.left;
  const plotX1 = W - m.right;
  const plotY0 = m.top;
  const plotY1 = H - m.bottom;
  // category i (1-based) at i, or at its own position (event time k); the first coefficient at the
  // top (horizontal) or the left (vertical)
  const pos = cats.map((c, i) => c.at ?? i + 1);
  const [c0, c1] = [Math.min(...pos) - 0.5, Math.max(...pos) + 0.5];
  const cat = vertical ? linearScale(c0, c1, plotX0, plotX1) : linearScale(c0, c1, plotY0, plotY1);
  const est = vertical ? linearScale(et.lo, et.hi, plotY1, plotY0) : linearScale(et.lo, et.hi, plotX0, plotX1);
  const index = new Map(cats.map((c, i) => [c.name, pos[i]]));
  const step = Math.min(0.25, 0.7 / M);
  const offset = (j: number) => (j - (M - 1) / 2) * step;
  const colour = (j: number) => (opts.standalone ? FILE_COLOURS[j % FILE_COLOURS.length] : 'currentColor');
  const level = result.level ?? 95;

  const out = svgOpen(W, H, opts, 'ps-coefplot', title ?? `Coefficients of ${result.models.join(', ')}`, pal);
  if (title) out.push(`<text class="ps-title" x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`);

  // Axes: the estimate axis with ticks and a title, the categorical axis with coefficient labels.
  out.push('<g class="ps-axes">');
  out.push(`<line x1="${plotX0}" y1="${fmt(plotY1)}" x2="${plotX1}" y2="${fmt(plotY1)}" stroke="${pal.fg}"/>`);
  out.push(`<line x1="${plotX0}" y1="${plotY0}" x2="${plotX0}" y2="${fmt(plotY1)}" stroke="${pal.fg}"/>`);
  for (const v of et.ticks) {
    const label = esc(tickLabel(v, et.ticks));
    if (vertical) {
      out.push(`<line x1="${plotX0 - 5}" y1="${fmt(est(v))}" x2="${plotX0}" y2="${fmt(est(v))}" stroke="${pal.fg}"/>`);
      out.push(`<text x="${plotX0 - 8}" y="${fmt(est(v) + 4)}" text-anchor="end">${label}</text>`);
    } else {
      out.push(`<line x1="${fmt(est(v))}" y1="${fmt(plotY1)}" x2="${fmt(est(v))}" y2="${fmt(plotY1 + 5)}" stroke="${pal.fg}"/>`);
      out.push(`<text x="${fmt(est(v))}" y="${fmt(plotY1 + 18)}" text-anchor="middle">${label}</text>`);
    }
  }
  cats.forEach((c, i) => {
    const at = cat(pos[i]);
    const tip = c.label === c.name ? c.name : `${c.label} (${c.name})`;
    if (vertical) {
      const y = plotY1 + 16;
      const attrs = rotate ? `text-anchor="end" transform="rotate(-35 ${fmt(at)} ${fmt(y)})"` : 'text-anchor="middle"';
      out.push(`<text class="ps-cp-label" x="${fmt(at)}" y="${fmt(y)}" ${attrs}>${esc(labels[i])}<title>${esc(tip)}</title></text>`);
    } else {
      out.push(`<text class="ps-cp-label" x="${plotX0 - 8}" y="${fmt(at + 4)}" text-anchor="end">${esc(labels[i])}<title>${esc(tip)}</title></text>`);
    }
  });
  const axisTitle = `Estimate and ${level}% CI`;
  if (vertical) out.push(`<text transform="translate(16 ${fmt((plotY0 + plotY1) / 2)}) rotate(-90)" text-anchor="middle">${esc(axisTitle)}</text>`);
  else out.push(`<text x="${fmt((plotX0 + plotX1) / 2)}" y="${fmt(plotY1 + 36)}" text-anchor="middle">${esc(axisTitle)}</text>`);
  if (eventAxis) {
    const kTitle = 'Periods relative to adoption (k)';
    if (vertical) out.push(`<text class="ps-cp-axis-title" x="${fmt((plotX0 + plotX1) / 2)}" y="${fmt(plotY1 + 16 + catTitleH + 4)}" text-anchor="middle">${esc(kTitle)}</text>`);
    else out.push(`<text class="ps-cp-axis-title" transform="translate(14 ${fmt((plotY0 + plotY1) / 2)}) rotate(-90)" text-anchor="middle">${esc(kTitle)}</text>`);
  }
  out.push('</g>');

  // Reference lines (xline/yline) under the data.
  const refLine = (cls: string, x1: number, y1: number, x2: number, y2: number) =>
    out.push(`<line class="ps-zero ${cls}" x1="${fmt(x1)}" y1="${fmt(y1)}" x2="${fmt(x2)}" y2="${fmt(y2)}" stroke="${pal.muted}" stroke-opacity="0.7" stroke-dasharray="4 3"/>`);
  for (const v of estLines) vertical ? refLine('ps-yline', plotX0, est(v), plotX1, est(v)) : refLine('ps-xline', est(v), plotY0, est(v), plotY1);
  for (const v of catLines) {
    const at = cat(v);
    if (at < (vertical ? plotX0 : plotY0) - 0.5 || at > (vertical ? plotX1 : plotY1) + 0.5) continue; // off the axis
    vertical ? refLine('ps-xline', at, plotY0, at, plotY1) : refLine('ps-yline', plotX0, at, plotX1, at);
  }

  // One group per model: its intervals, then its markers.
  series.forEach((s, j) => {
    const c = colour(j);
    const shape = SHAPES[j % SHAPES.length];
    const fill = shape === 'circle-hollow' ? (pal.background ?? 'none') : c;
    out.push(`<g class="ps-series ps-series-${j % 6}" data-model="${esc(s.model)}">`);
    for (const p of s.points) {
      const i = index.get(p.category);
      if (i === undefined || !Number.isFinite(p.estimate)) continue;
      const at = cat(i + offset(j));
      const [lo, hi, b] = [est(p.ci_low), est(p.ci_high), est(p.estimate)];
      const tip = `${s.model}: ${p.label} ${p.estimate.toFixed(4)} [${p.ci_low.toFixed(4)}, ${p.ci_high.toFixed(4)}] (${p.level}% CI)`;
      if (Number.isFinite(lo) && Number.isFinite(hi)) {
        out.push(
          vertical
            ? `<line class="ps-cp-ci" x1="${fmt(at)}" y1="${fmt(lo)}" x2="${fmt(at)}" y2="${fmt(hi)}" stroke="${c}" stroke-width="1.5"/>`
            : `<line class="ps-cp-ci" x1="${fmt(lo)}" y1="${fmt(at)}" x2="${fmt(hi)}" y2="${fmt(at)}" stroke="${c}" stroke-width="1.5"/>`,
        );
      }
      const [x, y] = vertical ? [at, b] : [b, at];
      out.push(`<path class="ps-cp-marker" data-term="${esc(p.term)}" d="${markerPath(shape, x, y)}" fill="${fill}" stroke="${c}" stroke-width="1.5"><title>${esc(tip)}</title></path>`);
    }
    out.push('</g>');
  });

  // Legend: one entry per model, flowing left to right under the axis title.
  if (legend.length) {
    out.push('<g class="ps-legend">');
    legend.forEach(({ x: x0, row, text }, j) => {
      const x = x0 + 10;
      const y = plotY1 + below + 10 + row * 18;
      const c = colour(j);
      const shape = SHAPES[j % SHAPES.length];
      const fill = shape === 'circle-hollow' ? (pal.background ?? 'none') : c;
      out.push(`<g class="ps-series ps-series-${j % 6}"><line x1="${fmt(x - 8)}" y1="${fmt(y)}" x2="${fmt(x + 8)}" y2="${fmt(y)}" stroke="${c}" stroke-width="1.5"/><path d="${markerPath(shape, x, y)}" fill="${fill}" stroke="${c}" stroke-width="1.5"/><text class="ps-legend-label" x="${fmt(x + 14)}" y="${fmt(y + 4)}">${esc(text)}</text></g>`);
    });
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}
