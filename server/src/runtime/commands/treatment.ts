// The treatment timing of a did model: over the estimation sample, how many units are ever treated
// (TREAT = 1 in some row), how many never, and the adoption cohorts (a unit's cohort is the first
// period in which TREAT = 1). Units come from xtset, else the first fe() variable; time from xtset,
// else the panel read from two fixed effects.
import type { Term } from '../../../../grammar/src/ast';
import type { TreatmentInfo } from '../../results/types';
import { codeColumn } from '../factors';
import type { Session } from '../session';
import { panelFromFixedEffects } from './common';

export function treatmentInfo(session: Session, treat: string, feTerms: Term[], sampleRows: Int32Array): TreatmentInfo | undefined {
  const table = session.requireData();
  const treatCol = table.get(treat);
  if (treatCol?.kind !== 'numeric') return undefined;
  const panel = panelFromFixedEffects(session, feTerms);
  const firstFe = feTerms[0]?.kind === 'var' && !feTerms[0].op && !feTerms[0].wildcard ? feTerms[0].name : undefined;
  const unit = panel?.unit ?? firstFe;
  if (!unit || !table.has(unit)) return undefined;
  const units = codeColumn(table, unit);
  const timeCol = panel && table.get(panel.time);
  const time = timeCol?.kind === 'numeric' ? timeCol.values : null;
  const seen = new Set<number>();
  const adoption = new Map<number, number>(); // unit code -> first treated period (NaN: treated, time unknown)
  for (const i of sampleRows) {
    const u = units.codes[i];
    if (u < 0) continue;
    seen.add(u);
    if (treatCol.values[i] !== 1) continue;
    const t = time ? time[i] : NaN;
    const prev = adoption.get(u);
    if (prev === undefined || (!Number.isNaN(t) && (Number.isNaN(prev) || t < prev))) adoption.set(u, t);
  }
  const cohorts = new Map<number, number>();
  for (const t of adoption.values()) if (!Number.isNaN(t)) cohorts.set(t, (cohorts.get(t) ?? 0) + 1);
  return {
    var: treat,
    unit,
    time: time ? panel!.time : null,
    treated_units: adoption.size,
    never_treated_units: seen.size - adoption.size,
    cohorts: [...cohorts.entries()].sort((a, b) => a[0] - b[0]).map(([t, n]) => ({ time: t, units: n })),
  };
}
