// Heterogeneity-robust difference-in-differences: Sun-Abraham, BJS imputation, Goodman-Bacon.
export { runSunAb, type SunAbInput, type SunAbCore, type CohortCell, type AggregateEffect } from './sunab';
export { runImputation, effectRow, preTerm, BJS_Z, type ImputationInput, type ImputationResult, type ImputedEffect } from './imputation';
export { runBacon, type BaconInput, type BaconResult, type TwoByTwo, type BaconType } from './bacon';
