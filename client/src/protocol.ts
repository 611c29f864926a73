// The messages between the extension, the language server and the results webview. Pure types
// and names (no `vscode` import) so tests and the webview script can share them.

import type { RunOutput } from '../../server/src/results/types';
import type { TableFormat } from '../../server/src/results/render/index';

/** Command ids contributed in package.json. */
export const Commands = {
  runFile: 'panelspec.runFile',
  runLine: 'panelspec.runLine',
  showResults: 'panelspec.showResults',
  exportTable: 'panelspec.exportTable',
  openDataViewer: 'panelspec.openDataViewer',
  restartServer: 'panelspec.restartServer',
} as const;

/** The server's executeCommand that runs a spec (whole file, or the statement at `line`). */
export const SERVER_RUN_COMMAND = 'panelspec.run';
export const RESULTS_NOTIFICATION = 'panelspec/results';
export const TRUST_NOTIFICATION = 'panelspec/trust';
export const LANGUAGE_ID = 'panelspec';
export const RESULTS_VIEW_TYPE = 'panelspec.results';
export const DATA_VIEW_TYPE = 'panelspec.data';
/** Request for the data viewer: a window of rows of the dataset a spec builds (after its last data step). */
export const DATA_REQUEST = 'panelspec/data';

export interface DataParams {
  uri: string;
  offset: number; // first row, 0-based
  limit: number; // at most this many rows
  line?: number; // 0-based: the data as the spec's data steps leave it up to this line (default: whole file)
}

export interface DataColumnInfo {
  name: string;
  label?: string;
  type: 'numeric' | 'string';
}

export interface DataPage {
  columns: DataColumnInfo[];
  rows: (number | string | null)[][]; // row-major, null = missing
  total: number; // rows in the dataset
  offset: number;
}

/** Messages of the data viewer webview. */
export type DataViewMessage = { type: 'need'; offset: number; limit: number };

export function parseDataViewMessage(m: unknown): DataViewMessage | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const o = m as Record<string, unknown>;
  const ok = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  if (o.type === 'need' && ok(o.offset) && ok(o.limit) && o.limit <= 5000) return { type: 'need', offset: o.offset, limit: o.limit };
  return undefined;
}

/** Checks a server answer before it reaches the webview. */
export function parseDataPage(x: unknown): DataPage | undefined {
  if (!x || typeof x !== 'object') return undefined;
  const o = x as Record<string, unknown>;
  if (!Array.isArray(o.columns) || !Array.isArray(o.rows) || typeof o.total !== 'number') return undefined;
  const columns = (o.columns as unknown[]).flatMap((c) => {
    const cc = c as Record<string, unknown> | null;
    return cc && typeof cc.name === 'string'
      ? [{ name: cc.name, type: cc.type === 'string' ? ('string' as const) : ('numeric' as const), ...(typeof cc.label === 'string' ? { label: cc.label } : {}) }]
      : [];
  });
  const rows = (o.rows as unknown[]).filter(Array.isArray).map((r) => (r as unknown[]).map((v) => (typeof v === 'number' || typeof v === 'string' ? v : null)));
  return { columns, rows, total: Math.max(0, Math.floor(o.total)), offset: typeof o.offset === 'number' ? o.offset : 0 };
}

export interface RunParams {
  uri: string;
  line?: number; // 0-based, as LSP positions
}

export interface RunError {
  message: string;
  line: number; // 0-based (LSP)
  character: number;
}

export interface ResultsParams {
  uri: string;
  output: RunOutput;
  error?: RunError;
  line?: number; // set when the run was of one statement (`panelspec.run {uri, line}`)
}

/** What the server's `panelspec.run` returns (the results themselves come by notification). */
export interface RunReply {
  ok: boolean;
  results: number;
  error?: RunError;
  refused?: string; // not run at all (untrusted workspace, unknown document): why
}

export interface TrustParams {
  trusted: boolean;
}

/** What the webview asks the extension to do. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'copy'; tableId: string; format: 'latex' | 'markdown' }
  | { type: 'export'; tableId: string; format?: TableFormat }
  | { type: 'exportAll'; format?: TableFormat }
  | { type: 'savePlot'; plotId: string; format: 'svg' }
  | { type: 'savePng'; plotId: string; dataBase64: string }
  | { type: 'reveal'; line: number; character: number }
  | { type: 'failed'; message: string };

/** What the extension tells a live webview. */
export type HostMessage = { type: 'running'; running: boolean };

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
      return tableId && (format === 'latex' || format === 'markdown') ? { type: 'copy', tableId, format } : undefined;
    }
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
      return plotId && o.format === 'svg' ? { type: 'savePlot', plotId, format: 'svg' } : undefined;
    }
    case 'savePng': {
      const plotId = str('plotId');
      const data = str('dataBase64');
      return plotId && data && /^[A-Za-z0-9+/]+=*$/.test(data) ? { type: 'savePng', plotId, dataBase64: data } : undefined;
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
  return { uri: o.uri, output, ...(error ? { error } : {}), ...line };
}
