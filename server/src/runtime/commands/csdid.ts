// csdid DEPVAR [VARLIST] [if], gvar(ADOPTVAR) [ivar() time()] [notyet] [method(dripw|reg|stdipw)]
//   [long2] [anticipation(K)] [cluster(VAR)] [agg(...)] [wboot reps(B) seed(S)]
// Options -> the Callaway-Sant'Anna engine's input (rows in the if-sample), engine errors -> messages
// at the command, the estimate -> the contract's result.
import type { Range } from '../../../../grammar/src/ast';
import type { CsdidMethod, CsdidOptions } from '../../engine/did/csdid';
import type { CsdidResult } from '../../results/types';
import type { CommandContext } from '../context';
import { ifMask } from '../context';
import { numericValues } from '../design';
import { RunError } from '../errors';
import { Options } from '../options';
import { expandVarlist, plainNames, type VarItem } from '../varlist';
import { bodyTerms } from './common';
import { modelName } from './estimation';
import { keyColumn, runCsdidEngine, sampleInput } from './csdidInput';
import { asStoredModel, toCsdidResult } from './csdidResult';

const METHODS: Record<string, CsdidMethod> = { dripw: 'dr', dr: 'dr', reg: 'reg', stdipw: 'ipw', ipw: 'ipw' };
const AGGS: Record<string, CsdidResult['agg']> = { simple: 'simple', event: 'event', dynamic: 'event', group: 'group', calendar: 'calendar' };

function oneVar(ctx: CommandContext, opts: Options, option: string): string {
  const names = plainNames(expandVarlist(opts.terms(option), ctx.session), `${option}()`);
  if (names.length !== 1) throw new RunError(`${option}() takes one variable`, opts.range(option));
  return names[0];
}

function numericColumn(ctx: CommandContext, name: string, range: Range): Float64Array {
  const c = ctx.session.requireData().get(name);
  if (!c) throw new RunError(`variable ${name} not found`, range);
  if (c.kind !== 'numeric') throw new RunError(`${name} must be numeric`, range);
  return c.values;
}

function engineOptions(opts: Options): CsdidOptions {
  // values are checked against the table's rules and word lists (the checker reads the same)
  const method = METHODS[opts.keyword('method', 'dripw')!];
  const anticipation = opts.number('anticipation', 0)!;
  const wboot = opts.has('wboot');
  const reps = opts.number('reps', 999)!;
  const seed = opts.number('seed', 1)!;
  return {
    control: opts.has('notyet') ? 'notyet' : 'never',
    method,
    basePeriod: opts.has('long2') ? 'universal' : 'varying',
    anticipation,
    ...(wboot ? { bootstrap: { reps, seed } } : {}),
  };
}

export function cmdCsdid(ctx: CommandContext): void {
  const opts = new Options(ctx.command);
  const session = ctx.session;
  const items = expandVarlist(bodyTerms(ctx), session) as VarItem[];
  if (!items.length) throw new RunError('csdid DEPVAR [VARLIST], gvar(ADOPTVAR)', ctx.command.nameRange);
  for (const it of items) if (it.kind !== 'var' || it.factor) throw new RunError('csdid takes plain numeric variables (no factor terms)', it.range);
  const opt = engineOptions(opts);
  const gvarName = oneVar(ctx, opts, 'gvar');
  const unitName = opts.has('ivar') ? oneVar(ctx, opts, 'ivar') : session.panel?.unit;
  const timeName = opts.has('time') ? oneVar(ctx, opts, 'time') : session.panel?.time;
  if (!unitName || !timeName) throw new RunError('csdid needs the unit and time variables: xtset UNIT TIME first, or ivar() and time()', ctx.command.nameRange);
  const clusterName = opts.has('cluster') ? oneVar(ctx, opts, 'cluster') : null;
  const aggText = (opts.text('agg') ?? 'simple').toLowerCase();
  const agg = AGGS[aggText];
  if (!agg) throw new RunError(`agg(${aggText}): use simple, event, group or calendar`, opts.range('agg'));

  const input = sampleInput(
    {
      unit: keyColumn(ctx, unitName),
      time: numericColumn(ctx, timeName, opts.has('time') ? opts.range('time') : ctx.command.nameRange),
      gvar: numericColumn(ctx, gvarName, opts.range('gvar')),
      y: numericValues(session, items[0]),
      covariates: items.slice(1).map((it) => ({ name: it.name, values: numericValues(session, it) })),
      ...(clusterName ? { cluster: { name: clusterName, key: keyColumn(ctx, clusterName) } } : {}),
    },
    ifMask(ctx),
  );
  const est = runCsdidEngine(ctx, input, opt);
  const result = toCsdidResult(est, opt, {
    name: modelName(ctx),
    line: ctx.line,
    depvar: items[0].name,
    unit: unitName,
    covariates: items.slice(1).map((it) => it.name),
    agg,
    clusterVar: clusterName,
  });
  // stored like any model, so that esttab and eststo NAME after it find it (it carries coefficients,
  // N, clusters; R² and the t-based fields stay empty)
  ctx.session.storeModel(asStoredModel(ctx.emit({ ...result })), result.name);
}

