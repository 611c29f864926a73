// boottest after a model fitted on lazy data: the wild cluster bootstrap's cluster-level sums are
// computed in SQL (engine/sql/wild.ts) on the model's estimation sample, then the bootstrap and its
// result are the in-memory ones (commands/inference.ts emitBoottest). One-way bootstrap clusters.
import { wildClusterSumsSql } from '../../engine/sql/wild';
import type { SqlRunner } from '../../engine/sql/runner';
import { EstimationError } from '../../engine/types';
import type { CommandContext } from '../context';
import { RunError } from '../errors';
import { emitBoottest, readBoottest } from '../commands/inference';
import { queryOptions } from './context';

export async function lazyBoottest(ctx: CommandContext): Promise<void> {
  const req = readBoottest(ctx);
  const fit = ctx.session.lazyModels.get(req.model);
  if (!fit) throw new RunError(`boottest on lazy data works after reg, reghdfe and did fitted on it, not after ${req.model.command}`, ctx.command.nameRange);
  const opts = req.opts;
  if (opts.has('bootcluster')) throw new RunError('bootcluster() on lazy data: not yet; `materialize` first', opts.range('bootcluster'));
  let cluster: string | undefined;
  if (opts.has('cluster')) {
    const t = opts.terms('cluster');
    if (t.length !== 1 || t[0].kind !== 'var' || t[0].op) throw new RunError('on lazy data boottest takes one cluster variable: cluster(VAR)', opts.range('cluster'));
    cluster = t[0].name;
  }
  const runner: SqlRunner = { all: (sql, o) => fit.duck.all(sql, { ...queryOptions(ctx), signal: o?.signal ?? ctx.signal }) };
  let sums;
  try {
    sums = await wildClusterSumsSql(runner, fit.relation, fit.spec, req.term, cluster, { signal: ctx.signal });
  } catch (e) {
    if (e instanceof EstimationError) throw new RunError(e.message, ctx.command.nameRange, 'estimation');
    throw e;
  }
  const name = cluster ?? (fit.spec.vce.type === 'cluster' ? (fit.spec.vce.clusters ?? []).join('#') : '');
  if (sums.G < 2) throw new RunError(`boottest: ${name} has a single cluster in the estimation sample; the wild cluster bootstrap needs at least 2`, ctx.command.nameRange);
  emitBoottest(ctx, req, sums, [name], name, false);
}
