// Commands that write files: export delimited. Writing over an existing file needs `replace`
// (Stata's rule); without it the command fails and the file is left untouched.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Range } from '../../../../grammar/src/ast';
import { stringAt } from '../../data/table';
import type { CommandContext } from '../context';
import { ifMask } from '../context';
import { RunError } from '../errors';
import { Options } from '../options';
import { expandVarlist, plainNames } from '../varlist';
import { bodyTerms, pathFrom } from './common';
import { renderTables, tableFormatFromPath } from '../../results/render/index';
import type { TableModel } from '../../results/tableModel';

/**
 * `save("FILE")` of summarize/tabstat: writes the command's table in the format of FILE's
 * extension (`replace` to overwrite). Returns the path as written, or null without save().
 */
export async function saveTableOption(ctx: CommandContext, opts: Options, model: () => TableModel): Promise<string | null> {
  if (!opts.has('save')) return null;
  const arg = opts.terms('save');
  if (arg.length !== 1) throw new RunError('save() takes one file name: save("FILE.md")', opts.range('save'));
  const { path, written, range } = pathFrom(arg[0], ctx.session, `${ctx.canonical} save()`, opts.range('save'));
  const format = tableFormatFromPath(path);
  if (!format) throw new RunError(`save(): unknown file type ${written} (use .tex .md .html .csv .docx or .txt)`, range);
  writeOutput(path, written, await renderTables([model()], format), opts.has('replace'), range);
  return written;
}

/** Refuses to overwrite without `replace`; creates the folder if needed. */
export function writeOutput(path: string, written: string, content: string | Buffer, replace: boolean, range: Range): void {
  if (existsSync(path) && !replace) throw new RunError(`file ${written} already exists (add option replace to overwrite it)`, range, 'data');
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  } catch (e) {
    throw new RunError(`cannot write ${written}: ${(e as Error).message}`, range, 'data');
  }
}

export function csvField(s: string, delim: string): string {
  return s.includes(delim) || s.includes('"') || s.includes('\n') || s.includes('\r') ? `"${s.replace(/"/g, '""')}"` : s;
}

export function cmdExport(ctx: CommandContext): void {
  const opts = new Options(ctx.command);
  const terms = bodyTerms(ctx);
  const sub = terms[0];
  if (!sub || sub.kind !== 'var' || !'delimited'.startsWith(sub.name) || sub.name.length < 5)
    throw new RunError('only `export delimited "FILE.csv"` is supported', ctx.command.range);
  // the file is the first string term (Stata: export delimited [VARLIST] using FILE, or FILE first)
  const rest = terms.slice(1);
  let fileTerm = rest.find((t) => t.kind === 'str');
  if (!fileTerm && ctx.command.using) fileTerm = { kind: 'str', value: ctx.command.using.path, range: ctx.command.using.range };
  const varTerms = rest.filter((t) => t !== fileTerm);
  const { path, written, range } = pathFrom(fileTerm, ctx.session, 'export delimited', ctx.command.nameRange);
  const table = ctx.session.requireData();
  const names = varTerms.length ? plainNames(expandVarlist(varTerms, ctx.session), 'export delimited') : table.names;
  const delim = opts.text('delimiter') === 'tab' ? '\t' : (opts.text('delimiter') ?? ',') || ',';
  const mask = ifMask(ctx);
  const lines: string[] = [];
  if (!opts.has('novarnames')) lines.push(names.map((n) => csvField(n, delim)).join(delim));
  const cols = names.map((n) => table.get(n)!);
  let rows = 0;
  for (let i = 0; i < table.nrows; i++) {
    if (!mask[i]) continue;
    rows++;
    lines.push(
      cols
        .map((c) => {
          if (c.kind === 'numeric') {
            const v = c.values[i];
            if (Number.isNaN(v)) return '';
            const lab = !opts.has('nolabel') ? c.valueLabels?.get(v) : undefined;
            return lab !== undefined ? csvField(lab, delim) : String(v);
          }
          return csvField(stringAt(c, i), delim);
        })
        .join(delim),
    );
  }
  writeOutput(path, written, lines.join('\n') + '\n', opts.has('replace'), range);
  ctx.emit({ kind: 'export', file: written, rows, columns: names.length });
}
