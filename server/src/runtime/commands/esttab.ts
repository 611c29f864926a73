// esttab [NAMES] [using "FILE"] [, keep() drop() order() rename() title() mtitles() replace
// b() se() t() p() star() r2 ar2 scalars() stats() indicate() addnotes() ...]: a side-by-side table
// of stored models, written in the format of the file's extension. The estout-style options are
// read by results/esttabSpec.ts (shared with the static check) and travel in the result's JSON.
import type { Option } from '../../../../grammar/src/ast';
import { resolveCommand } from '../../../../grammar/src/commands';
import { readEsttabLayout } from '../../results/esttabSpec';
import { regressionTable, type TableOptions } from '../../results/regressionTable';
import { renderTables, tableFormatFromPath } from '../../results/render/index';
import type { EstimationResult, TableResult } from '../../results/types';
import type { CommandContext } from '../context';
import { RunError } from '../errors';
import { Options, termText } from '../options';
import { bodyTerms, pathFrom } from './common';
import { writeOutput } from './files';

export async function cmdEsttab(ctx: CommandContext): Promise<void> {
  const opts = new Options(ctx.command);
  const session = ctx.session;
  const terms = bodyTerms(ctx);
  const names: string[] = [];
  for (const t of terms) {
    if (t.kind !== 'var' || t.op) throw new RunError(`esttab: expected stored model names, found ${termText(t)}`, t.range);
    if (t.wildcard) {
      const re = new RegExp('^' + t.name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
      const hit = [...session.models.keys()].filter((k) => re.test(k));
      if (!hit.length) throw new RunError(`esttab: no stored model matches ${t.name}`, t.range);
      names.push(...hit);
    } else {
      if (!session.models.has(t.name)) throw new RunError(`esttab: no stored model named ${t.name} (name models with eststo ${t.name}: ...)`, t.range);
      names.push(t.name);
    }
  }
  let models: EstimationResult[];
  if (names.length) models = names.map((n) => session.models.get(n)!);
  else if (session.models.size) {
    models = [...session.models.values()];
    names.push(...session.models.keys());
  } else if (session.lastModel) models = [session.lastModel];
  else throw new RunError('esttab: no estimation results to tabulate', ctx.command.nameRange);

  const list = (o: string) => (opts.has(o) ? opts.terms(o).map(termText) : undefined);
  const rename: Record<string, string> = {};
  const rt = list('rename');
  if (rt) for (let i = 0; i + 1 < rt.length; i += 2) rename[rt[i]] = rt[i + 1];
  const labels: Record<string, string> = {};
  for (const m of models) Object.assign(labels, m.labels ?? {});
  const given = new Map<string, Option>();
  for (const o of resolveCommand('esttab')!.options) {
    const w = opts.get(o.name);
    if (w) given.set(o.name, w);
  }
  const { layout, problems } = readEsttabLayout(given);
  if (problems.length) throw new RunError(`esttab: ${problems[0].message}`, problems[0].range);
  const tableOpts: TableOptions = {
    keep: list('keep'),
    drop: opts.has('noconstant') ? [...(list('drop') ?? []), '_cons'] : list('drop'),
    order: list('order'),
    rename: rt ? rename : undefined,
    title: opts.text('title'),
    mtitles: list('mtitles'),
    labels: opts.has('label') ? labels : undefined,
    decimals: decimalsFrom(opts),
    paren: layout.paren,
    bFormat: layout.b_format,
    parenFormat: layout.paren_format,
    starLevels: layout.star_levels,
    statRows: layout.stat_rows,
    indicate: layout.indicate,
    indicateLabels: layout.indicate_labels,
    numbers: layout.numbers,
    mtitleRow: layout.mtitle_row,
    notes: layout.notes,
    addnotes: layout.addnotes,
  };
  // the options as the table shows them (absent ones stay out of the JSON), then the estout-style layout
  const { keep, drop, order, rename: renamed, title, mtitles, labels: shownLabels, decimals } = tableOpts;
  const shown = definedOnly({ keep, drop, order, rename: renamed, title, mtitles, labels: shownLabels, decimals });
  const result: Omit<TableResult, 'seconds'> = { kind: 'table', models: names, file: null, ...shown, ...layout };

  if (ctx.command.using) {
    const u = ctx.command.using;
    const { path, written } = pathFrom({ kind: 'str', value: u.path, range: u.range }, session, 'esttab using', u.range);
    const format = tableFormatFromPath(path);
    if (!format) throw new RunError(`esttab using: unknown file type ${written} (use .tex .md .html .csv .docx or .txt)`, u.range);
    const model = regressionTable(models, tableOpts);
    const content = await renderTables([model], format);
    writeOutput(path, written, content, opts.has('replace'), u.range);
    result.file = written;
  }
  ctx.emit(result);
}

/** Decimal places from `decimals(N)` or a Stata format `fmt(%9.3f)` (the digits after the point). */
function decimalsFrom(opts: Options): number | undefined {
  if (opts.has('decimals')) {
    const d = opts.number('decimals') as number;
    if (!Number.isInteger(d) || d < 0 || d > 12) throw new RunError('decimals() needs a whole number from 0 to 12', opts.range('decimals'));
    return d;
  }
  if (opts.has('format')) {
    const written = opts.terms('format').map(termText).join('');
    if (/^\d{1,2}$/.test(written)) return Math.min(12, Number(written)); // estout: a digit count is %9.#f
    const m = /%-?\d*\.(\d+)[fg]c?/.exec(written);
    if (!m) throw new RunError('format(): write a Stata number format such as %9.3f', opts.range('format'));
    return Number(m[1]);
  }
  return undefined;
}

/** The fields of `o` that are not undefined (so that absent options stay out of the result). */
function definedOnly<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
