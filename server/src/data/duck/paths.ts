// Which paths open lazily by their name alone: globs and compressed CSVs (no file system access,
// so the static check and the runtime can both ask).
export type LazyFormat = 'parquet' | 'csv';

export function isGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

/** The format a lazy read takes, by extension (compressed CSVs included), or null. */
export function lazyFormat(path: string): LazyFormat | null {
  const p = path.toLowerCase().replace(/\.(gz|zst)$/, '');
  if (/\.(parquet|pq)$/.test(p)) return 'parquet';
  if (/\.(csv|tsv|txt|tab)$/.test(p)) return 'csv';
  return null;
}

export function isCompressedCsv(path: string): boolean {
  return /\.(csv|tsv|txt|tab)\.(gz|zst)$/i.test(path);
}
