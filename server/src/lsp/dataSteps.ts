// The dataset a spec builds, for the data viewer: its data statements (use, gen, replace, egen, keep,
// drop, bysort ..., entropy, psmatch) run up to a statement, skipping estimations and anything that
// writes files or takes long for nothing (esttab, export, placebo, summaries).
import type { Program, Statement } from '../../../grammar/src/ast';
import { parse } from '../../../grammar/src/index';
import { resolveCommand } from '../../../grammar/src/commands';
import { runProgram } from '../runtime/interpreter';
import { DataTable } from '../data/table';
import type { LazyTable } from '../data/duck/lazyTable';
import type { LoadedData } from '../data/load';
import type { Catalog } from '../data/catalog';
import type { GlobalMacro, PanelSetting } from '../runtime/session';

/** A statement that changes the dataset (or what later data steps read: globals, panel, seed), as the command table says. */
export function isDataStep(st: Statement): boolean {
  if (!resolveCommand(st.command.name)?.dataStep) return false;
  // `placebo ...: did` is an estimation; eststo only prefixes estimations
  return !st.prefixes.some((p) => {
    const role = resolveCommand(p.name)?.prefixRole;
    return role === 'resample' || role === 'store';
  });
}

export interface StepsRequest {
  text: string;
  file: string; // absolute path of the spec
  /** Last statement index to include (undefined: the whole file). */
  upTo?: number;
  /** Datasets already in memory, by absolute path: `use` copies them instead of reading the file. */
  preloaded?: Map<string, LoadedData>;
  /** Their profiles, by the same paths: columns the steps leave as loaded are not profiled again. */
  catalogs?: Map<string, Catalog>;
}

/** `globals`: the macros the steps defined, for a command read against the table (twfeWarning.ts). */
/** `lazy`: the data stayed in DuckDB (`use ..., lazy`); `table` then holds its columns without rows, and the caller closes `lazy.duck`. */
export type StepsOutcome = { ok: true; table: DataTable; panel: PanelSetting | null; globals: [string, GlobalMacro][]; lazy?: LazyTable } | { ok: false; message: string; line?: number; character?: number };

/** Statement index of the last statement starting on or above `line` (-1 if none). */
export function lastStatementAt(program: Program, line: number): number {
  let i = -1;
  program.statements.forEach((st, k) => {
    if (st.range.start.line <= line) i = k;
  });
  return i;
}

export async function runDataSteps(req: StepsRequest, opts: { keepLazy?: boolean } = {}): Promise<StepsOutcome> {
  const program = parse(req.text);
  if (program.errors.length) {
    const e = program.errors[0];
    return { ok: false, message: e.message, line: e.range.start.line, character: e.range.start.character };
  }
  const statements = program.statements.filter((st, i) => (req.upTo === undefined || i <= req.upTo) && isDataStep(st));
  const out = await runProgram({ ...program, statements }, { file: req.file, preloaded: req.preloaded, keepDuck: opts.keepLazy });
  if (out.error) {
    const r = out.error.range;
    return { ok: false, message: out.error.message, line: r?.start.line, character: r?.start.character };
  }
  const lazy = out.session.lazy;
  if (lazy) {
    if (!opts.keepLazy) return { ok: false, message: 'the data are lazy (in DuckDB): the viewer pages them in the language server' };
    const columns = lazy.columns.map((c) => (c.kind === 'numeric' ? { kind: 'numeric' as const, name: c.name, values: new Float64Array(0), ...(c.label ? { label: c.label } : {}) } : { kind: 'string' as const, name: c.name, codes: new Int32Array(0), levels: [], ...(c.label ? { label: c.label } : {}) }));
    return { ok: true, table: new DataTable(0, columns), panel: out.session.panel, globals: [...out.session.globals], lazy };
  }
  const table = out.session.data;
  if (!table) return { ok: false, message: 'the spec loads no data (no `use` above this line)' };
  return { ok: true, table, panel: out.session.panel, globals: [...out.session.globals] };
}
