// The messages between the extension, the language server and the results webview. Pure types
// and names (no `vscode` import) so tests and the webview script can share them.

import type { RunOutput } from '../../server/src/results/types';
import type { TableFormat } from '../../server/src/results/render/index';

export {
  Commands, DATA_REQUEST, RESTORE_NOTIFICATION, RESULTS_NOTIFICATION, SERVER_RUN_COMMAND, TRUST_NOTIFICATION,
  type DataParams, type ResultsParams, type RunError, type RunParams, type RunReply, type TrustParams,
} from '../../server/src/protocol';
import type { ResultsParams } from '../../server/src/protocol';

export const LANGUAGE_ID = 'panelspec';
export const RESULTS_VIEW_TYPE = 'panelspec.results';
export const DATA_VIEW_TYPE = 'panelspec.data';

export type DataSort = { column: string; descending: boolean };

/** A column's profile as the viewer shows it (the server's catalog profile, checked). */
export type DataProfile =
  | { kind: 'numeric'; n: number; missing: number; mean: number | null; sd: number | null; min: number | null; max: number | null; histogram: { lo: number; hi: number; counts: number[] } | null }
  | { kind: 'string'; n: number; missing: number; distinct: number; top: { value: string; count: number }[] };

export interface DataColumnInfo {
  name: string;
  label?: string;
  type: 'numeric' | 'string';
  valueLabels?: [number, string][]; // .dta value labels
  profile?: DataProfile;
}

export interface DataPage {
  columns: DataColumnInfo[];
  rows: (number | string | null)[][]; // row-major, null = missing
  total: number; // rows in the view (after the filter)
  unfiltered: number; // rows before the filter
  offset: number;
}

/**
 * What the data viewer webview asks for: rows [offset, offset + limit) of the view `gen` (a sort and
 * a filter); the answer carries `gen` back, so a page of an older view is never drawn into a newer one.
 */
export interface DataNeed {
  type: 'need';
  gen: number;
  offset: number;
  limit: number;
  sort?: DataSort;
  filter?: string;
  profile?: boolean;
  reload?: boolean;
}

/** What the extension posts to the data viewer webview. */
export type DataHostMessage = { type: 'page'; gen: number; title: string; page: DataPage } | { type: 'error'; gen: number; message: string } | { type: 'refresh' };

export const DATA_MAX_LIMIT = 5000;

export function parseDataViewMessage(m: unknown): DataNeed | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const o = m as Record<string, unknown>;
  const ok = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  if (o.type !== 'need' || !ok(o.offset) || !ok(o.limit) || o.limit > DATA_MAX_LIMIT) return undefined;
  const out: DataNeed = { type: 'need', gen: ok(o.gen) ? o.gen : 0, offset: o.offset, limit: o.limit };
  const sort = o.sort as Record<string, unknown> | undefined;
  if (sort && typeof sort === 'object' && typeof sort.column === 'string' && sort.column.length <= 1000) out.sort = { column: sort.column, descending: sort.descending === true };
  if (typeof o.filter === 'string' && o.filter.trim()) out.filter = o.filter.slice(0, 10_000);
  if (o.profile === true) out.profile = true;
  if (o.reload === true) out.reload = true;
  return out;
}

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const count = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? Math.floor(x) : 0);

function parseProfile(x: unknown): DataProfile | undefined {
  if (!x || typeof x !== 'object') return undefined;
  const o = x as Record<string, unknown>;
  if (o.kind === 'numeric') {
    const h = o.histogram as Record<string, unknown> | null | undefined;
    const histogram =
      h && typeof h === 'object' && Array.isArray(h.counts) && num(h.lo) !== null && num(h.hi) !== null
        ? { lo: num(h.lo) as number, hi: num(h.hi) as number, counts: (h.counts as unknown[]).slice(0, 200).map(count) }
        : null;
    return { kind: 'numeric', n: count(o.n), missing: count(o.missing), mean: num(o.mean), sd: num(o.sd), min: num(o.min), max: num(o.max), histogram };
  }
  if (o.kind === 'string') {
    const top = Array.isArray(o.top)
      ? (o.top as unknown[]).slice(0, 50).flatMap((t) => {
          const tt = t as Record<string, unknown> | null;
          return tt && typeof tt.value === 'string' ? [{ value: tt.value, count: count(tt.count) }] : [];
        })
      : [];
    return { kind: 'string', n: count(o.n), missing: count(o.missing), distinct: count(o.distinct), top };
  }
  return undefined;
}

/** Checks a server answer before it reaches the webview. */
export function parseDataPage(x: unknown): DataPage | undefined {
  if (!x || typeof x !== 'object') return undefined;
  const o = x as Record<string, unknown>;
  if (!Array.isArray(o.columns) || !Array.isArray(o.rows) || typeof o.total !== 'number') return undefined;
  const columns = (o.columns as unknown[]).flatMap((c): DataColumnInfo[] => {
    const cc = c as Record<string, unknown> | null;
    if (!cc || typeof cc.name !== 'string') return [];
    const profile = parseProfile(cc.profile);
    const valueLabels = Array.isArray(cc.valueLabels)
      ? (cc.valueLabels as unknown[]).filter((e): e is [number, string] => Array.isArray(e) && typeof e[0] === 'number' && typeof e[1] === 'string').map(([v, l]): [number, string] => [v, l])
      : [];
    return [
      {
        name: cc.name,
        type: cc.type === 'string' ? 'string' : 'numeric',
        ...(typeof cc.label === 'string' ? { label: cc.label } : {}),
        ...(valueLabels.length ? { valueLabels } : {}),
        ...(profile ? { profile } : {}),
      },
    ];
  });
  const rows = (o.rows as unknown[]).filter(Array.isArray).map((r) => (r as unknown[]).map((v) => (typeof v === 'number' || typeof v === 'string' ? v : null)));
  const total = count(o.total);
  return { columns, rows, total, unfiltered: typeof o.unfiltered === 'number' ? count(o.unfiltered) : total, offset: typeof o.offset === 'number' ? count(o.offset) : 0 };
}

/** Clipboard formats of a table: LaTeX, Markdown, rich HTML (pastes into Word), TSV (pastes into Excel). */
export type CopyFormat = 'latex' | 'markdown' | 'html' | 'tsv';
const COPY_FORMATS = new Set(['latex', 'markdown', 'html', 'tsv']);

/** Plot files the panel saves (the extension renders them, as `graph export` does). */
export type PlotFileFormat = 'svg' | 'png' | 'pdf';

/** What the webview asks the extension to do. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'copy'; tableId: string; format: CopyFormat }
  | { type: 'copied'; format: 'html'; ok: boolean }
  | { type: 'stop' }
  | { type: 'export'; tableId: string; format?: TableFormat }
  | { type: 'exportAll'; format?: TableFormat }
  | { type: 'savePlot'; plotId: string; format: PlotFileFormat }
  | { type: 'reveal'; line: number; character: number }
  | { type: 'failed'; message: string }
  // the history: list the spec's kept runs, open one, compare two, back to the current results
  | { type: 'history' }
  | { type: 'openRun'; id: string }
  | { type: 'compare'; a: string; b: string }
  | { type: 'current' };

/** A kept run's id as the webview may send it (it names a file: checked again by the store). */
const RUN_ID = /^[0-9A-Za-z-]{1,64}$/;

/** What the extension tells a live webview. */
export type HostMessage = { type: 'running'; running: boolean } | { type: 'clipboard'; html: string; text: string };

const TABLE_FORMATS = new Set(['text', 'markdown', 'latex', 'html', 'csv', 'docx']);

/** Validates a message from the webview: it is untrusted input (it carries data-derived ids). */
export function parseWebviewMessage(m: unknown): WebviewMessage | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const o = m as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  const int = (k: string): number | undefined => (typeof o[k] === 'number' && Number.isInteger(o[k]) && (o[k] as number) >= 0 ? (o[k] as number) : undefined);
  switch (o.type) {
    case 'ready':
      return { type: 'ready' };
    case 'copy': {
      const tableId = str('tableId');
      const format = str('format');
      return tableId && format && COPY_FORMATS.has(format) ? { type: 'copy', tableId, format: format as CopyFormat } : undefined;
    }
    case 'copied':
      return o.format === 'html' ? { type: 'copied', format: 'html', ok: o.ok === true } : undefined;
    case 'stop':
      return { type: 'stop' };
    case 'export': {
      const tableId = str('tableId');
      const format = str('format');
      if (!tableId) return undefined;
      if (format === undefined) return { type: 'export', tableId };
      return TABLE_FORMATS.has(format) ? { type: 'export', tableId, format: format as TableFormat } : undefined;
    }
    case 'exportAll': {
      const format = str('format');
      if (format === undefined) return { type: 'exportAll' };
      return TABLE_FORMATS.has(format) ? { type: 'exportAll', format: format as TableFormat } : undefined;
    }
    case 'savePlot': {
      const plotId = str('plotId');
      const format = o.format;
      return plotId && (format === 'svg' || format === 'png' || format === 'pdf') ? { type: 'savePlot', plotId, format } : undefined;
    }
    case 'reveal': {
      const line = int('line');
      const character = int('character') ?? 0;
      return line === undefined ? undefined : { type: 'reveal', line, character };
    }
    case 'failed': {
      const message = str('message');
      return message ? { type: 'failed', message: message.slice(0, 500) } : undefined;
    }
    case 'history':
      return { type: 'history' };
    case 'current':
      return { type: 'current' };
    case 'openRun': {
      const id = str('id');
      return id && RUN_ID.test(id) ? { type: 'openRun', id } : undefined;
    }
    case 'compare': {
      const a = str('a');
      const b = str('b');
      return a && b && a !== b && RUN_ID.test(a) && RUN_ID.test(b) ? { type: 'compare', a, b } : undefined;
    }
    default:
      return undefined;
  }
}

/** The server's notification payload, checked before use (a broken server must not break the panel). */
export function parseResultsParams(p: unknown): ResultsParams | undefined {
  if (!p || typeof p !== 'object') return undefined;
  const o = p as Record<string, unknown>;
  if (typeof o.uri !== 'string') return undefined;
  const out = o.output as RunOutput | undefined;
  const output: RunOutput =
    out && typeof out === 'object' && Array.isArray(out.results) ? out : { version: 1, file: typeof out?.file === 'string' ? out.file : '', results: [] };
  const e = o.error as Record<string, unknown> | undefined;
  const error =
    e && typeof e === 'object' && typeof e.message === 'string'
      ? { message: e.message, line: typeof e.line === 'number' ? e.line : 0, character: typeof e.character === 'number' ? e.character : 0 }
      : undefined;
  const line = typeof o.line === 'number' && Number.isInteger(o.line) && o.line >= 0 ? { line: o.line } : {};
  const text = typeof o.text === 'string' ? { text: o.text } : {};
  const seconds = typeof o.seconds === 'number' && Number.isFinite(o.seconds) && o.seconds >= 0 ? { seconds: o.seconds } : {};
  const ends: Record<number, number> = {};
  if (o.ends && typeof o.ends === 'object')
    for (const [k, v] of Object.entries(o.ends as Record<string, unknown>)) if (Number.isInteger(Number(k)) && typeof v === 'number' && Number.isInteger(v)) ends[Number(k)] = v;
  return { uri: o.uri, output, ...(error ? { error } : {}), ...line, ...seconds, ...text, ...(Object.keys(ends).length ? { ends } : {}) };
}
