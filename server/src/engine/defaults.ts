// The engine's default settings, in one import-free module: the engine uses them, and the command
// table (grammar/src/commands.ts) reads them for its option defaults, hovers, completion and help,
// so what the editor says a default is and what the engine does cannot drift apart.

/** Relative tolerance of the fixed-effects demeaning (CG on the symmetric Kaczmarz sweep). */
export const DEMEAN_TOLERANCE = 1e-10;
/** CG iterations per column before the demeaning reports non-convergence. */
export const DEMEAN_MAX_ITERATIONS = 10000;
/** entropy: added to each normalised indicator before shares; the index's multiplier. */
export const ENTROPY_SHIFT = 0.0001;
export const ENTROPY_SCALE = 100;
/** placebo: draws when reps() is not given. */
export const PLACEBO_REPS = 500;
/** ritest: permutations when reps() is not given. */
export const RITEST_REPS = 500;
/** boottest: bootstrap replications when reps() is not given (boottest's and fwildclusterboot's 999). */
export const BOOTTEST_REPS = 999;
/** placebo, ritest, boottest: the seed when neither seed() nor `set seed` gives one. */
export const DEFAULT_SEED = 12345;
/** psmatch: controls per treated row. */
export const PSMATCH_NEIGHBORS = 1;
/** eventstudy: the relative period left out. */
export const EVENT_REF = -1;
/** Confidence level of intervals, in percent. */
export const CONFIDENCE_LEVEL = 95;

/**
 * Upper bounds on counts a user writes (Stata caps them too): a draw count past these would run for
 * hours, so the checker and the runtime refuse it with the same message.
 */
export const MAX_REPS = 100_000;
