// Opening a file, or a glob of files, as a lazy dataset: a DuckDB view over read_parquet/read_csv
// that loads nothing. Columns get the in-memory reader's types: numbers (integers, decimals,
// booleans, dates as days since 1960) become DOUBLE with NULL as missing, text becomes VARCHAR
// with '' as missing (as a string column's missing code), names are fixed as the readers fix them.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { DataError } from '../errors';
import { fixNames } from '../names';
import { DuckError } from './errors';
import { ident, ROW_KEY, sqlString, type LazyColumn, type LazyTable } from './lazyTable';
import type { DuckSession } from './session';
import { isCompressedCsv, isGlob, lazyFormat } from './paths';
export { isCompressedCsv, isGlob, lazyFormat } from './paths';


/** Files at least this large open lazily unless the setting says otherwise (1 GB). */
export const DEFAULT_LAZY_THRESHOLD_BYTES = 1e9;

/**
 * Why `path` opens lazily without being asked ('glob', 'compressed', 'size'), or null for the
 * in-memory path. A file that cannot be read is left to the in-memory reader's message.
 */
export async function autoLazyReason(path: string, thresholdBytes = DEFAULT_LAZY_THRESHOLD_BYTES): Promise<'glob' | 'compressed' | 'size' | null> {
  if (!lazyFormat(path)) return null;
  if (isGlob(path)) return 'glob';
  if (isCompressedCsv(path)) return 'compressed';
  try {
    const s = await stat(path);
    return s.isFile() && s.size >= thresholdBytes ? 'size' : null;
  } catch {
    return null;
  }
}

/** Opens `path` (a file or a glob) as a lazy dataset; nothing is read but the schema. */
export async function openLazy(duck: DuckSession, path: string, opts: { signal?: AbortSignal } = {}): Promise<{ table: LazyTable; warnings: string[] }> {
  const format = lazyFormat(path);
  if (!format) throw new DataError(`lazy reading takes .parquet files (or a glob of them) and .csv, .csv.gz or .csv.zst files, not ${basename(path)}`, { code: 'unsupported-format', file: path });
  const files = await matchingFiles(duck, path, opts.signal);
  if (format === 'parquet' && files.length > 1) await checkSameColumns(duck, path, files, opts.signal);
  const reader = format === 'parquet' ? parquetReader(files) : await sniffedCsvReader(duck, files, opts.signal);
  const raw = duck.freshName('ps_raw');
  try {
    await duck.run(`CREATE TEMP VIEW ${ident(raw)} AS SELECT * FROM ${reader}`, opts);
  } catch (e) {
    throw readError(e, path, files);
  }
  const described = await duck.all(`DESCRIBE ${ident(raw)}`, opts);
  const fixed = fixNames(described.map((r) => String(r.column_name)));
  const columns: LazyColumn[] = [];
  const selects: string[] = [];
  const warnings = [...fixed.warnings];
  described.forEach((r, j) => {
    if (String(r.column_name) === ROW_KEY) return;
    const expr = columnSql(ident(String(r.column_name)), String(r.column_type));
    if (!expr) {
      warnings.push(`column ${String(r.column_name)} has DuckDB type ${String(r.column_type)}, which PanelSpec does not read; left out`);
      return;
    }
    const name = fixed.names[j];
    columns.push({ name, kind: expr.kind });
    selects.push(`${expr.sql} AS ${ident(name)}`);
  });
  // each row's place in the files: ties of a later sort, `_n` and `in` follow it as in memory
  const rowKey = format === 'parquet' ? `(file_index::BIGINT << 40) + file_row_number` : `row_number() OVER ()`;
  const base = duck.freshName('ps_base');
  await duck.run(`CREATE TEMP VIEW ${ident(base)} AS SELECT ${[...selects, `${rowKey} AS ${ident(ROW_KEY)}`].join(', ')} FROM ${reader}`, opts);
  return { table: { kind: 'lazy', duck, relation: base, columns, order: [ident(ROW_KEY)], source: path }, warnings };
}

async function matchingFiles(duck: DuckSession, path: string, signal?: AbortSignal): Promise<string[]> {
  if (!isGlob(path)) {
    try {
      const s = await stat(path);
      if (!s.isFile()) throw new DataError(`${path} is a folder, not a data file (write a glob such as "${path}/*.parquet")`, { code: 'io', file: path });
    } catch (e) {
      if (e instanceof DataError) throw e;
      throw new DataError(`file not found: ${path}`, { code: 'not-found', file: path });
    }
    return [path];
  }
  const rows = await duck.all(`SELECT file FROM glob(${sqlString(path)}) ORDER BY file`, { signal });
  if (!rows.length) throw new DataError(`no file matches ${path}`, { code: 'not-found', file: path });
  return rows.map((r) => String(r.file));
}

/** Parquet files of one glob must have the same columns (read from their footers only): else a message naming two that differ. */
async function checkSameColumns(duck: DuckSession, path: string, files: string[], signal?: AbortSignal): Promise<void> {
  const rows = await duck.all(`SELECT file_name AS f, name AS n FROM parquet_schema(${fileList(files)}) WHERE num_children IS NULL OR num_children = 0`, { signal });
  const byFile = new Map<string, Set<string>>();
  for (const r of rows) {
    const f = String(r.f);
    if (!byFile.has(f)) byFile.set(f, new Set());
    byFile.get(f)!.add(String(r.n));
  }
  const first = files[0];
  const ref = byFile.get(first) ?? new Set<string>();
  for (const f of files.slice(1)) {
    const cols = byFile.get(f) ?? new Set<string>();
    const missing = [...ref].find((c) => !cols.has(c));
    if (missing) throw new DataError(`the files of ${path} do not have the same columns: ${missing} is in ${first} but not in ${f}; read them separately or make their columns agree`, { code: 'corrupt', file: path });
    const extra = [...cols].find((c) => !ref.has(c));
    if (extra) throw new DataError(`the files of ${path} do not have the same columns: ${extra} is in ${f} but not in ${first}; read them separately or make their columns agree`, { code: 'corrupt', file: path });
  }
}

function fileList(files: string[]): string {
  return `[${files.map(sqlString).join(', ')}]`;
}

function parquetReader(files: string[]): string {
  // union_by_name stays off: files whose columns differ are an error naming them, never silent NULLs
  return `read_parquet(${fileList(files)}, union_by_name = false, file_row_number = true)`;
}

function csvReader(files: string[]): string {
  // the in-memory reader's rules: a header row; empty, ".", NA and NaN are missing; a column is
  // numeric when every value is a number (dates and booleans stay text, as in memory)
  return `read_csv(${fileList(files)}, ${CSV_OPTIONS})`;
}
const CSV_OPTIONS = `header = true, nullstr = ['', '.', 'NA', 'NaN'], auto_type_candidates = ['BIGINT', 'DOUBLE', 'VARCHAR'], normalize_names = false`;

/**
 * read_csv with the dialect and column types DuckDB's sniffer finds (its `sniff_csv` prompt), so
 * that the later queries of the data steps do not sniff the file again each time.
 */
async function sniffedCsvReader(duck: DuckSession, files: string[], signal?: AbortSignal): Promise<string> {
  const auto = csvReader(files);
  let prompt: string;
  try {
    const rows = await duck.all(`SELECT Prompt FROM sniff_csv(${sqlString(files[0])}, ${CSV_OPTIONS})`, { signal });
    prompt = String(rows[0]?.Prompt ?? '');
  } catch {
    return auto; // the full read reports what is wrong with the file
  }
  const m = /^FROM\s+read_csv\('(?:[^']|'')*'(.*)\);?\s*$/s.exec(prompt.trim());
  return m ? `read_csv(${fileList(files)}${m[1]})` : auto;
}

const NUMERIC_TYPES = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?|BOOLEAN)$/;

/** A column's SQL in the base view, or null for a type PanelSpec does not read. */
function columnSql(col: string, type: string): { sql: string; kind: 'numeric' | 'string' } | null {
  // NaN and infinities are missing, as everywhere in PanelSpec
  if (NUMERIC_TYPES.test(type)) return { sql: `CASE WHEN isfinite(CAST(${col} AS DOUBLE)) THEN CAST(${col} AS DOUBLE) END`, kind: 'numeric' };
  if (type === 'VARCHAR') return { sql: `coalesce(${col}, '')`, kind: 'string' };
  if (type === 'DATE') return { sql: `CAST(date_diff('day', DATE '1960-01-01', ${col}) AS DOUBLE)`, kind: 'numeric' };
  if (/^TIMESTAMP/.test(type)) return { sql: `CAST(epoch_ms(CAST(${col} AS TIMESTAMP)) - epoch_ms(TIMESTAMP '1960-01-01') AS DOUBLE)`, kind: 'numeric' };
  return null;
}

/** A read failure as the user's message: files whose schemas differ are named. */
function readError(e: unknown, path: string, files: string[]): DataError {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /schema mismatch in glob: column "([^"]+)" was read from the original file "([^"]+)", but could not be found in file "([^"]+)"/.exec(msg);
  if (m)
    return new DataError(`the files of ${path} do not have the same columns: ${m[1]} is in ${m[2]} but not in ${m[3]}; read them separately or make their columns agree`, { code: 'corrupt', file: path });
  if (/schema mismatch|different schema|type mismatch/i.test(msg))
    return new DataError(`the files of ${path} do not have the same columns (${files.length} files): ${msg.split('\n')[0]}`, { code: 'corrupt', file: path });
  return e instanceof DuckError ? new DataError(e.message, { code: 'corrupt', file: path }) : new DataError(msg, { code: 'io', file: path });
}
