// PNG and PDF files of the standalone SVG plots. resvg (compiled to WebAssembly, so one file works
// on every platform and inside the .vsix) rasterises the SVG with DejaVu Sans, which ships with
// PanelSpec: no system fonts are needed, and the picture is the same on every machine. The PDF holds
// that raster at print resolution on a page of the plot's size.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { initWasm, Resvg } from '@resvg/resvg-wasm';

/** Candidate places of a bundled asset: next to the bundle (dist/, as in the .vsix), else node_modules. */
function assetPath(bundled: string, fromPackage: () => string): string {
  const local = join(__dirname, bundled);
  if (existsSync(local)) return local;
  return fromPackage();
}

let ready: Promise<Uint8Array[]> | undefined;

/** Loads the WebAssembly module and the fonts once per process. */
function init(): Promise<Uint8Array[]> {
  ready ??= (async () => {
    const wasm = readFileSync(assetPath('resvg.wasm', () => require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
    await initWasm(wasm);
    const fontDir = (name: string) => assetPath(join('fonts', name), () => join(require.resolve('dejavu-fonts-ttf/package.json'), '..', 'ttf', name));
    return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => new Uint8Array(readFileSync(fontDir(f))));
  })();
  return ready;
}

export interface RasterSize {
  width?: number;
  height?: number;
}

/** The SVG with its outer width/height set to the requested size (aspect kept; the rest white). */
export function sized(svg: string, w: number, h: number): string {
  return svg.replace(/^<svg([^>]*?) width="[^"]*" height="[^"]*"/, `<svg$1 width="${w}" height="${h}" preserveAspectRatio="xMidYMid meet"`);
}

/** The plot's own size in CSS pixels, from the root element. */
export function svgSize(svg: string): { width: number; height: number } {
  const m = /^<svg[^>]*? width="([0-9.]+)" height="([0-9.]+)"/.exec(svg);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : { width: 640, height: 400 };
}

/** Target size: both given -> exactly that; one given -> the other by the plot's aspect; none -> 3x. */
export function targetSize(svg: string, size: RasterSize, defaultZoom = 3): { width: number; height: number } {
  const own = svgSize(svg);
  if (size.width && size.height) return { width: size.width, height: size.height };
  if (size.width) return { width: size.width, height: Math.max(1, Math.round((size.width * own.height) / own.width)) };
  if (size.height) return { width: Math.max(1, Math.round((size.height * own.width) / own.height)), height: size.height };
  return { width: Math.round(own.width * defaultZoom), height: Math.round(own.height * defaultZoom) };
}

/** The SVG file for width()/height(): the outer size changes, the drawing scales (viewBox kept). */
export function resizedSvg(svg: string, size: RasterSize): string {
  if (!size.width && !size.height) return svg;
  const t = targetSize(svg, size, 1);
  return sized(svg, t.width, t.height);
}

async function render(svg: string, width: number, height: number): Promise<{ png: Uint8Array; rgba: Uint8Array; width: number; height: number }> {
  const fonts = await init();
  const r = new Resvg(sized(svg, width, height), {
    font: { fontBuffers: fonts, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    fitTo: { mode: 'width', value: width },
    background: '#ffffff',
  });
  try {
    const img = r.render();
    try {
      return { png: img.asPng(), rgba: img.pixels, width: img.width, height: img.height };
    } finally {
      img.free();
    }
  } finally {
    r.free();
  }
}

export async function svgToPng(svg: string, size: RasterSize = {}): Promise<Uint8Array> {
  const t = targetSize(svg, size);
  return (await render(svg, t.width, t.height)).png;
}

/** A one-page PDF: the plot rendered at 300 dpi, on a page of the plot's size (or the requested one, in px at 96 dpi). */
export async function svgToPdf(svg: string, size: RasterSize = {}): Promise<Buffer> {
  const page = targetSize(svg, size, 1);
  const img = await render(svg, Math.round((page.width * 300) / 96), Math.round((page.height * 300) / 96));
  return pdfWithImage(img.rgba, img.width, img.height, (page.width * 72) / 96, (page.height * 72) / 96);
}

/** A minimal PDF 1.4 file: one page of ptW x ptH points showing an RGB image (alpha dropped: the plots are opaque). */
export function pdfWithImage(rgba: Uint8Array, w: number, h: number, ptW: number, ptH: number): Buffer {
  const rgb = Buffer.alloc(w * h * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i];
    rgb[j + 1] = rgba[i + 1];
    rgb[j + 2] = rgba[i + 2];
  }
  const data = deflateSync(rgb);
  const n = (x: number) => +x.toFixed(2);
  const content = Buffer.from(`q ${n(ptW)} 0 0 ${n(ptH)} 0 0 cm /Im0 Do Q\n`, 'latin1');
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>', 'latin1'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>', 'latin1'),
    Buffer.from(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${n(ptW)} ${n(ptH)}] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>`, 'latin1'),
    Buffer.concat([Buffer.from(`<< /Length ${content.length} >>\nstream\n`, 'latin1'), content, Buffer.from('\nendstream', 'latin1')]),
    Buffer.concat([
      Buffer.from(`<< /Type /XObject /Subtype /Image /Width ${w} /Height ${h} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length ${data.length} >>\nstream\n`, 'latin1'),
      data,
      Buffer.from('\nendstream', 'latin1'),
    ]),
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(obj);
    offset += obj.length;
  });
  const xref = ['xref', `0 ${objects.length + 1}`, '0000000000 65535 f ', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `)].join('\n');
  parts.push(Buffer.from(`${xref}\ntrailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}
