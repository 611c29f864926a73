// `panelspec/data {uri, offset, limit, line?, sort?, filter?, profile?, reload?}`: a page of rows of
// the dataset a spec builds (its data steps up to `line`, or the whole file's), for the data viewer.
// The data steps run in a worker thread (dataSteps.ts via dataWorker.ts). The table is cached by the
// text of those steps, so editing a model line or scrolling re-runs nothing; a filter (an `if`
// expression) and a sort are applied to the cached table here (a mask and a radix sort: tens of
// milliseconds on a million rows).
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Expr, Program, Statement } from '../../../grammar/src/ast';
import { parse } from '../../../grammar/src/index';
import { canonicalCommand } from '../analysis/commands';
import { isLazyUse, usePath } from '../analysis/scope';
import { autoLazyReason } from '../data/duck/source';
import type { LazyTable } from '../data/duck/lazyTable';
import { lazyPage, type LazyPageRequest } from './lazyView';
import type { LoadedData } from '../data/load';
import { buildCatalog, type Catalog, type ColumnProfile } from '../data/catalog';
import { columnOrder } from '../data/order';
import type { DataTable } from '../data/table';
import { evaluateMask } from '../runtime/expr';
import type { GlobalMacro, PanelSetting } from '../runtime/session';
import { resolveCommand } from '../../../grammar/src/commands';
import { isDataStep, lastStatementAt, runDataSteps, type StepsRequest } from './dataSteps';
import { knownProfiles } from '../data/loadWorker';
import { runStepsInWorker, type StepsResult } from './dataWorker';
import type { DataParams } from '../protocol';

/** The request's parameters (the shared protocol's DataParams). */
export type DataRequestParams = DataParams;

export interface DataColumnReply {
  name: string;
  label?: string;
  type: 'numeric' | 'string';
  /** .dta value labels: [value, label] pairs, shown in the cells as Stata's browser does */
  valueLabels?: [number, string][];
  profile?: ColumnProfile;
}

export interface DataPageReply {
  columns: DataColumnReply[];
  rows: (number | string | null)[][];
  /** rows after the filter */
  total: number;
  /** rows before the filter */
  unfiltered: number;
  offset: number;
}

/** A request the viewer got wrong, or a spec that cannot build its data: the message is for the user. */
export class DataRequestError extends Error {}

export type StepsRunner = (req: StepsRequest) => Promise<StepsResult>;

/** A dataset the server already holds (the analysis loads every `use` file for completion), if any. */
export type LoadedLookup = (absPath: string) => Promise<{ data: LoadedData; catalog: Catalog; mtimeMs: number } | undefined>;


/** `lazy`: the data stay in DuckDB (pages are queries); `table` then has the columns and no rows. */
export type Built = { ok: true; table: DataTable; panel: PanelSetting | null; catalog?: Catalog; globals?: [string, GlobalMacro][]; lazy?: LazyTable } | { ok: false; message: string; line?: number };

/** One filter's view of the built table: the rows it keeps, their profiles and sort orders. */
interface View {
  table: DataTable;
  catalog?: Catalog;
  orders: Map<string, Int32Array>; // sort key -> row order
}

interface Entry {
  key: string;
  /** the document text and line the key was computed for (a scrolled page of an unchanged text reuses it) */
  text: string;
  line: number | undefined;
  built: Promise<Built>;
  views: Map<string, View>; // filter text ('' = none) -> view; a few kept
}

const MAX_LIMIT = 5000;
const MAX_VIEWS = 4;

export class DataViewService {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly source: (uri: string) => { text: string; version: number; file: string } | undefined,
    private readonly run: StepsRunner = (req) => runStepsInWorker(req),
    private readonly loaded?: LoadedLookup,
  ) {}

  forget(uri: string): void {
    const e = this.cache.get(uri);
    if (e) closeLazy(e);
    this.cache.delete(uri);
  }

  async page(p: DataRequestParams): Promise<DataPageReply> {
    if (!p || typeof p.uri !== 'string') throw new DataRequestError('panelspec/data needs {uri, offset, limit}');
    const offset = Number.isInteger(p.offset) && p.offset >= 0 ? p.offset : 0;
    const limit = Math.min(MAX_LIMIT, Number.isInteger(p.limit) && p.limit >= 0 ? p.limit : 100);
    const src = this.source(p.uri);
    if (!src) throw new DataRequestError(`unknown document ${p.uri}`);
    const entry = await this.entryFor(p, src);
    const r = await entry.built;
    if (!r.ok) throw new DataRequestError(r.line !== undefined ? `line ${r.line + 1}: ${r.message}` : r.message);
    const filter = typeof p.filter === 'string' ? p.filter.replace(/[\r\n]+/g, ' ').trim() : '';
    if (r.lazy) return lazyReply(r.lazy, r.panel, { filter, offset, limit, ...(p.sort && typeof p.sort.column === 'string' ? { sort: { column: p.sort.column, descending: !!p.sort.descending } } : {}) });
    let view = entry.views.get(filter);
    if (!view) {
      view = filter ? { table: r.table.filterRows(filterMask(r.table, r.panel, filter)), orders: new Map() } : { table: r.table, catalog: r.catalog, orders: new Map() };
      if (entry.views.size >= MAX_VIEWS) entry.views.delete([...entry.views.keys()].find((k) => k !== '') ?? '');
      entry.views.set(filter, view);
    }
    const table = view.table;
    let order: Int32Array | undefined;
    if (p.sort && typeof p.sort.column === 'string') {
      const sk = `${p.sort.column}|${p.sort.descending ? 'd' : 'a'}`;
      order = view.orders.get(sk);
      if (!order) {
        const c = table.get(p.sort.column);
        if (!c) throw new DataRequestError(`no column ${p.sort.column} to sort by`);
        order = columnOrder(c, !!p.sort.descending);
        view.orders.set(sk, order);
      }
    }
    const rows: (number | string | null)[][] = [];
    const end = Math.min(table.nrows, offset + limit);
    for (let k = offset; k < end; k++) rows.push(rowAt(table, order ? order[k] : k));
    if (p.profile && !view.catalog) view.catalog = buildCatalog(table);
    const catalog = view.catalog;
    const columns = table.columns.map((c): DataColumnReply => {
      const col: DataColumnReply = { name: c.name, type: c.kind };
      if (c.label) col.label = c.label;
      if (c.kind === 'numeric' && c.valueLabels?.size) col.valueLabels = [...c.valueLabels];
      if (p.profile && catalog) col.profile = catalog.byName.get(c.name);
      return col;
    });
    return { columns, rows, total: table.nrows, unfiltered: r.table.nrows, offset };
  }

  /**
   * The cached build for this request. A page of a view being scrolled (no profile asked) of an
   * unchanged text reuses it as it is; a new view (open, sort, filter, refresh: the profile is asked
   * for) re-derives the key from the data steps and the data files' dates.
   */
  private async entryFor(p: DataRequestParams, src: { text: string; version: number; file: string }): Promise<Entry> {
    const line = typeof p.line === 'number' && p.line >= 0 ? p.line : undefined;
    const cached = this.cache.get(p.uri);
    if (cached && !p.profile && !p.reload && cached.text === src.text && cached.line === line) return cached;
    const program = parse(src.text);
    const upTo = line === undefined ? undefined : lastStatementAt(program, line);
    if (upTo === -1) throw new DataRequestError('no statement on or above this line');
    const plan = await planSteps(program, upTo, src, this.loaded);
    if (cached && cached.key === plan.key && !p.reload) {
      cached.text = src.text;
      cached.line = line;
      return cached;
    }
    const entry: Entry = { key: plan.key, text: src.text, line, built: startSteps(plan, this.run), views: new Map() };
    if (cached) closeLazy(cached);
    this.cache.set(p.uri, entry);
    return entry;
  }
}

/** What building the data at a statement takes: the cache key and the request for the worker. */
export interface StepsPlan {
  /** what the data steps say (and the data files' dates), not the document version: a model edit changes nothing */
  key: string;
  req: StepsRequest;
  /** only light steps on datasets the server holds: built here rather than in a worker */
  light: boolean;
  /** a `use` opens lazily: built here (DuckDB runs on its own threads) and kept for paging */
  lazy: boolean;
}

/** The data steps up to statement `upTo` (undefined: all) and their cache key. */
export async function planSteps(program: Program, upTo: number | undefined, src: { text: string; version: number; file: string }, loaded?: LoadedLookup): Promise<StepsPlan> {
  const steps = program.statements.filter((st, i) => (upTo === undefined || i <= upTo) && isDataStep(st));
  // the datasets the server already holds (waiting for one still loading rather than reading it twice)
  const preloaded = new Map<string, LoadedData>();
  const catalogs = new Map<string, Catalog>();
  const stamps: string[] = [];
  for (const path of usePaths(steps, src.file)) {
    const e = loaded ? await loaded(path).catch(() => undefined) : undefined;
    if (!e) continue;
    preloaded.set(path, e.data);
    catalogs.set(path, e.catalog);
    stamps.push(`${path}@${e.mtimeMs}`);
  }
  const key = [src.file, program.errors.length ? `v${src.version}` : '', ...stamps, ...stepsText(src.text, steps)].join('\n');
  const req: StepsRequest = { text: src.text, file: src.file, upTo, ...(preloaded.size ? { preloaded, catalogs } : {}) };
  const light = preloaded.size > 0 && steps.every((st) => resolveCommand(st.command.name)?.dataStep === 'light');
  const lazy = await opensLazily(steps, src.file);
  return { key, req, light, lazy };
}

/** The text of each data step (what a cache of built data is keyed by). */
export function stepsText(text: string, steps: Statement[]): string[] {
  const lines = text.split(/\r?\n/);
  return steps.map((st) => textOf(lines, st.range));
}

/** Builds the data a plan describes: here for light steps, else in a worker. */
export function startSteps(plan: StepsPlan, run: StepsRunner = (req) => runStepsInWorker(req)): Promise<Built> {
  if (plan.lazy) return runDataSteps(plan.req, { keepLazy: true });
  return plan.light ? buildHere(plan.req) : run(plan.req);
}

/** Whether a `use` among the steps opens lazily (the option, a glob, a compressed CSV, a large file). */
async function opensLazily(steps: Statement[], specFile: string): Promise<boolean> {
  for (const st of steps) {
    const spec = resolveCommand(st.command.name);
    if (spec?.name !== 'use') continue;
    const written = usePath(st.command)?.written;
    if (!written) continue;
    const abs = isAbsolute(written) ? written : resolve(dirname(specFile), written);
    if (isLazyUse(st.command, spec, abs) || (await autoLazyReason(abs))) return true;
  }
  return false;
}

/** Closes the DuckDB of a lazy build that is no longer shown. */
function closeLazy(e: Entry): void {
  void e.built.then((b) => {
    if (b.ok && b.lazy) b.lazy.duck.close();
  });
}

async function lazyReply(lazy: LazyTable, panel: PanelSetting | null, req: LazyPageRequest): Promise<DataPageReply> {
  let page;
  try {
    page = await lazyPage(lazy, panel, req);
  } catch (e) {
    throw new DataRequestError((e as Error).message);
  }
  const rows: (number | string | null)[][] = [];
  for (let k = 0; k < page.table.nrows; k++) rows.push(rowAt(page.table, k));
  const columns = lazy.columns.map((c): DataColumnReply => ({ name: c.name, type: c.kind, ...(c.label ? { label: c.label } : {}) }));
  return { columns, rows, total: page.total, unfiltered: page.unfiltered, offset: req.offset };
}

/**
 * Light steps on a loaded dataset, here rather than in a worker: `use` shares the loaded columns, so
 * this takes milliseconds, and their profiles are the loaded ones.
 */
async function buildHere(req: StepsRequest): Promise<Built> {
  const r = await runDataSteps(req);
  return r.ok ? { ...r, catalog: buildCatalog(r.table, knownProfiles(req.preloaded, req.catalogs)) } : r;
}

/** The files the `use` steps read, as absolute paths (those naming a global are left to the run). */
function usePaths(steps: Statement[], specFile: string): string[] {
  return steps.flatMap((st) => {
    if (canonicalCommand(st.command.name) !== 'use') return [];
    const written = usePath(st.command)?.written;
    if (!written || written.includes('$')) return [];
    return [isAbsolute(written) ? written : resolve(dirname(specFile), written)];
  });
}

/** The text a range covers. */
function textOf(lines: string[], r: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  if (r.start.line === r.end.line) return (lines[r.start.line] ?? '').slice(r.start.character, r.end.character);
  return [(lines[r.start.line] ?? '').slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), (lines[r.end.line] ?? '').slice(0, r.end.character)].join('\n');
}

/** The rows where a filter (an `if` expression, as in a spec) is true; missing counts as true, as in Stata. */
export function filterMask(table: DataTable, panel: PanelSetting | null, filter: string): Uint8Array {
  const f = parse(`keep if (${filter})\n`);
  const expr: Expr | undefined = f.statements[0]?.command.ifExpr;
  if (f.errors.length || f.statements.length !== 1 || !expr) throw new DataRequestError(`filter: ${f.errors[0]?.message ?? 'not an expression'}`);
  try {
    return evaluateMask(expr, { table, panel });
  } catch (e) {
    throw new DataRequestError(`filter: ${(e as Error).message}`);
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
