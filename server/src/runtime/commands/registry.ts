// Command names as the runtime knows them: canonical name, shortest Stata abbreviation, handler.
import type { CommandContext } from '../context';
import { cmdEgen } from './egen';
import { cmdDescribe, cmdSummarize, cmdTabstat, cmdTabulate } from './describe';
import { cmdClear, cmdGenerate, cmdGlobal, cmdKeepDrop, cmdLabel, cmdRename, cmdSet, cmdSort, cmdUse, cmdXtset } from './data';
import { cmdExport } from './files';
import { cmdDid, cmdEventstudy, cmdIvreghdfe, cmdReg, cmdReghdfe } from './estimation';
import { cmdEsttab } from './esttab';
import { cmdEntropy, cmdPsmatch } from './study';

export type Handler = (ctx: CommandContext) => void | Promise<void>;

interface Entry {
  canonical: string;
  min: number; // shortest abbreviation accepted
  handler?: Handler; // prefixes have none
  prefix?: boolean;
}

const ENTRIES: Entry[] = [
  { canonical: 'use', min: 3, handler: cmdUse },
  { canonical: 'clear', min: 5, handler: cmdClear },
  { canonical: 'xtset', min: 5, handler: cmdXtset },
  { canonical: 'tsset', min: 5, handler: cmdXtset },
  { canonical: 'global', min: 2, handler: cmdGlobal },
  { canonical: 'generate', min: 1, handler: (c) => cmdGenerate(c, false) },
  { canonical: 'replace', min: 7, handler: (c) => cmdGenerate(c, true) },
  { canonical: 'keep', min: 4, handler: (c) => cmdKeepDrop(c, true) },
  { canonical: 'drop', min: 4, handler: (c) => cmdKeepDrop(c, false) },
  { canonical: 'egen', min: 4, handler: cmdEgen },
  { canonical: 'sort', min: 4, handler: cmdSort },
  { canonical: 'summarize', min: 2, handler: cmdSummarize },
  { canonical: 'tabstat', min: 7, handler: cmdTabstat },
  { canonical: 'describe', min: 1, handler: cmdDescribe },
  { canonical: 'tabulate', min: 2, handler: cmdTabulate },
  { canonical: 'label', min: 2, handler: cmdLabel },
  { canonical: 'rename', min: 3, handler: cmdRename },
  { canonical: 'export', min: 6, handler: cmdExport },
  { canonical: 'entropy', min: 7, handler: cmdEntropy },
  { canonical: 'regress', min: 3, handler: cmdReg },
  { canonical: 'areg', min: 4, handler: cmdReg },
  { canonical: 'reghdfe', min: 7, handler: cmdReghdfe },
  { canonical: 'did', min: 3, handler: cmdDid },
  { canonical: 'ivreghdfe', min: 9, handler: cmdIvreghdfe },
  { canonical: 'ivreg2', min: 6, handler: cmdIvreghdfe },
  { canonical: 'eventstudy', min: 10, handler: cmdEventstudy },
  { canonical: 'psmatch', min: 7, handler: cmdPsmatch },
  { canonical: 'esttab', min: 6, handler: cmdEsttab },
  { canonical: 'set', min: 3, handler: cmdSet },
  { canonical: 'eststo', min: 6, prefix: true },
  { canonical: 'bysort', min: 3, prefix: true },
  { canonical: 'by', min: 2, prefix: true },
  { canonical: 'placebo', min: 7, prefix: true },
  { canonical: 'quietly', min: 3, prefix: true },
];

/** The canonical name a command is written as (`reg` -> regress, `su` -> summarize), if known. */
export function canonicalCommand(written: string): Entry | undefined {
  const w = written.toLowerCase();
  const exact = ENTRIES.find((e) => e.canonical === w);
  if (exact) return exact;
  return ENTRIES.find((e) => w.length >= e.min && e.canonical.startsWith(w));
}

/** The name results report: the contract's `reg` for regress. */
export function reportedName(canonical: string): string {
  if (canonical === 'regress' || canonical === 'areg') return 'reg';
  if (canonical === 'ivreg2') return 'ivreghdfe';
  return canonical;
}
