// Excel .xlsx reader: unzips with fflate and reads the sheet XML directly (the format needs only
// cells, shared strings and the workbook's sheet list). The first row is the header, as Stata's
// `import excel, firstrow`. A column is numeric when every non-missing cell is a number (or text
// that reads as one), else a string column.
import { unzipSync } from 'fflate';
import { DataError } from './errors';
import { colLetters } from './xlsx-write';
import { allIntegers, isMissingText, StringDict } from './columns';
import { fixNames, type Renamed } from './names';
import { NOT_NUMBER, overflowNote, overflowed, parseNumberText } from './numparse';
import { DataTable, type Column } from './table';

export interface XlsxResult {
  table: DataTable;
  renamed: Renamed[];
  warnings: string[];
  sheet: string;
  sheets: string[];
}

const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML text -> string: entities, then OOXML's _xHHHH_ escapes for control characters. */
export function xmlText(s: string): string {
  let t = s.indexOf('&') >= 0
    ? s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (m, e: string) => {
        if (e[0] === '#') {
          const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
          return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
        }
        return ENTITY[e] ?? m;
      })
    : s;
  if (t.indexOf('_x') >= 0) t = t.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return t;
}

const attrRes = new Map<string, RegExp>();

function attr(tag: string, name: string): string | undefined {
  let re = attrRes.get(name);
  if (!re) attrRes.set(name, (re = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`)));
  const m = re.exec(tag);
  if (!m) return undefined;
  const v = m[2] ?? m[3];
  return v.indexOf('&') >= 0 || v.indexOf('_x') >= 0 ? xmlText(v) : v;
}

/** Text of all <t> elements in an <si> or <is>, leaving out phonetic runs (<rPh>). */
function richText(xml: string): string {
  const body = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  let out = '';
  const re = /<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) out += m[1] ? xmlText(m[1]) : '';
  return out;
}

/** Column letters (A, B, ..., AA) -> 0-based index. */
export function colIndex(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + (letters.charCodeAt(i) - 64);
  return n - 1;
}

function resolveTarget(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = ('xl/' + target).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.') out.push(p);
  }
  return out.join('/');
}

type Cell = { kind: 'num'; v: number } | { kind: 'str'; v: string };

/** How a cell style shows numbers: plain, as a date, or as a date-time. */
type NumStyle = 0 | 1 | 2;
const PLAIN = 0, DATE = 1, DATETIME = 2;

// Built-in number formats that are dates (14-17, 27-36, 50-58: East Asian dates) or times.
const BUILTIN_DATE = new Set([14, 15, 16, 17, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58]);
const BUILTIN_DATETIME = new Set([18, 19, 20, 21, 22, 32, 33, 45, 46, 47]);

function formatKind(code: string): NumStyle {
  // Drop quoted text, escapes and [colour]/[$-locale] sections before looking for date letters.
  const f = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '').toLowerCase();
  if (!/[dmy]/.test(f) && !/[hs]/.test(f)) return PLAIN;
  if (f === 'general') return PLAIN;
  return /[hs]/.test(f) ? DATETIME : DATE;
}

/** Style index -> how its numbers read, from xl/styles.xml. */
function cellStyles(xml: string | undefined): NumStyle[] {
  if (!xml) return [];
  const custom = new Map<number, NumStyle>();
  for (const m of xml.matchAll(/<numFmt\b[^>]*>/g)) {
    const id = Number(attr(m[0], 'numFmtId'));
    const code = attr(m[0], 'formatCode') ?? '';
    custom.set(id, formatKind(code));
  }
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml)?.[1] ?? '';
  const out: NumStyle[] = [];
  for (const m of xfs.matchAll(/<xf\b[^>]*>/g)) {
    const id = Number(attr(m[0], 'numFmtId') ?? 0);
    out.push(custom.get(id) ?? (BUILTIN_DATE.has(id) ? DATE : BUILTIN_DATETIME.has(id) ? DATETIME : PLAIN));
  }
  return out;
}

// Excel serial day 0 is 1899-12-30 (1904-01-01 in the 1904 system); Stata's is 1960-01-01.
const EXCEL_TO_STATA_DAYS = 21916;
const EXCEL1904_TO_STATA_DAYS = 20454;

// Excel's own sheet size; a reference past it is a damaged file.
const EXCEL_MAX_ROWS = 1_048_576;
const EXCEL_MAX_COLS = 16_384;
/** Cells (columns x rows) a sheet may become: 100 million, 800 MB as numbers. */
export const MAX_SHEET_CELLS = 100_000_000;

export function readXlsx(buf: Buffer, file: string, sheetName?: string): XlsxResult {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(buf, { filter: (f) => f.name.startsWith('xl/') && (f.name.endsWith('.xml') || f.name.endsWith('.rels')) });
  } catch (e) {
    throw new DataError(`not a readable .xlsx workbook (${(e as Error).message})`, { code: 'corrupt', file });
  }
  const text = (name: string): string | undefined => (files[name] ? Buffer.from(files[name]).toString('utf8') : undefined);
  const wb = text('xl/workbook.xml');
  if (!wb) throw new DataError('not an .xlsx workbook (xl/workbook.xml is missing; .xls files must be re-saved as .xlsx)', { code: 'corrupt', file });

  const rels = new Map<string, string>();
  for (const m of (text('xl/_rels/workbook.xml.rels') ?? '').matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attr(m[0], 'Id'), target = attr(m[0], 'Target');
    if (id && target) rels.set(id, resolveTarget(target));
  }
  const sheets: { name: string; path: string }[] = [];
  for (const m of wb.matchAll(/<sheet\b[^>]*>/g)) {
    const name = attr(m[0], 'name') ?? '';
    const rid = attr(m[0], 'r:id') ?? attr(m[0], '[a-zA-Z0-9]+:id');
    const path = rid ? rels.get(rid) : undefined;
    sheets.push({ name, path: path ?? `xl/worksheets/sheet${sheets.length + 1}.xml` });
  }
  if (!sheets.length) throw new DataError('the workbook has no sheets', { code: 'corrupt', file });
  const chosen = sheetName === undefined ? sheets[0] : sheets.find((s) => s.name === sheetName);
  if (!chosen)
    throw new DataError(`no sheet named "${sheetName}" (sheets: ${sheets.map((s) => `"${s.name}"`).join(', ')})`, { code: 'sheet-not-found', file });
  const xml = text(chosen.path);
  if (xml === undefined) throw new DataError(`sheet "${chosen.name}" is missing from the workbook (${chosen.path})`, { code: 'corrupt', file });

  const styles = cellStyles(text('xl/styles.xml'));
  const dayShift = /<workbookPr\b[^>]*date1904\s*=\s*"(1|true)"/.test(wb) ? EXCEL1904_TO_STATA_DAYS : EXCEL_TO_STATA_DAYS;
  let dates = 0;
  const shared: string[] = [];
  const sst = text('xl/sharedStrings.xml');
  if (sst) for (const m of sst.matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)) shared.push(m[1] ? richText(m[1]) : '');

  // Rows of cells, sparse: rows[r][c].
  const rows: (Cell | undefined)[][] = [];
  let maxCol = -1;
  let rowIdx = -1;
  let present = 0; // cells holding a value
  let overflowedCells = 0;
  overflowed.cells = 0; // text cells read by parseNumberText count there
  let farthest = ''; // reference of the cell that sets the table's extent
  let emptyRow = -1; // extent of cells without a value (Excel keeps formatted empty cells)
  let emptyCol = -1;
  const rowRe = /<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g;
  const cellRe = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
  let rm: RegExpExecArray | null;
  while ((rm = rowRe.exec(xml))) {
    const rAttr = attr(rm[1], 'r');
    rowIdx = rAttr ? Number(rAttr) - 1 : rowIdx + 1;
    if (!(rowIdx >= 0 && rowIdx < EXCEL_MAX_ROWS)) throw new DataError(`row number ${rAttr ?? rowIdx + 1} is outside Excel's 1..${EXCEL_MAX_ROWS}`, { code: 'corrupt', file });
    const cells: (Cell | undefined)[] = [];
    rows[rowIdx] = cells;
    if (!rm[2]) continue;
    let colPos = -1;
    cellRe.lastIndex = 0;
    let cm: RegExpExecArray | null;
    while ((cm = cellRe.exec(rm[2]))) {
      const ref = attr(cm[1], 'r');
      const letters = ref ? /^[A-Z]+/.exec(ref)?.[0] : undefined;
      colPos = letters ? colIndex(letters) : colPos + 1;
      if (!(colPos >= 0 && colPos < EXCEL_MAX_COLS)) throw new DataError(`cell ${ref ?? ''} is outside Excel's columns A..XFD`, { code: 'corrupt', file });
      const t = attr(cm[1], 't') ?? 'n';
      const inner = cm[2] ?? '';
      const vm = /<v(?:\s[^>]*)?>([\s\S]*?)<\/v>/.exec(inner);
      const raw = vm ? xmlText(vm[1]) : undefined;
      let cell: Cell | undefined;
      if (t === 's') {
        const k = raw === undefined ? NaN : Number(raw);
        if (!(k >= 0 && k < shared.length)) throw new DataError(`cell ${ref ?? ''} refers to shared string ${raw}, which does not exist`, { code: 'corrupt', file });
        cell = { kind: 'str', v: shared[k] };
      } else if (t === 'inlineStr') cell = { kind: 'str', v: richText(inner) };
      else if (t === 'str' || t === 'd') cell = raw === undefined ? undefined : { kind: 'str', v: raw };
      else if (t === 'e') cell = undefined; // #N/A, #DIV/0!: missing
      else if (t === 'b') cell = raw === undefined ? undefined : { kind: 'num', v: raw === '1' ? 1 : 0 };
      else if (raw !== undefined && raw.trim() !== '') {
        let v = Number(raw);
        // Date-formatted numbers become Stata dates: days (%td) or, with a time part, ms (%tc).
        const st = styles[Number(attr(cm[1], 's') ?? 0)] ?? PLAIN;
        if (st !== PLAIN && Number.isFinite(v)) {
          dates++;
          v = st === DATE ? Math.floor(v) - dayShift : Math.round((v - dayShift) * 86400000);
        }
        if (Number.isFinite(v)) cell = { kind: 'num', v };
        else if (Number.isNaN(v)) cell = { kind: 'str', v: raw };
        else overflowedCells++; // 1e400 written into the XML: missing, as in a CSV
      }
      if (cell) {
        cells[colPos] = cell;
        present++;
        if (colPos > maxCol) maxCol = colPos;
        if (colPos >= maxCol) farthest = ref ?? `row ${rowIdx + 1}`;
      } else {
        emptyRow = rowIdx;
        emptyCol = Math.max(emptyCol, colPos);
      }
    }
  }

  const first = rows.findIndex((r) => r && r.some((c) => c !== undefined));
  if (first < 0) throw new DataError(`sheet "${chosen.name}" is empty`, { code: 'empty', file });
  const ncol = maxCol + 1;
  const headerCells = rows[first];
  const headers: string[] = [];
  for (let c = 0; c < ncol; c++) {
    const h = headerCells[c];
    headers.push(h === undefined ? '' : h.kind === 'str' ? h.v : String(h.v));
  }
  // Data rows: every row after the header up to the last non-empty one (gaps are all-missing rows).
  let last = rows.length - 1;
  while (last > first && !(rows[last] && rows[last].some((c) => c !== undefined))) last--;
  const nrows = Math.max(0, last - first);
  // The table is dense (a Float64Array per column): refuse what a few stray far-off cells would blow up
  const cellsNeeded = ncol * (nrows + 1);
  if (cellsNeeded > MAX_SHEET_CELLS) {
    const gb = (cellsNeeded * 8) / 1e9;
    throw new DataError(
      `the sheet's cells span ${ncol.toLocaleString('en-US')} columns x ${(nrows + 1).toLocaleString('en-US')} rows (up to cell ${farthest || `row ${last + 1}`}) but only ${present.toLocaleString('en-US')} hold values; ` +
        `a table that size needs about ${gb >= 1 ? gb.toFixed(0) + ' GB' : (gb * 1000).toFixed(0) + ' MB'} (the limit is ${MAX_SHEET_CELLS.toLocaleString('en-US')} cells): delete the stray cells or save the data range alone`,
      { code: 'too-large', file },
    );
  }
  const fixed = fixNames(headers);
  const columns: Column[] = [];
  for (let c = 0; c < ncol; c++) {
    let numeric = true;
    const vals = new Float64Array(nrows);
    for (let i = 0; i < nrows; i++) {
      const cell = rows[first + 1 + i]?.[c];
      if (cell === undefined) { vals[i] = NaN; continue; }
      if (cell.kind === 'num') { vals[i] = cell.v; continue; }
      if (isMissingText(cell.v.trim())) { vals[i] = NaN; continue; }
      const v = parseNumberText(cell.v);
      if (v === NOT_NUMBER) { numeric = false; break; }
      vals[i] = v;
    }
    const extra = fixed.renamedFrom[c] !== undefined ? { renamedFrom: fixed.renamedFrom[c] } : {};
    if (numeric) {
      columns.push({ kind: 'numeric', name: fixed.names[c], values: vals, isInteger: allIntegers(vals), ...extra });
    } else {
      const dict = new StringDict();
      const codes = new Int32Array(nrows);
      for (let i = 0; i < nrows; i++) {
        const cell = rows[first + 1 + i]?.[c];
        const s = cell === undefined ? '' : cell.kind === 'str' ? cell.v : String(cell.v);
        codes[i] = isMissingText(s) ? -1 : dict.code(s);
      }
      columns.push({ kind: 'string', name: fixed.names[c], codes, levels: dict.levels, ...extra });
    }
  }
  const warnings = [...fixed.warnings];
  if (emptyRow > last || emptyCol >= ncol)
    warnings.push(`empty cells past the data (up to row ${emptyRow + 1}, column ${colLetters(emptyCol)}) were dropped: the table ends at the last row and column holding a value`);
  warnings.push(...overflowNote(overflowedCells + overflowed.cells));
  if (dates) warnings.push('date-formatted cells were read as Stata dates (days since 1 Jan 1960; with a time of day, milliseconds)');
  return {
    table: new DataTable(nrows, columns),
    renamed: fixed.renamed,
    warnings,
    sheet: chosen.name,
    sheets: sheets.map((s) => s.name),
  };
}
