// Data-management commands: use, xtset, global, generate, replace, keep, drop, sort, label,
// rename, set, clear.
import { stripEnclosingQuotes } from '../../../../grammar/src/termText';
import { loadDataset } from '../../data/load';
import { autoLazyReason, openLazy } from '../../data/duck/source';
import { lazyRowCount } from '../../data/duck/lazyTable';
import { firstRepeatedPair } from '../../data/catalog';
import type { NumericColumn, StringColumn } from '../../data/table';
import type { CommandContext } from '../context';
import { evalContext, ifMask } from '../context';
import { RunError } from '../errors';
import { MAX_MACRO_LENGTH, macroTooLong } from '../../../../grammar/src/limits';
import { evaluate } from '../expr';
import { Options, termNumbers, termText } from '../options';
import { expandVarlist, plainNames } from '../varlist';
import { bodyTerms, checkNewName, columnFromValue, pathFrom, prepareBy, sortSession } from './common';
import { expandStringGlobals } from '../globals';

export async function cmdUse(ctx: CommandContext): Promise<void> {
  const opts = new Options(ctx.command);
  const terms = bodyTerms(ctx);
  const usingTerm = terms[0] ?? (ctx.command.using ? ({ kind: 'str', value: ctx.command.using.path, range: ctx.command.using.range } as const) : undefined);
  const { path, written } = pathFrom(usingTerm, ctx.session, 'use', ctx.command.nameRange);
  if (opts.has('lazy') || (!opts.has('sheet') && !opts.has('encoding') && (await autoLazyReason(path, ctx.session.options.lazyThresholdBytes)))) {
    if (opts.has('sheet') || opts.has('encoding')) throw new RunError('use: lazy reading takes neither sheet() nor encoding() (DuckDB reads UTF-8 text)', opts.range('lazy'));
    await useLazy(ctx, path, written);
    return;
  }
  const loadOpts: Record<string, unknown> = {};
  const sheet = opts.text('sheet');
  if (sheet) loadOpts.sheet = sheet;
  const enc = opts.text('encoding');
  if (enc) loadOpts.encoding = enc;
  // a dataset the static check already read is reused (copied: commands add columns to it)
  const pre = Object.keys(loadOpts).length ? undefined : ctx.session.options.preloaded?.get(path);
  const loaded = pre ? { ...pre, table: pre.table.clone() } : await loadDataset(path, loadOpts as never);
  const session = ctx.session;
  session.data = loaded.table;
  session.lazy = null;
  session.dataFile = path;
  session.panel = null;
  session.sortedBy = [];
  const out = ctx.emit({
    kind: 'data',
    file: written,
    rows: loaded.table.nrows,
    columns: loaded.table.columns.length,
    ...(loaded.encoding ? { encoding: loaded.encoding } : {}),
    ...(loaded.warnings.length ? { notes: loaded.warnings } : {}),
  });
  // the read done ahead of the run (CLI static check) is this command's time too
  if (pre?.readSeconds) {
    out.seconds += pre.readSeconds;
    ctx.session.options.preloaded?.set(path, { ...pre, readSeconds: undefined }); // once: a second `use` of it reads nothing
  }
}

/** `use` of a file (or glob) opened in DuckDB: a view over it, no rows read. */
async function useLazy(ctx: CommandContext, path: string, written: string): Promise<void> {
  const session = ctx.session;
  const { table, warnings } = await openLazy(session.duck(), path, { signal: ctx.signal });
  const rows = await lazyRowCount(table, ctx.signal);
  session.lazy = table;
  session.data = null;
  session.dataFile = path;
  session.panel = null;
  session.sortedBy = [];
  ctx.emit({ kind: 'data', file: written, rows, columns: table.columns.length, lazy: true, ...(warnings.length ? { notes: warnings } : {}) });
}

export function cmdClear(ctx: CommandContext): void {
  ctx.session.lazy = null;
  ctx.session.data = null;
  ctx.session.panel = null;
}

export function cmdXtset(ctx: CommandContext): void {
  const opts = new Options(ctx.command);
  const names = plainNames(expandVarlist(bodyTerms(ctx), ctx.session), 'xtset');
  if (names.length !== 2) throw new RunError('xtset needs a unit and a time variable: xtset UNIT TIME', ctx.command.range);
  const table = ctx.session.requireData();
  const time = table.get(names[1]);
  if (time?.kind !== 'numeric') throw new RunError(`time variable ${names[1]} must be numeric`, ctx.command.range);
  const delta = opts.number('delta', 1) as number;
  ctx.session.panel = { unit: names[0], time: names[1], delta };
  // Stata refuses repeated (unit, time) pairs; check now so the error points at xtset
  const unit = table.get(names[0]);
  if (!unit) throw new RunError(`variable ${names[0]} not found`, ctx.command.range);
  const i = firstRepeatedPair(unit, time.values);
  if (i >= 0) {
    const u = unit.kind === 'numeric' ? unit.values[i] : unit.levels[unit.codes[i]];
    throw new RunError(`repeated time values within panel (${names[0]} = ${u}, ${names[1]} = ${time.values[i]})`, ctx.command.range, 'data');
  }
}

export function cmdGlobal(ctx: CommandContext): void {
  const b = ctx.command.body;
  if (b.kind !== 'global') throw new RunError('global NAME WORDS...', ctx.command.range);
  // a quoted value is stored without one enclosing pair of quotes ("..." or `"..."'), as Stata does
  let text = stripEnclosingQuotes(b.text.trim());
  let keepTerms = text === b.text.trim();
  // as Stata: globals inside the definition expand now, not when this one is used
  if (text.includes('$')) {
    text = expandStringGlobals(text, ctx.session, b.textRange, `global ${b.name}`);
    keepTerms = false;
  }
  if (text.length > MAX_MACRO_LENGTH) throw new RunError(macroTooLong(`global ${b.name}`), b.textRange);
  ctx.session.setGlobal(b.name, { text, terms: keepTerms ? b.terms : undefined });
}

export { stripEnclosingQuotes };

export function cmdGenerate(ctx: CommandContext, isReplace: boolean): void {
  new Options(ctx.command);
  const b = ctx.command.body;
  if (b.kind !== 'gen') throw new RunError(`${ctx.command.name} NAME = EXPRESSION`, ctx.command.range);
  const name = b.target.name;
  const session = ctx.session;
  const by = prepareBy(ctx);
  const table = session.requireData();
  const existing = table.get(name);
  if (isReplace) {
    if (!existing) throw new RunError(`variable ${name} not found`, b.target.range);
  } else checkNewName(name, session, b.target.range);
  const ectx = evalContext(ctx, by);
  const value = evaluate(b.expr, ectx);
  const mask = ifMask(ctx, by);
  const n = table.nrows;
  if (!isReplace) {
    const wantsString = b.type?.startsWith('str');
    if (wantsString && value.kind !== 'str') throw new RunError('type mismatch: a str variable needs a string expression', b.expr.range);
    if (value.kind === 'num') {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = mask[i] ? value.v[i] : NaN;
      table.add(columnFromValue(name, { kind: 'num', v }));
    } else table.add(columnFromValue(name, { kind: 'str', v: value.v.map((s, i) => (mask[i] ? s : '')) }));
    ctx.dataChanged();
    return;
  }
  const col = existing as NumericColumn | StringColumn;
  if (col.kind === 'numeric') {
    if (value.kind !== 'num') throw new RunError(`type mismatch: ${name} is numeric`, b.expr.range);
    const v = col.values.slice();
    for (let i = 0; i < n; i++)
      if (mask[i] && !Object.is(v[i], value.v[i]) && !(Number.isNaN(v[i]) && Number.isNaN(value.v[i]))) {
        v[i] = value.v[i];
      }
    table.add({ ...col, ...columnFromValue(name, { kind: 'num', v }) });
  } else {
    if (value.kind !== 'str') throw new RunError(`type mismatch: ${name} is a string variable`, b.expr.range);
    const cur = Array.from(col.codes, (k) => (k < 0 ? '' : col.levels[k]));
    for (let i = 0; i < n; i++)
      if (mask[i] && cur[i] !== value.v[i]) {
        cur[i] = value.v[i];
      }
    table.add({ ...col, ...columnFromValue(name, { kind: 'str', v: cur }) });
  }
  ctx.dataChanged();
}

export function cmdKeepDrop(ctx: CommandContext, keep: boolean): void {
  new Options(ctx.command);
  const session = ctx.session;
  const terms = bodyTerms(ctx);
  const table0 = session.requireData();
  if (terms.length) {
    if (ctx.command.ifExpr || ctx.command.inRange) throw new RunError(`${keep ? 'keep' : 'drop'}: give either a variable list or if/in, not both`, ctx.command.range);
    const names = plainNames(expandVarlist(terms, session), keep ? 'keep' : 'drop');
    const set = new Set(names);
    for (const c of [...table0.columns]) if (set.has(c.name) !== keep) table0.drop(c.name);
    if (session.panel && (!table0.has(session.panel.unit) || !table0.has(session.panel.time))) session.panel = null;
    ctx.dataChanged();
    return;
  }
  if (!ctx.command.ifExpr && !ctx.command.inRange) throw new RunError(`${keep ? 'keep' : 'drop'} needs a variable list, an if condition or an in range`, ctx.command.range);
  const by = prepareBy(ctx);
  const table = session.requireData();
  const mask = ifMask(ctx, by);
  const rowsKeep = new Uint8Array(table.nrows);
  for (let i = 0; i < table.nrows; i++) rowsKeep[i] = keep ? mask[i] : mask[i] ? 0 : 1;
  session.data = table.filterRows(rowsKeep);
  ctx.dataChanged();
}

export function cmdSort(ctx: CommandContext): void {
  new Options(ctx.command);
  const names = plainNames(expandVarlist(bodyTerms(ctx), ctx.session), 'sort');
  if (!names.length) throw new RunError('sort needs a variable list', ctx.command.range);
  sortSession(ctx.session, names);
}

/** label var NAME "TEXT" (label variable). */
export function cmdLabel(ctx: CommandContext): void {
  const terms = bodyTerms(ctx);
  const sub = terms[0];
  if (!sub || sub.kind !== 'var' || !/^var(iable|iabl|iab|ia|i)?$/.test(sub.name))
    throw new RunError('only `label var NAME "TEXT"` is supported', ctx.command.range);
  const v = terms[1];
  const txt = terms[2];
  if (!v || v.kind !== 'var') throw new RunError('label var: variable name missing', ctx.command.range);
  const table = ctx.session.requireData();
  const col = table.get(v.name);
  if (!col) throw new RunError(`variable ${v.name} not found`, v.range);
  const label = txt ? (txt.kind === 'str' ? txt.value : termText(txt)) : '';
  table.add({ ...col, label });
}

export function cmdRename(ctx: CommandContext): void {
  const terms = bodyTerms(ctx);
  if (terms.length !== 2 || terms[0].kind !== 'var' || terms[1].kind !== 'var') throw new RunError('rename OLD NEW', ctx.command.range);
  const table = ctx.session.requireData();
  const col = table.get(terms[0].name);
  if (!col) throw new RunError(`variable ${terms[0].name} not found`, terms[0].range);
  checkNewName(terms[1].name, ctx.session, terms[1].range);
  // rebuild the column order with the new name in place
  const cols = table.columns.map((c) => (c === col ? { ...c, name: (terms[1] as { name: string }).name } : c));
  for (const c of [...table.columns]) table.drop(c.name);
  for (const c of cols) table.add(c);
  const p = ctx.session.panel;
  const newName = terms[1].name;
  if (p) ctx.session.panel = { ...p, unit: p.unit === col.name ? newName : p.unit, time: p.time === col.name ? newName : p.time };
}

/** set seed N (other settings accepted and ignored: they have no meaning here). */
export function cmdSet(ctx: CommandContext): void {
  const terms = bodyTerms(ctx);
  const what = terms[0];
  if (!what || what.kind !== 'var') throw new RunError('set WHAT VALUE', ctx.command.range);
  if (what.name === 'seed') {
    const nums = termNumbers(terms.slice(1), ctx.command.range);
    if (nums.length !== 1 || !Number.isInteger(nums[0])) throw new RunError('set seed needs an integer', ctx.command.range);
    ctx.session.seed = nums[0];
  }
}
