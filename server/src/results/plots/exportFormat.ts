// Which files `graph export` writes: one rule for the checker (before a run) and the runtime, so a
// name the checker accepts never fails at run time for its extension.

export type GraphFormat = 'svg' | 'png' | 'pdf';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['svg', 'png', 'pdf'];

/** The format a file name asks for, from its extension (case-insensitive); undefined if none we write. */
export function graphFormatOf(file: string): GraphFormat | undefined {
  const m = /\.([A-Za-z]+)$/.exec(file);
  const ext = m?.[1].toLowerCase();
  return GRAPH_FORMATS.find((f) => f === ext);
}

/** The message for a file name `graph export` cannot write, or undefined when it can. */
export function graphFileProblem(written: string): string | undefined {
  if (graphFormatOf(written)) return undefined;
  return `graph export: ${written || '""'} must end in .svg, .png or .pdf (the formats written)`;
}

/** Largest side of a raster export: keeps a typo (width(240000)) from allocating gigabytes. */
export const MAX_GRAPH_PIXELS = 10000;
