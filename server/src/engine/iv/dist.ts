// p-values and coefficient rows for the IV and study estimators, on the OLS core's distribution
// functions (upper tails from the incomplete beta / gamma, so tiny p-values keep their digits).

import type { CoefRow } from '../../results/types';
import { chi2UpperP, fUpperP, tQuantile, tTwoSidedP } from '../dist';

export const fPValue = fUpperP;
export const chisqPValue = chi2UpperP;
export const tPValue = tTwoSidedP;

/** A coefficient row with t, p and a 95% interval from Student t with `dfT` degrees of freedom. */
export function coefRow(term: string, estimate: number, se: number, dfT: number): CoefRow {
  const t = se > 0 ? estimate / se : NaN;
  const q = tQuantile(0.975, dfT);
  return { term, estimate, se, t, p: se > 0 ? tTwoSidedP(t, dfT) : NaN, ci_low: estimate - q * se, ci_high: estimate + q * se };
}
