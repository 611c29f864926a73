// Study commands: entropy (entropy-weighted index) and psmatch (propensity-score matching), on top
// of the study engine (server/src/engine/study/).
import { ENTROPY_DEFAULTS, entropyIndex } from '../../engine/study/entropy';
import { psMatch } from '../../engine/study/psmatch';
import type { IndexResult, MatchResult } from '../../results/types';
import type { CommandContext } from '../context';
import { ifMask } from '../context';
import { numericValues } from '../design';
import { atCommand, RunError } from '../errors';
import { codeColumn } from '../factors';
import { Options } from '../options';
import { expandVarlist, plainNames, type VarItem } from '../varlist';
import { checkNewName, columnFromValue } from './common';

/** entropy NEW = VARLIST [if] [, negative(VARLIST) shift(0.0001) scale(100)] */
export function cmdEntropy(ctx: CommandContext): void {
  const b = ctx.command.body;
  if (b.kind !== 'define') throw new RunError('entropy NEW = VARLIST', ctx.command.range);
  const opts = new Options(ctx.command);
  const session = ctx.session;
  const table = session.requireData();
  checkNewName(b.target.name, session, b.target.range);
  const items = expandVarlist(b.terms, session) as VarItem[];
  const names = plainNames(items, 'entropy');
  if (!names.length) throw new RunError('entropy needs indicator variables', ctx.command.range);
  const neg = new Set(opts.has('negative') ? plainNames(expandVarlist(opts.terms('negative'), session), 'negative()') : []);
  for (const v of neg) if (!names.includes(v)) throw new RunError(`negative(): ${v} is not among the indicators`, opts.range('negative'));
  const shift = opts.number('shift', ENTROPY_DEFAULTS.shift) as number;
  const scale = opts.number('scale', ENTROPY_DEFAULTS.scale) as number;
  const out = atCommand(ctx.command.nameRange, () =>
    entropyIndex(
      items.map((it) => ({ name: it.name, values: numericValues(session, it), negative: neg.has(it.name) })),
      { shift, scale, sample: ifMask(ctx) },
    ),
  );
  table.add(columnFromValue(b.target.name, { kind: 'num', v: out.values }));
  const result: Omit<IndexResult, 'seconds'> = { kind: 'index', name: b.target.name, method: 'entropy', weights: out.weights };
  ctx.emit({ ...result, nobs: out.nobs, shift, scale, ...(out.warnings.length ? { warnings: out.warnings } : {}) });
}

/** psmatch TREAT VARLIST [if], gen(NEW) [neighbors(1)] [caliper(C)] [by(VAR)] [pscore(NEW)] */
export function cmdPsmatch(ctx: CommandContext): void {
  const opts = new Options(ctx.command);
  const session = ctx.session;
  const table = session.requireData();
  const items = expandVarlist(ctx.command.body.kind === 'terms' ? ctx.command.body.terms : [], session, { allowFactor: true }) as VarItem[];
  if (items.length < 2) throw new RunError('psmatch TREAT VARLIST, gen(NEW)', ctx.command.nameRange);
  const genTerms = opts.required('gen');
  const newName = genTerms[0].kind === 'var' ? genTerms[0].name : '';
  if (!newName) throw new RunError('gen() needs a new variable name', opts.range('gen'));
  checkNewName(newName, session, genTerms[0].range);
  let pscoreName: string | null = null;
  if (opts.has('pscore')) {
    const t = opts.terms('pscore')[0];
    pscoreName = t && t.kind === 'var' ? t.name : null;
    if (!pscoreName) throw new RunError('pscore() needs a new variable name', opts.range('pscore'));
    checkNewName(pscoreName, session, t.range);
  }
  const treat = items[0];
  const covariates = items.slice(1).map((it) => {
    if (it.kind !== 'var' || it.factor) throw new RunError('psmatch covariates must be plain variables', it.range);
    return { name: it.name, values: numericValues(session, it) };
  });
  let by: { name: string; codes: Int32Array } | undefined;
  if (opts.has('by')) {
    const names = plainNames(expandVarlist(opts.terms('by'), session), 'by()');
    if (names.length !== 1) throw new RunError('by() takes one variable', opts.range('by'));
    by = { name: names[0], codes: codeColumn(table, names[0]).codes };
  }
  const out = atCommand(ctx.command.nameRange, () =>
    psMatch({
      treat: { name: treat.name, values: numericValues(session, treat) },
      covariates,
      sample: ifMask(ctx),
      by,
      neighbors: opts.number('neighbors'),
      caliper: opts.number('caliper'),
    }),
  );
  table.add(columnFromValue(newName, { kind: 'num', v: out.matched }));
  if (pscoreName) table.add(columnFromValue(pscoreName, { kind: 'num', v: out.pscore }));
  const result: Pick<MatchResult, 'kind' | 'name' | 'treated_matched' | 'controls_used' | 'rows_kept'> = {
    kind: 'match',
    name: newName,
    treated_matched: out.treated_matched,
    controls_used: out.controls_used,
    rows_kept: out.rows_kept,
  };
  ctx.emit({ ...result, treated_unmatched: out.treated_unmatched, balance: out.balance, groups: out.groups, ...(out.warnings.length ? { warnings: out.warnings } : {}) });
}
