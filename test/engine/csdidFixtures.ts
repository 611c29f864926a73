// The mpdta input and the R-default options the csdid engine tests start from.
import type { CsdidInput, CsdidOptions } from '../../server/src/engine/did/csdid';
import { loadData, num } from '../util/refdata';

export const BASE: CsdidOptions = { control: 'never', method: 'dr', basePeriod: 'varying', anticipation: 0 };

export function mpdtaInput(covariates: string[] = []): CsdidInput {
  const t = loadData('mpdta');
  return {
    unit: num(t, 'countyreal'),
    time: num(t, 'year'),
    gvar: num(t, 'first_treat'),
    y: num(t, 'lemp'),
    covariates: covariates.map((c) => ({ name: c, values: num(t, c) })),
  };
}
