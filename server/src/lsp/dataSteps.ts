// The dataset a spec builds, for the data viewer: its data statements (use, gen, replace, egen, keep,
// drop, bysort ..., entropy, psmatch) run up to a statement, skipping estimations and anything that
// writes files or takes long for nothing (esttab, export, placebo, summaries). An optional filter is
// a PanelSpec `if` expression, applied as a last `keep if (FILTER)` so it means what it means in a spec.
import type { Program, Statement } from '../../../grammar/src/ast';
import { parse } from '../../../grammar/src/index';
import { canonicalCommand } from '../analysis/commands';
import { runProgram } from '../runtime/interpreter';
import type { DataTable } from '../data/table';

/** Commands that change the dataset (or what later data commands read: globals, panel, seed). */
const DATA_COMMANDS = new Set(['use', 'clear', 'xtset', 'tsset', 'global', 'generate', 'replace', 'keep', 'drop', 'egen', 'sort', 'label', 'rename', 'entropy', 'psmatch', 'set']);

export function isDataStep(st: Statement): boolean {
  const name = canonicalCommand(st.command.name);
  if (!name || !DATA_COMMANDS.has(name)) return false;
  // `placebo ...: did` is an estimation; eststo only prefixes estimations
  return !st.prefixes.some((p) => /^(placebo|eststo)$/.test(canonicalCommand(p.name) ?? ''));
}

export interface StepsRequest {
  text: string;
  file: string; // absolute path of the spec
  /** Last statement index to include (undefined: the whole file). */
  upTo?: number;
  filter?: string;
}

export type StepsOutcome = { ok: true; table: DataTable } | { ok: false; message: string; line?: number; character?: number };

/** Statement index of the last statement starting on or above `line` (-1 if none). */
export function lastStatementAt(program: Program, line: number): number {
  let i = -1;
  program.statements.forEach((st, k) => {
    if (st.range.start.line <= line) i = k;
  });
  return i;
}

export async function runDataSteps(req: StepsRequest): Promise<StepsOutcome> {
  const program = parse(req.text);
  if (program.errors.length) {
    const e = program.errors[0];
    return { ok: false, message: e.message, line: e.range.start.line, character: e.range.start.character };
  }
  const steps = program.statements.filter((st, i) => (req.upTo === undefined || i <= req.upTo) && isDataStep(st));
  let statements = steps;
  if (req.filter && req.filter.trim()) {
    const f = parse(`keep if (${req.filter.replace(/[\r\n]+/g, ' ')})\n`);
    if (f.errors.length || f.statements.length !== 1) return { ok: false, message: `filter: ${f.errors[0]?.message ?? 'not an expression'}` };
    statements = [...steps, f.statements[0]];
  }
  let current = -1; // the statement running (progress comes before each one)
  const out = await runProgram({ ...program, statements }, { file: req.file, onProgress: (p) => (current = p.statement) });
  if (out.error) {
    const r = out.error.range;
    // the filter is the last statement and has no place in the spec
    if (statements.length > steps.length && current === statements.length - 1) return { ok: false, message: `filter: ${out.error.message}` };
    return { ok: false, message: out.error.message, line: r?.start.line, character: r?.start.character };
  }
  const table = out.session.data;
  if (!table) return { ok: false, message: 'the spec loads no data (no `use` above this line)' };
  return { ok: true, table };
}
