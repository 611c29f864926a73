// Small helpers shared by the hand-made SVG plots: scales, "nice" axis ticks, colours.

import { escapeHtml } from '../render/escape';

export const esc = escapeHtml;

export interface PlotOptions {
  width?: number;
  height?: number;
  title?: string;
  /** Fixed black/grey on white, for files; otherwise currentColor + CSS classes for the webview theme. */
  standalone?: boolean;
  /** Caption text under the plot (pre-trend test, p-value); default true. */
  caption?: boolean;
  decimals?: number;
  fontFamily?: string;
}

export interface Palette {
  fg: string;
  muted: string;
  accent: string;
  background?: string;
}

export function palette(standalone: boolean | undefined): Palette {
  return standalone
    ? { fg: '#000000', muted: '#777777', accent: '#000000', background: '#ffffff' }
    : { fg: 'currentColor', muted: 'currentColor', accent: 'currentColor' };
}

export function linearScale(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  const span = d1 - d0 || 1;
  return (x) => r0 + ((x - d0) / span) * (r1 - r0);
}

/** Ticks at 1, 2 or 5 times a power of ten covering [lo, hi]; the domain widened to the outer ticks. */
export function niceTicks(lo: number, hi: number, target = 5): { ticks: number[]; lo: number; hi: number } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { ticks: [0, 1], lo: 0, hi: 1 };
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const first = Math.floor(lo / step + 1e-9) * step;
  const last = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= last + step * 1e-6; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : +v.toPrecision(12));
  return { ticks, lo: first, hi: last };
}

/** A tick label with the decimals the step needs (0.05 -> "0.05", 10 -> "10"). */
export function tickLabel(v: number, ticks: number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
  const d = Math.max(0, Math.min(8, -Math.floor(Math.log10(step) + 1e-9) + (step / 10 ** Math.floor(Math.log10(step)) === 2.5 ? 1 : 0)));
  const s = v.toFixed(d);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s.replace(/^-/, '−');
}

export const fmt = (x: number): string => (Math.round(x * 100) / 100).toString();

/** The opening tag with size, viewBox, accessible title and (standalone) a white background. */
export function svgOpen(w: number, h: number, o: PlotOptions, cls: string, label: string, pal: Palette): string[] {
  // In the webview the page's CSS sets the theme font (presentation attributes cannot use var()).
  const font = o.fontFamily ?? (o.standalone ? 'Helvetica, Arial, sans-serif' : undefined);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="ps-plot ${cls}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(label)}"${font ? ` font-family="${esc(font)}"` : ''} font-size="12" fill="${pal.fg}">`,
    `<title>${esc(label)}</title>`,
  ];
  if (pal.background) out.push(`<rect x="0" y="0" width="${w}" height="${h}" fill="${pal.background}" stroke="none"/>`);
  return out;
}

/** Plot margins inside the SVG. */
export interface Margins {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The left and bottom axes with their ticks and tick labels (the scatter and histogram plots share them). */
export function cartesianAxes(out: string[], w: number, h: number, m: Margins, xTicks: number[], yTicks: number[], x: (v: number) => number, y: (v: number) => number, pal: Palette): void {
  out.push(`<line x1="${m.left}" y1="${fmt(h - m.bottom)}" x2="${w - m.right}" y2="${fmt(h - m.bottom)}" stroke="${pal.fg}"/>`);
  out.push(`<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${fmt(h - m.bottom)}" stroke="${pal.fg}"/>`);
  for (const v of xTicks) {
    out.push(`<line x1="${fmt(x(v))}" y1="${fmt(h - m.bottom)}" x2="${fmt(x(v))}" y2="${fmt(h - m.bottom + 5)}" stroke="${pal.fg}"/>`);
    out.push(`<text x="${fmt(x(v))}" y="${fmt(h - m.bottom + 18)}" text-anchor="middle">${esc(tickLabel(v, xTicks))}</text>`);
  }
  for (const v of yTicks) {
    out.push(`<line x1="${m.left - 5}" y1="${fmt(y(v))}" x2="${m.left}" y2="${fmt(y(v))}" stroke="${pal.fg}"/>`);
    out.push(`<text x="${m.left - 8}" y="${fmt(y(v) + 4)}" text-anchor="end">${esc(tickLabel(v, yTicks))}</text>`);
  }
}
