// What csdid and eventstudy's estimator(cs) share: the rows of the if-sample as the Callaway-Sant'Anna
// engine's input (string unit ids as codes, with their labels for messages), and the engine call with
// its errors turned into messages at the command.
import { estimateCsdid, type CsdidColumn, type CsdidEstimate, type CsdidInput, type CsdidOptions } from '../../engine/did/csdid';
import type { CommandContext } from '../context';
import { RunError } from '../errors';
import { codeColumn } from '../factors';

/** A column as numbers: numeric values, or string levels as codes (with their labels for messages). */
export interface KeyColumn {
  values: Float64Array;
  label: (v: number) => string;
}

export function keyColumn(ctx: CommandContext, name: string): KeyColumn {
  const c = ctx.session.requireData().get(name);
  if (!c) throw new RunError(`variable ${name} not found`, ctx.command.nameRange);
  if (c.kind === 'numeric') return { values: c.values, label: (v) => String(v) };
  const coded = codeColumn(ctx.session.requireData(), name);
  return { values: Float64Array.from(coded.codes, (k) => (k < 0 ? NaN : k)), label: (v) => coded.labels[v] ?? String(v) };
}

/** The rows of the if-sample, as the engine's input. */
export function sampleInput(columns: { unit: KeyColumn; time: Float64Array; gvar: Float64Array; y: Float64Array; covariates: CsdidColumn[]; cluster?: { name: string; key: KeyColumn } }, mask: Uint8Array): CsdidInput {
  const rows: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) rows.push(i);
  const pick = (v: Float64Array) => (rows.length === v.length ? v : Float64Array.from(rows, (i) => v[i]));
  return {
    unit: pick(columns.unit.values),
    time: pick(columns.time),
    gvar: pick(columns.gvar),
    y: pick(columns.y),
    covariates: columns.covariates.map((c) => ({ name: c.name, values: pick(c.values) })),
    ...(columns.cluster ? { cluster: { name: columns.cluster.name, values: pick(columns.cluster.key.values) } } : {}),
    unitLabel: columns.unit.label,
  };
}

/** The engine, its errors (EstimationError) turned into messages at the command. */
export function runCsdidEngine(ctx: CommandContext, input: CsdidInput, opts: CsdidOptions): CsdidEstimate {
  try {
    return estimateCsdid(input, opts);
  } catch (e) {
    if ((e as Error)?.name === 'EstimationError') throw new RunError((e as Error).message, ctx.command.nameRange, 'estimation');
    throw e;
  }
}
