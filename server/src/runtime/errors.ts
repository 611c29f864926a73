// Errors raised while running a spec. Each carries the source range of what failed, so the CLI can
// print FILE:LINE:COL and the editor can underline it.
import type { Range } from '../../../grammar/src/ast';
import { DataError } from '../data/errors';
import { DuckCancelled } from '../data/duck/errors';
import { EstimationError } from '../engine/types';

export type RunErrorKind = 'data' | 'estimation' | 'usage' | 'internal' | 'cancelled';

export class RunError extends Error {
  constructor(
    message: string,
    public range?: Range,
    public kind: RunErrorKind = 'usage',
  ) {
    super(message);
    this.name = 'RunError';
  }
}

/** Raised when a run is cancelled through its AbortSignal. */
export class CancelledError extends RunError {
  constructor() {
    super('run cancelled', undefined, 'cancelled');
    this.name = 'CancelledError';
  }
}

/**
 * The kind of anything thrown while running, recognised by its class (the one place that does):
 * the engine's EstimationError and its subclasses are model problems, DataError a data problem,
 * JavaScript's own errors a bug of ours.
 */
export function errorKind(e: unknown): RunErrorKind {
  if (e instanceof RunError) return e.kind;
  if (e instanceof EstimationError) return 'estimation';
  if (e instanceof DataError) return 'data';
  if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError) return 'internal';
  return 'data';
}

/** Runs engine code for a command: an engine error becomes a RunError at `range` (the command's name); others pass. */
export function atCommand<T>(range: Range, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof RunError) && errorKind(e) === 'estimation') throw new RunError((e as Error).message, range, 'estimation');
    throw e;
  }
}

/** Wraps anything thrown inside a command into a RunError located at `range` (the statement's, if nothing better). */
export function toRunError(e: unknown, range: Range | undefined): RunError {
  if (e instanceof DuckCancelled) return new CancelledError();
  if (e instanceof RunError) {
    if (!e.range) e.range = range;
    return e;
  }
  const err = e as { message?: string; range?: Range };
  const msg = typeof err?.message === 'string' && err.message ? err.message : String(e);
  const kind = errorKind(e);
  const text = kind === 'internal' ? `internal error: ${msg}` : msg;
  return new RunError(text, err?.range ?? range, kind);
}
