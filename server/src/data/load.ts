// Entry point for `use "FILE"`: picks the reader by extension and turns every failure into a
// DataError (file not found, unreadable, corrupt, or a library exception) so callers never see
// a raw stack trace.
import { extname } from 'node:path';
import { DataError } from './errors';
import { readDataFile, readDataFileSync } from './readFile';
import type { Worker } from 'node:worker_threads';
import { PARALLEL_MIN_BYTES, parseCsvParallel, spareCore, startCsvWorker } from './csvParallel';
import { parseCsv, type CsvOptions, type CsvResult, type Separator } from './csv';
import { parseCsvStreamed } from './csvStream';
import { statSync } from 'node:fs';
import { readDta } from './dta';
import { readXlsx } from './xlsx';
import { readParquet } from './parquet';
import type { Renamed } from './names';
import type { DataTable } from './table';
import type { Catalog } from './catalog';

export type DataFormat = 'csv' | 'dta' | 'xlsx' | 'parquet';

export interface LoadOptions {
  /** xlsx: sheet name (default: the first sheet). */
  sheet?: string;
  /** csv: text encoding (default: UTF-8, or GB18030 when the file is not valid UTF-8). */
  encoding?: string;
  /** csv: field separator (default: detected from the header line). */
  separator?: Separator;
}

export interface LoadedData {
  table: DataTable;
  file: string;
  format: DataFormat;
  renamed: Renamed[];
  warnings: string[];
  /** csv: the encoding the text was read as. */
  encoding?: string;
  /** xlsx: the sheet read. */
  sheet?: string;
  /** Set when read ahead of the run (the CLI's static check): the seconds the read took, which the
   *  `use` that reuses it reports as its own. */
  readSeconds?: number;
  /** The columns' profiles when the reader made them as it read (a large numeric CSV); else absent. */
  catalog?: Catalog;
}

const EXT: Record<string, DataFormat> = {
  '.csv': 'csv', '.txt': 'csv', '.tsv': 'csv', '.tab': 'csv',
  '.dta': 'dta', '.xlsx': 'xlsx', '.xlsm': 'xlsx', '.parquet': 'parquet', '.pq': 'parquet',
};

/** The format a path's extension names; DataError for anything else. */
export function detectFormat(path: string): DataFormat {
  const ext = extname(path).toLowerCase();
  const f = EXT[ext];
  if (f) return f;
  if (ext === '.xls') throw new DataError('old-style .xls workbooks are not supported; save the file as .xlsx or .csv', { code: 'unsupported-format', file: path });
  throw new DataError(`unsupported data file type "${ext || '(no extension)'}" (use .csv, .tsv, .txt, .dta, .xlsx or .parquet)`, { code: 'unsupported-format', file: path });
}

function ioError(e: unknown, path: string): DataError {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return new DataError(`file not found: ${path}`, { code: 'not-found', file: path });
  if (err.code === 'EISDIR') return new DataError(`${path} is a folder, not a data file`, { code: 'io', file: path });
  if (err.code === 'EACCES' || err.code === 'EPERM') return new DataError(`permission denied reading ${path}`, { code: 'io', file: path });
  return new DataError(`cannot read ${path}: ${err.message}`, { code: 'io', file: path });
}

function wrap(e: unknown, path: string, format: DataFormat): DataError {
  if (e instanceof DataError) return e;
  if (e instanceof RangeError && /Array buffer allocation|Invalid array length|Invalid typed array length/.test(e.message))
    return new DataError(`out of memory while reading the ${format} file`, { code: 'io', file: path });
  return new DataError(`could not read the ${format} file: ${(e as Error)?.message ?? String(e)}`, { code: 'corrupt', file: path });
}

function csvOptions(path: string, opts: LoadOptions): CsvOptions {
  const separator: Separator | undefined = opts.separator ?? (extname(path).toLowerCase() === '.tsv' ? '\t' : undefined);
  return { encoding: opts.encoding, separator };
}

function csvLoaded(r: CsvResult, path: string): LoadedData {
  return { table: r.table, file: path, format: 'csv', renamed: r.renamed, warnings: r.warnings, encoding: r.encoding, ...(r.catalog ? { catalog: r.catalog } : {}) };
}

/** The size of the file at path, or -1 when it cannot be read (the read then reports why). */
function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
}

function fromBytes(buf: Buffer, path: string, format: Exclude<DataFormat, 'parquet'>, opts: LoadOptions): LoadedData {
  switch (format) {
    case 'csv':
      return csvLoaded(parseCsv(buf, path, csvOptions(path, opts)), path);
    case 'dta': {
      const r = readDta(buf, path);
      return { table: r.table, file: path, format, renamed: r.renamed, warnings: r.warnings };
    }
    case 'xlsx': {
      const r = readXlsx(buf, path, opts.sheet);
      return { table: r.table, file: path, format, renamed: r.renamed, warnings: r.warnings, sheet: r.sheet };
    }
  }
}

/** Loads a dataset (.csv/.tsv/.txt, .dta, .xlsx, .parquet). Rejects only with DataError. */
export async function loadDataset(path: string, opts: LoadOptions = {}): Promise<LoadedData> {
  const format = detectFormat(path);
  let buf: Buffer;
  // A large CSV is parsed on two threads, the worker started first so that its start-up overlaps
  // the reading: streamed from the file when all its columns are numeric (csvStream.ts), else
  // read whole into shared memory (csvParallel.ts).
  let worker: Worker | null = null;
  if (format === 'csv' && opts.encoding === undefined && fileSize(path) >= PARALLEL_MIN_BYTES) {
    if (spareCore()) worker = startCsvWorker();
    let r: CsvResult | null = null;
    try {
      r = await parseCsvStreamed(path, csvOptions(path, opts), worker, PARALLEL_MIN_BYTES);
    } finally {
      if (r && worker) void (worker as Worker).terminate();
    }
    if (r) return csvLoaded(r, path);
  }
  const alloc = (size: number): Buffer => {
    if (format === 'csv' && size >= PARALLEL_MIN_BYTES && !worker) worker = startCsvWorker();
    return worker ? Buffer.from(new SharedArrayBuffer(size)) : Buffer.allocUnsafe(size);
  };
  try {
    buf = await readDataFile(path, alloc);
  } catch (e) {
    if (worker) void (worker as Worker).terminate();
    if (e instanceof DataError) throw e;
    throw ioError(e, path);
  }
  try {
    if (format === 'csv' && worker) return csvLoaded(await parseCsvParallel(buf, path, csvOptions(path, opts), worker), path);
    if (format === 'parquet') {
      const r = await readParquet(buf, path);
      return { table: r.table, file: path, format, renamed: r.renamed, warnings: r.warnings };
    }
    return fromBytes(buf, path, format, opts);
  } catch (e) {
    throw wrap(e, path, format);
  }
}

/** Synchronous loadDataset for every format but Parquet (whose reader is asynchronous). */
export function loadDatasetSync(path: string, opts: LoadOptions = {}): LoadedData {
  const format = detectFormat(path);
  if (format === 'parquet')
    throw new DataError('Parquet files can only be loaded asynchronously (use loadDataset)', { code: 'unsupported', file: path });
  let buf: Buffer;
  try {
    buf = readDataFileSync(path);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw ioError(e, path);
  }
  try {
    return fromBytes(buf, path, format, opts);
  } catch (e) {
    throw wrap(e, path, format);
  }
}
