// The bytes of a plot saved from the panel: the standalone SVG as is, or rendered to PNG / PDF by
// the same code as `graph export` (so a saved PNG looks the same as an exported one).
import { svgToPdf, svgToPng } from '../../server/src/results/plots/raster';
import type { PlotFileFormat } from './protocol';

export async function plotFileBytes(svg: string, format: PlotFileFormat, pngWidth: number): Promise<Uint8Array> {
  if (format === 'svg') return new TextEncoder().encode(svg);
  if (format === 'png') return svgToPng(svg, { width: pngWidth });
  return new Uint8Array(await svgToPdf(svg));
}

/** "W × H px" of a PNG, from its header. */
export function pngSize(png: Uint8Array): string {
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return png.length >= 24 ? `${v.getUint32(16)} × ${v.getUint32(20)} px` : '';
}
