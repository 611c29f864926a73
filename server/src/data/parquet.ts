// Parquet reader on top of hyparquet: flat columns only. Numbers (int32/int64/float/double,
// decimals), booleans (1/0) and dates (Stata daily dates, days since 1 Jan 1960) become numeric
// columns; text becomes string columns; nulls are missing. Nested columns are skipped with a warning.
import { parquetMetadata, parquetRead, parquetSchema, type SchemaTree } from 'hyparquet';
import { DataError } from './errors';
import { allIntegers, StringDict } from './columns';
import { fixNames, type Renamed } from './names';
import { DataTable, type Column } from './table';

export interface ParquetResult {
  table: DataTable;
  renamed: Renamed[];
  warnings: string[];
}

const STATA_EPOCH_MS = Date.UTC(1960, 0, 1);
const DAY_MS = 86400000;

function isTextColumn(t: SchemaTree): boolean {
  const e = t.element;
  if (e.type !== 'BYTE_ARRAY' && e.type !== 'FIXED_LEN_BYTE_ARRAY') return false;
  const lt = e.logical_type?.type;
  const ct = e.converted_type;
  // Decimals stored as byte arrays are numbers.
  return !(lt === 'DECIMAL' || ct === 'DECIMAL' || lt === 'FLOAT16');
}

export async function readParquet(buf: Buffer, file: string): Promise<ParquetResult> {
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  let metadata;
  try {
    metadata = parquetMetadata(ab);
  } catch (e) {
    throw new DataError(`not a readable Parquet file (${(e as Error).message})`, { code: 'corrupt', file });
  }
  const nrows = Number(metadata.num_rows);
  const root = parquetSchema(metadata);
  const warnings: string[] = [];
  const flat = root.children.filter((c) => {
    if (c.children.length) {
      warnings.push(`column ${c.element.name} is nested (a struct or list) and was skipped`);
      return false;
    }
    return true;
  });
  const names = flat.map((c) => c.element.name);
  const isText = flat.map(isTextColumn);
  const nums = flat.map((_, j) => (isText[j] ? null : new Float64Array(nrows).fill(NaN)));
  const strs = flat.map((_, j) => (isText[j] ? new Array<string | null>(nrows).fill(null) : null));
  // DATE -> days since 1960 (Stata %td); other Date values (timestamps) -> ms since 1960 (%tc).
  const isDate = flat.map((c) => c.element.logical_type?.type === 'DATE' || c.element.converted_type === 'DATE');
  const index = new Map(names.map((n, j) => [n, j]));
  const odd = new Set<string>();
  let bigLoss = false;

  try {
    await parquetRead({
      file: ab,
      metadata,
      columns: names,
      onChunk: ({ columnName, columnData, rowStart, rowEnd }) => {
        const j = index.get(columnName);
        if (j === undefined) return;
        const end = Math.min(rowEnd, nrows);
        const num = nums[j], str = strs[j];
        for (let r = rowStart, i = 0; r < end; r++, i++) {
          const x: unknown = (columnData as ArrayLike<unknown>)[i];
          if (x === null || x === undefined) continue;
          if (str) {
            str[r] = typeof x === 'string' ? x : x instanceof Uint8Array ? Buffer.from(x).toString('utf8') : String(x);
            continue;
          }
          let v: number;
          if (typeof x === 'number') v = x;
          else if (typeof x === 'bigint') {
            v = Number(x);
            if (!Number.isSafeInteger(v)) bigLoss = true;
          } else if (typeof x === 'boolean') v = x ? 1 : 0;
          else if (x instanceof Date) v = isDate[j] ? Math.floor((x.getTime() - STATA_EPOCH_MS) / DAY_MS) : x.getTime() - STATA_EPOCH_MS;
          else { odd.add(columnName); v = NaN; }
          num![r] = v;
        }
      },
    });
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`could not read the Parquet data (${(e as Error).message})`, { code: 'corrupt', file });
  }
  if (bigLoss) warnings.push('some 64-bit integers exceed 2^53 and lost precision');
  for (const c of odd) warnings.push(`column ${c} holds values of an unsupported type; read as missing`);
  if (isDate.some(Boolean)) warnings.push('date columns were converted to Stata daily dates (days since 1 Jan 1960)');

  const fixed = fixNames(names);
  const columns: Column[] = flat.map((_, j) => {
    const extra = fixed.renamedFrom[j] !== undefined ? { renamedFrom: fixed.renamedFrom[j] } : {};
    const num = nums[j];
    if (num) return { kind: 'numeric', name: fixed.names[j], values: num, isInteger: allIntegers(num), ...extra };
    const dict = new StringDict();
    const codes = new Int32Array(nrows);
    const s = strs[j]!;
    for (let i = 0; i < nrows; i++) codes[i] = dict.code(s[i]);
    return { kind: 'string', name: fixed.names[j], codes, levels: dict.levels, ...extra };
  });
  return { table: new DataTable(nrows, columns), renamed: fixed.renamed, warnings: [...warnings, ...fixed.warnings] };
}
