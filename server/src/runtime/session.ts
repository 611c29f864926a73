// The state a running spec accumulates: the dataset, its panel structure, globals, stored models.
import type { RegressionInput } from '../engine/types';
import type { Term } from '../../../grammar/src/ast';
import type { DataTable } from '../data/table';
import type { LoadedData } from '../data/load';
import { RunError } from './errors';
import type { LazyTable } from '../data/duck/lazyTable';
import { DuckSession, type DuckSettings } from '../data/duck/session';
import type { SqlRegressionSpec } from '../engine/sql/spec';

/** A model fitted in SQL on lazy data: what boottest needs to compute its cluster sums there. */
export interface LazyModelInput {
  duck: DuckSession;
  /** The estimation sample's relation (the view, filtered by the model's if/in). */
  relation: string;
  spec: SqlRegressionSpec;
}
import type { CommandResult, EstimationResult } from '../results/types';

/** The log file `log using` opened (commands/log.ts writes it). */
export interface OpenLog {
  path: string;
  written: string;
  /** Index in session.results of the first result the log holds. */
  from: number;
}
export interface PanelSetting {
  unit: string;
  time: string;
  delta: number; // time step between consecutive periods (xtset's delta, default 1)
}

export interface GlobalMacro {
  text: string; // the words as written
  terms?: Term[]; // as the parser read them, when it did
}

/** Grouping established by a `bysort`/`by` prefix: rows are sorted so that every group is contiguous. */
export interface ByGroups {
  vars: string[];
  /** start[i] = first row of row i's group; size[i] = rows in that group. */
  start: Int32Array;
  size: Int32Array;
}

export interface SessionOptions {
  file: string; // the spec file (for messages and results)
  baseDir: string; // folder that relative paths resolve against
  preloaded?: Map<string, LoadedData>; // datasets already read, by absolute path
  /** DuckDB's memory limit, temp folder and threads (lazy data). */
  duck?: DuckSettings;
  /** Files at least this large open lazily (default 1 GB). */
  lazyThresholdBytes?: number;
}



export class Session {
  data: DataTable | null = null;
  /** The dataset when it is lazy (opened in DuckDB, not loaded); `data` is null then. */
  lazy: LazyTable | null = null;
  private duckSession: DuckSession | null = null;
  dataFile: string | null = null;
  panel: PanelSetting | null = null;
  readonly globals = new Map<string, GlobalMacro>();
  /** eststo name (or auto name est1, est2 ...) -> model, in the order stored. */
  readonly models = new Map<string, EstimationResult>();
  readonly results: CommandResult[] = [];
  seed: number | null = null;
  /** The text log opened by `log using` (commands/log.ts). */
  log: OpenLog | null = null;
  private autoModel = 0;
  /** Row order the data is sorted by (sort / bysort), to skip re-sorting. */
  sortedBy: string[] = [];

  constructor(readonly options: SessionOptions) {}

  get baseDir(): string {
    return this.options.baseDir;
  }

  /** The dataset, or a clear error when no `use` came first. */
  requireData(): DataTable {
    if (this.lazy) throw new RunError('this step does not run on lazy data (the dataset stays in DuckDB): reduce it with `keep if ...` or `keep VARLIST`, then `materialize` to load it into memory');
    if (!this.data) throw new RunError('no data in memory: run `use "FILE"` first');
    return this.data;
  }

  /** The session's DuckDB (opened on first use; one per run). */
  duck(): DuckSession {
    if (!this.duckSession) this.duckSession = new DuckSession(this.options.duck ?? {});
    return this.duckSession;
  }

  /** Closes DuckDB, if it was opened (the end of a run). */
  closeDuck(): void {
    this.duckSession?.close();
    this.duckSession = null;
  }

  /** The names of the dataset's variables in order, lazy or in memory (null: no data). */
  variableNames(): string[] | null {
    if (this.lazy) return this.lazy.columns.map((c) => c.name);
    return this.data ? this.data.names : null;
  }

  /** The last model estimated (esttab without names and without stored models shows it). */
  lastModel: EstimationResult | null = null;
  /** The engine input of each OLS model (reg, reghdfe, did), for boottest after it or `estimates restore`. */
  readonly modelInputs = new WeakMap<EstimationResult, RegressionInput>();
  /** The SQL input of each model fitted on lazy data (reg, reghdfe, did), for boottest after it. */
  readonly lazyModels = new WeakMap<EstimationResult, LazyModelInput>();

  /** The next automatic eststo name: est1, est2 ... (as `eststo:` without a name does). */
  autoName(): string {
    let key: string;
    do key = `est${++this.autoModel}`;
    while (this.models.has(key));
    return key;
  }

  /** Keeps a model as the last estimate and, when named, stores it for esttab. */
  storeModel(model: EstimationResult, name: string | null): void {
    this.lastModel = model;
    if (name) this.models.set(name, model);
  }

  setGlobal(name: string, g: GlobalMacro): void {
    this.globals.set(name, g);
  }
}
