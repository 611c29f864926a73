// `panelspec/data {uri, offset, limit, line?, sort?, filter?, profile?}`: a page of rows of the
// dataset a spec builds (its data steps up to `line`, or the whole file's), for the data viewer. The
// data steps run in a worker thread (dataSteps.ts via loadWorker.ts); the table is cached per
// document version, line and filter, so paging and sorting do not re-run anything.
import type { ColumnProfile } from '../data/catalog';
import type { DataTable } from '../data/table';
import { parse } from '../../../grammar/src/index';
import { lastStatementAt } from './dataSteps';
import { runStepsInWorker, type StepsResult } from '../data/loadWorker';

export const DATA_REQUEST = 'panelspec/data';

export interface DataRequestParams {
  uri: string;
  offset: number;
  limit: number;
  /** 0-based line: the data as it is after the statement on (or last above) it. */
  line?: number;
  sort?: { column: string; descending?: boolean };
  /** A PanelSpec `if` expression: only the rows where it is true. */
  filter?: string;
  /** Include each column's profile (N, missing, mean, sd, min, max / distinct, top values). */
  profile?: boolean;
}

export interface DataColumnReply {
  name: string;
  label?: string;
  type: 'numeric' | 'string';
  profile?: ColumnProfile;
}

export interface DataPageReply {
  columns: DataColumnReply[];
  rows: (number | string | null)[][];
  total: number;
  offset: number;
}

/** A request the viewer got wrong, or a spec that cannot build its data: the message is for the user. */
export class DataRequestError extends Error {}

type StepsRunner = (req: { text: string; file: string; upTo?: number; filter?: string }) => Promise<StepsResult>;

interface Entry {
  key: string;
  result: Promise<StepsResult>;
  orders: Map<string, Int32Array>; // sort key -> row order
}

const MAX_LIMIT = 5000;

export class DataViewService {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly source: (uri: string) => { text: string; version: number; file: string } | undefined,
    private readonly run: StepsRunner = (req) => runStepsInWorker(req),
  ) {}

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  async page(p: DataRequestParams): Promise<DataPageReply> {
    if (!p || typeof p.uri !== 'string') throw new DataRequestError('panelspec/data needs {uri, offset, limit}');
    const offset = Number.isInteger(p.offset) && p.offset >= 0 ? p.offset : 0;
    const limit = Math.min(MAX_LIMIT, Number.isInteger(p.limit) && p.limit >= 0 ? p.limit : 100);
    const src = this.source(p.uri);
    if (!src) throw new DataRequestError(`unknown document ${p.uri}`);
    const upTo = typeof p.line === 'number' && p.line >= 0 ? lastStatementAt(parse(src.text), p.line) : undefined;
    if (upTo === -1) throw new DataRequestError('no statement on or above this line');
    const filter = typeof p.filter === 'string' && p.filter.trim() ? p.filter.trim() : undefined;
    const key = `${src.version}|${upTo ?? ''}|${filter ?? ''}`;
    let entry = this.cache.get(p.uri);
    if (!entry || entry.key !== key || src.version < 0) {
      entry = { key, result: this.run({ text: src.text, file: src.file, upTo, filter }), orders: new Map() };
      this.cache.set(p.uri, entry);
    }
    const r = await entry.result;
    if (!r.ok) throw new DataRequestError(r.line !== undefined ? `line ${r.line + 1}: ${r.message}` : r.message);
    const table = r.table;
    let order: Int32Array | undefined;
    if (p.sort && typeof p.sort.column === 'string') {
      const sk = `${p.sort.column}|${p.sort.descending ? 'd' : 'a'}`;
      order = entry.orders.get(sk);
      if (!order) {
        order = sortOrder(table, p.sort.column, !!p.sort.descending);
        entry.orders.set(sk, order);
      }
    }
    const rows: (number | string | null)[][] = [];
    const end = Math.min(table.nrows, offset + limit);
    for (let k = offset; k < end; k++) rows.push(rowAt(table, order ? order[k] : k));
    const columns = table.columns.map((c): DataColumnReply => {
      const col: DataColumnReply = { name: c.name, type: c.kind };
      if (c.label) col.label = c.label;
      if (p.profile) col.profile = r.catalog.byName.get(c.name);
      return col;
    });
    return { columns, rows, total: table.nrows, offset };
  }
}

function rowAt(t: DataTable, i: number): (number | string | null)[] {
  return t.columns.map((c) => {
    if (c.kind === 'numeric') {
      const v = c.values[i];
      return Number.isNaN(v) ? null : v;
    }
    const k = c.codes[i];
    return k < 0 ? null : c.levels[k];
  });
}

/** Row order by one column (stable; missing values last, as Stata sorts `.` above every number). */
export function sortOrder(t: DataTable, column: string, descending: boolean): Int32Array {
  const c = t.get(column);
  if (!c) throw new DataRequestError(`no column ${column} to sort by`);
  const idx = Array.from({ length: t.nrows }, (_, i) => i);
  const sign = descending ? -1 : 1;
  if (c.kind === 'numeric') {
    const v = c.values;
    idx.sort((a, b) => {
      const x = v[a];
      const y = v[b];
      const mx = Number.isNaN(x);
      const my = Number.isNaN(y);
      if (mx || my) return mx === my ? a - b : mx ? 1 : -1;
      return x === y ? a - b : (x < y ? -1 : 1) * sign;
    });
  } else {
    const rank = c.levels.map((_, i) => i).sort((a, b) => (c.levels[a] < c.levels[b] ? -1 : c.levels[a] > c.levels[b] ? 1 : 0));
    const pos = new Int32Array(c.levels.length);
    rank.forEach((lvl, r) => (pos[lvl] = r));
    idx.sort((a, b) => {
      const x = c.codes[a];
      const y = c.codes[b];
      if (x < 0 || y < 0) return x < 0 && y < 0 ? a - b : x < 0 ? 1 : -1;
      return pos[x] === pos[y] ? a - b : (pos[x] - pos[y]) * sign;
    });
  }
  return Int32Array.from(idx);
}
