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
};

/** The registry entry of a written command name (`reg` -> regress, `su` -> summarize); case-sensitive, as Stata. */
export function commandSpec(written: string): CommandSpec | undefined {
  return resolveCommand(written);
}

export function handlerFor(spec: CommandSpec): Handler | undefined {
  return HANDLERS[spec.name];
}

/** The name results report: the contract's `reg` for regress. */
export function reportedName(spec: CommandSpec): string {
  return spec.reportAs ?? spec.name;
}
