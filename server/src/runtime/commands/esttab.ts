// esttab [NAMES] [using "FILE"] [, keep() drop() order() rename() title() mtitles() replace]:
// a side-by-side table of stored models, written in the format of the file's extension.
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
  const tableOpts: TableOptions = {
    keep: list('keep'),
    drop: list('drop'),
    order: list('order'),
    rename: rt ? rename : undefined,
    title: opts.text('title'),
    mtitles: list('mtitles'),
    labels: opts.has('label') ? labels : undefined,
    decimals: decimalsFrom(opts),
    paren: opts.has('t') ? 't' : undefined,
  };
  const result: Omit<TableResult, 'seconds'> = { kind: 'table', models: names, file: null };
  for (const k of ['keep', 'drop', 'order', 'rename', 'title', 'mtitles', 'labels', 'decimals', 'paren'] as const) if (tableOpts[k] !== undefined) (result as Record<string, unknown>)[k] = tableOpts[k];

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
  ctx.emit(result as { kind: string });
}

/** Decimal places from `decimals(N)` or a Stata format `fmt(%9.3f)` (the digits after the point). */
function decimalsFrom(opts: Options): number | undefined {
  if (opts.has('decimals')) {
    const d = opts.number('decimals') as number;
    if (!Number.isInteger(d) || d < 0 || d > 12) throw new RunError('decimals() needs a whole number from 0 to 12', opts.range('decimals'));
    return d;
  }
  if (opts.has('format')) {
    const m = /%-?\d*\.(\d+)[fg]c?/.exec(opts.terms('format').map(termText).join(''));
    if (!m) throw new RunError('format(): write a Stata number format such as %9.3f', opts.range('format'));
    return Number(m[1]);
  }
  return undefined;
}
