// Which handler runs each command. Names, abbreviations, prefixes and options come from the
// grammar's registry (grammar/src/commands.ts); this map only ties a canonical name to its code.
import { resolveCommand, type CommandSpec } from '../../../../grammar/src/commands';
import type { CommandContext } from '../context';
import { cmdEgen } from './egen';
import { cmdDescribe, cmdSummarize, cmdTabstat, cmdTabulate } from './describe';
import { cmdClear, cmdGenerate, cmdGlobal, cmdKeepDrop, cmdLabel, cmdRename, cmdSet, cmdSort, cmdUse, cmdXtset } from './data';
import { cmdExport } from './files';
import { cmdDid, cmdDidImputation, cmdEventstudy, cmdIvreghdfe, cmdReg, cmdReghdfe, cmdXtreg } from './estimation';
import { cmdBacondecomp } from './hrdid';
import { cmdEsttab } from './esttab';
import { cmdCoefplot } from './coefplot';
import { cmdGraph } from './graph';
import { cmdLog } from './log';
import { cmdEntropy, cmdPsmatch } from './study';
import { cmdCsdid } from './csdid';
import { cmdBoottest, cmdEstimates } from './inference';
import { lazyEgen, lazyGenerate, lazyKeepDrop, lazyLabel, lazyRename, lazySort, lazyXtset } from '../lazy/steps';
import { cmdMaterialize, lazyDescribe, lazySummarize, lazyTabstat } from '../lazy/describe';
import { lazyRegression } from '../lazy/estimate';
import { lazyBoottest } from '../lazy/boottest';

export type Handler = (ctx: CommandContext) => void | Promise<void>;

/** Canonical command name -> handler. Prefix commands (eststo, bysort, placebo, quietly) have none. */
const HANDLERS: Readonly<Record<string, Handler>> = {
  use: cmdUse,
  clear: cmdClear,
  xtset: cmdXtset,
  tsset: cmdXtset,
  global: cmdGlobal,
  generate: (c) => cmdGenerate(c, false),
  replace: (c) => cmdGenerate(c, true),
  keep: (c) => cmdKeepDrop(c, true),
  drop: (c) => cmdKeepDrop(c, false),
  egen: cmdEgen,
  sort: cmdSort,
  summarize: cmdSummarize,
  tabstat: cmdTabstat,
  describe: cmdDescribe,
  tabulate: cmdTabulate,
  label: cmdLabel,
  rename: cmdRename,
  export: cmdExport,
  entropy: cmdEntropy,
  regress: cmdReg,
  areg: cmdReg,
  reghdfe: cmdReghdfe,
  xtreg: cmdXtreg,
  // the data viewer's command: the editor opens it (a lens); a run has nothing to do
  browse: () => undefined,
  help: () => undefined, // the editor's help page (a lens); a run has nothing to do
  did: cmdDid,
  ivreghdfe: cmdIvreghdfe,
  ivreg2: cmdIvreghdfe,
  eventstudy: cmdEventstudy,
  csdid: cmdCsdid,
  did_imputation: cmdDidImputation,
  bacondecomp: cmdBacondecomp,
  psmatch: cmdPsmatch,
  boottest: cmdBoottest,
  estimates: cmdEstimates,
  esttab: cmdEsttab,
  coefplot: cmdCoefplot,
  graph: cmdGraph,
  log: cmdLog,
  set: cmdSet,
  materialize: cmdMaterialize,
};

/**
 * Commands the table marks `lazy: 'sql'`, on a lazy dataset (runtime/lazy/): the same command in
 * DuckDB SQL. `use` and `materialize` handle both kinds of data themselves.
 */
const LAZY_HANDLERS: Readonly<Record<string, Handler>> = {
  use: cmdUse,
  materialize: cmdMaterialize,
  xtset: lazyXtset,
  tsset: lazyXtset,
  generate: (c) => lazyGenerate(c, false),
  replace: (c) => lazyGenerate(c, true),
  keep: (c) => lazyKeepDrop(c, true),
  drop: (c) => lazyKeepDrop(c, false),
  egen: lazyEgen,
  sort: lazySort,
  rename: lazyRename,
  label: lazyLabel,
  summarize: lazySummarize,
  tabstat: lazyTabstat,
  describe: lazyDescribe,
  browse: () => undefined,
  reghdfe: (c) => lazyRegression(c, 'reghdfe'),
  did: (c) => lazyRegression(c, 'did'),
  boottest: lazyBoottest,
  regress: (c) => lazyRegression(c, 'regress'),
};

/** The registry entry of a written command name (`reg` -> regress, `su` -> summarize); case-sensitive, as Stata. */
export function commandSpec(written: string): CommandSpec | undefined {
  return resolveCommand(written);
}

/** The handler of a command; on lazy data its SQL twin, the plain one when it reads no rows, else none. */
export function handlerFor(spec: CommandSpec, lazy = false): Handler | undefined {
  if (!lazy) return HANDLERS[spec.name];
  if (spec.lazy === 'sql') return LAZY_HANDLERS[spec.name];
  return spec.lazy === 'free' ? HANDLERS[spec.name] : undefined;
}

/** Canonical names of the commands with a lazy (SQL) handler (the registry test compares them with the table). */
export function lazyHandlerNames(): string[] {
  return Object.keys(LAZY_HANDLERS);
}

/** The name results report: the contract's `reg` for regress. */
export function reportedName(spec: CommandSpec): string {
  return spec.reportAs ?? spec.name;
}
