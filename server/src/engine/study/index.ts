// The study's estimators beyond plain OLS: event study, placebo, propensity-score matching, entropy index.
export {
  runEventStudy, buildEventDummies, assembleEventStudy, eventTermName, validateWindow,
  type EventWindow, type EventDummy, type EventTimeRow, type PretrendTest, type EventStudyInput, type EventStudyCore,
} from './eventstudy';
export { runPlacebo, adoptionTimes, type PlaceboSpec, type PlaceboOutcome } from './placebo';
export { psMatch, nearest, type PsMatchSpec, type PsMatchOutcome, type BalanceRow } from './psmatch';
export { fitLogit, SeparationError, type LogitFit } from './logit';
export { entropyIndex, ENTROPY_DEFAULTS, type EntropyIndicator, type EntropyOptions, type EntropyOutcome, type EntropyWeight } from './entropy';
export { Rng } from './rng';
