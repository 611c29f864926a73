// The command registry: every PanelSpec command, how it may be abbreviated (Stata rules: any
// prefix of the full name at least as long as the minimal abbreviation), what its body looks
// like, what it allows, and its options. The parser uses it for body kinds; the language server
// for completion, hover and checks; the runtime for option resolution.

import { encodingProblem } from '../../server/src/data/encoding';
import { MAX_GRAPH_PIXELS } from '../../server/src/results/plots/exportFormat';
import { BOOTTEST_REPS, CONFIDENCE_LEVEL, DEFAULT_SEED, DEMEAN_MAX_ITERATIONS, DEMEAN_TOLERANCE, ENTROPY_SCALE, ENTROPY_SHIFT, EVENT_REF, MAX_REPS, PLACEBO_REPS, PSMATCH_NEIGHBORS, RITEST_REPS } from '../../server/src/engine/defaults';

/** What an option's parentheses hold. */

/** Constraints on the numbers an option takes (declared per option in the command table). */
export interface NumberRule {
  /** How many numbers: [min, max] (default [1, 1]). */
  count?: readonly [number, number];
  integer?: boolean;
  /** Bounds; `exclusive` makes both strict. */
  min?: number;
  max?: number;
  exclusive?: boolean;
}
export enum ArgKind {
  /** A flag: no parentheses (`robust`, `replace`, `detail`). */
  None = 'none',
  Varlist = 'varlist',
  Var = 'var',
  NewVar = 'newvar',
  Integer = 'integer',
  Number = 'number',
  String = 'string',
  /** Several strings (`mtitles("A" "B")`). */
  Strings = 'strings',
  Path = 'path',
  /** `robust` | `cluster VARLIST` (`cl` accepted) | `iid`/`ols`. */
  VceSpec = 'vce',
  /** Two integers, LO HI (`window(-4 5)`). */
  Window = 'window',
  /** Statistic names (`stats(N r2)`, `statistics(mean sd)`). */
  Stats = 'stats',
  /** Fixed effects: variables and interactions `a#b`. */
  FeList = 'felist',
  /** Model or other names (`eststo` names, `order()`). */
  Names = 'names',
  /** Name/label pairs (`rename(x "X" z "Z")`). */
  Pairs = 'pairs',
  /** Free text, kept as written (`star(* 0.10 ** 0.05)`, `fmt(%9.3f)`). */
  Any = 'any',
}

export enum BodyKind {
  /** A term list (varlists, names, strings). */
  Terms = 'terms',
  /** `[type] NAME = EXPR`. */
  Gen = 'gen',
  /** `[type] NAME = FUNC(ARGS)`. */
  Egen = 'egen',
  /** `NAME = VARLIST`. */
  Define = 'define',
  /** `NAME rest of the line`. */
  Global = 'global',
}

export type WeightType = 'aw' | 'fw' | 'pw' | 'iw';

export interface OptionSpec {
  /** Canonical (full) name. */
  name: string;
  /** Minimal abbreviation: any prefix of `name` at least this long is accepted. */
  abbrev: string;
  /** Other accepted spellings (resolved exactly, e.g. `stats` for `statistics`). */
  aliases?: string[];
  arg: ArgKind;
  /** The option must be given. */
  required?: boolean;
  /** Numbers (Integer, Number, Window): how many and which; read by optionValues.parseNumbers on both sides. */
  rule?: NumberRule;
  /** The value used when the option is absent (hover, completion, help), taken from the code that uses it. */
  default?: number | string;
  /** May be written bare or with arguments (esttab's `se` / `se(%9.3f)`). */
  optionalArgs?: boolean;
  /** For a String option: what is wrong with a value (the reader's own test), or undefined. */
  validate?: (value: string) => string | undefined;
  /** A Names option that takes one of these words (`method(dripw|reg|stdipw)`), checked alike by checker and runtime. */
  keywords?: readonly string[];
  /** Only with this other option (csdid's reps() with wboot). */
  requires?: string;
  /** Never with this other option (log's append with replace). */
  excludes?: string;
  /** A Stata option PanelSpec knows but does not do: refused with this message by checker and runtime alike. */
  unsupported?: string;
  /** Its variables must be among the body's (entropy's negative()). */
  subsetOfBody?: boolean;
  /** A typical argument, as written inside the parentheses (help pages, the differential test); needed for free-form options. */
  sample?: string;
  doc: string;
}

export interface SubcommandSpec {
  name: string;
  abbrev: string;
  doc: string;
  /** The next word names a model: `store` stores the current one under it, `restore` needs it stored before. */
  model?: 'store' | 'restore';
}

/** How a command's body (between the name and `if`/`,`) is read. */
export type BodyRole =
  | 'estimation' // DEPVAR VARLIST, numeric
  | 'varlist' // existing variables
  | 'path' // a data file
  | 'models' // stored model names (esttab, coefplot)
  | 'gen' // NEW = EXPR (gen, replace)
  | 'egen' // NEW = FUNC(ARGS)
  | 'define' // NEW = VARLIST (entropy)
  | 'global' // NAME WORDS
  | 'label' // var VAR "TEXT"
  | 'rename' // OLD NEW
  | 'export' // delimited "FILE" [VARLIST]
  | 'name' // a name (eststo prefix)
  | 'none' // nothing but options (placebo prefix)
  | 'free'; // anything the handler reads itself (set seed 1, graph export)

/** What a prefix does to the command after its colon. */
export type PrefixRole =
  | 'store' // eststo NAME: stores the model
  | 'by' // bysort VARS: runs within groups
  | 'resample' // placebo ...: re-runs the model on re-drawn treatments
  | 'quiet'; // quietly: no output

export interface CommandSpec {
  /** Canonical name. */
  name: string;
  /** Minimal abbreviation (Stata's underlining): `reg` for `regress`, `g` for `generate`. */
  abbrev: string;
  /** Other accepted spellings resolved exactly (`bys` for `bysort`). */
  aliases?: string[];
  /** A prefix command: `NAME ...: COMMAND`. */
  prefix: boolean;
  /** The prefix may be written without a colon (`quietly reg y x`). */
  prefixWithoutColon?: boolean;
  body: BodyKind;
  /** The first body term names a subcommand (`export delimited`, `label var`). */
  subcommands?: SubcommandSpec[];
  allowIf: boolean;
  /** Weight types accepted in `[...]`; empty: no weights. */
  weights: WeightType[];
  allowUsing: boolean;
  isEstimation: boolean;
  /** The command name results report, when it differs (`regress` reports as `reg`, `ivreg2` as `ivreghdfe`). */
  reportAs?: string;
  /** How the body is read (checker, completion, hover). */
  role: BodyRole;
  /**
   * Changes the data, or what later data steps read (globals, the panel, labels, the seed): the
   * data viewer replays these. `light` ones compute nothing over rows.
   */
  dataStep?: 'compute' | 'light';
  /** May follow `bysort VARS:`. */
  byable?: boolean;
  /** The body's `NEW =` target is a new variable (gen, egen, entropy; not replace). */
  createsTarget?: boolean;
  /** Set on prefix commands: what the prefix does. */
  prefixRole?: PrefixRole;
  /** A `resample` prefix: the commands it can run (canonical names). */
  targets?: string[];
  /**
   * Runs on a lazy dataset (one `use ..., lazy` opened in DuckDB): `sql` has a SQL implementation
   * (server/src/runtime/lazy/), `free` reads no rows (globals, tables of stored models). Other
   * commands on lazy data are refused, by the checker and the runtime alike, until `materialize`.
   */
  lazy?: 'sql' | 'free';
  /** Declares the panel's unit and time (xtset, tsset). */
  declaresPanel?: boolean;
  /** Its variable list keeps or drops variables (keep, drop). */
  selects?: 'keep' | 'drop';
  /** Variables the body needs at least (estimation: the dependent variable and, for did, the treatment). */
  minVars?: number;
  /** Exactly one of these numbers of plain variables in the body (did_imputation: DEPVAR ADOPT, or DEPVAR UNIT TIME ADOPT). */
  varCounts?: readonly number[];
  /** The body holds `(ENDOG = INSTRUMENTS)` (IV commands). */
  instrumented?: boolean;
  /** Gets a ▶ Run lens beside estimations (which always get one). */
  lens?: boolean;
  /** Reads the current model (boottest): refused, by the checker and the runtime, before any estimation. */
  needsModel?: boolean;
  /** One-line syntax, for hover and signature help. */
  syntax: string;
  /** A complete line that runs on mpdta (help pages; the differential test runs every one). */
  example: string;
  doc: string;
  options: OptionSpec[];
}

// ---- option helpers (keep the table below readable) ----
const opt = (name: string, abbrev: string, arg: ArgKind, doc: string, extra: Partial<OptionSpec> = {}): OptionSpec => ({ name, abbrev, arg, doc, ...extra });
const vce = (): OptionSpec => opt('vce', 'vce', ArgKind.VceSpec, 'Variance estimator: `vce(robust)`, `vce(cluster VARLIST)` (`cl` accepted) or `vce(dkraay L)` (Driscoll-Kraay, L lags; needs xtset).');
const dkraay = (): OptionSpec =>
  opt('dkraay', 'dkraay', ArgKind.Integer, 'Driscoll-Kraay standard errors with L lags over the xtset time variable (Bartlett kernel, as fixest `DK(L)`).', { rule: { integer: true, min: 0 }, sample: '2' });
const robust = (): OptionSpec => opt('robust', 'r', ArgKind.None, 'Heteroskedasticity-robust (HC1) standard errors.');
const cluster = (): OptionSpec => opt('cluster', 'cl', ArgKind.Varlist, 'Cluster-robust (CR1) standard errors, clustered by VARLIST (several variables: multiway).');
const absorb = (required = false): OptionSpec =>
  opt('absorb', 'a', ArgKind.FeList, 'Fixed effects to absorb: each variable is one set; `a#b` absorbs the interaction.', { required });
const fe = (required = false): OptionSpec => opt('fe', 'fe', ArgKind.FeList, 'Fixed effects to absorb (same as `absorb()`).', { required });
const replaceFlag = (): OptionSpec => opt('replace', 'replace', ArgKind.None, 'Overwrite the file if it exists (without it an existing file is an error).');
const byOpt = (doc: string): OptionSpec => opt('by', 'by', ArgKind.Varlist, doc);
const noconstant = (): OptionSpec => opt('noconstant', 'nocons', ArgKind.None, 'No intercept.');
const level = (): OptionSpec =>
  opt('level', 'level', ArgKind.Number, `Confidence level of the intervals in percent (default ${CONFIDENCE_LEVEL}), e.g. \`level(90)\`: ci_low and ci_high, the tables and esttab's ci use it.`, { rule: { min: 10, max: 99.99 }, default: CONFIDENCE_LEVEL });
const keepsingletons = (): OptionSpec => opt('keepsingletons', 'keepsin', ArgKind.None, 'Keep singleton groups (by default they are dropped iteratively, as reghdfe does).');
const tolerance = (): OptionSpec =>
  opt('tolerance', 'tol', ArgKind.Number, `Convergence tolerance of the fixed-effects demeaning, relative (default ${DEMEAN_TOLERANCE}).`, { rule: { min: 0, max: 1, exclusive: true }, default: DEMEAN_TOLERANCE });
const maxiter = (): OptionSpec =>
  opt('maxiter', 'maxit', ArgKind.Integer, `Iteration limit of the demeaning (default ${DEMEAN_MAX_ITERATIONS}).`, { rule: { integer: true, min: 1 }, default: DEMEAN_MAX_ITERATIONS });
/** Options every regression command takes beside its own. */
const estimationExtras = (): OptionSpec[] => [noconstant(), level(), keepsingletons(), tolerance(), maxiter()];

const ivOptions = (): OptionSpec[] => [
  absorb(),
  { ...fe(), doc: 'Same as `absorb()`.' },
  cluster(),
  robust(),
  vce(),
  opt('first', 'first', ArgKind.None, 'Show the first-stage regressions.'),
  opt('ffirst', 'ffirst', ArgKind.None, 'First-stage statistics (always reported).'),
  opt('small', 'small', ArgKind.None, 'Accepted for Stata compatibility (small-sample corrections are always applied).'),
  ...estimationExtras(),
];

/** esttab's formats, star levels and statistic names may be written bare (`se`) or with arguments (`se(%9.3f)`). */
const optionalArgs = (options: OptionSpec[]): OptionSpec[] =>
  options.map((o) => (o.arg === ArgKind.Any || o.arg === ArgKind.Strings ? { ...o, optionalArgs: true } : o));

// Estimation takes analytic weights only (model.ts weightsFrom refuses the others; the check says so first).
const ESTIMATION_WEIGHTS: WeightType[] = ['aw'];

const COMMANDS: CommandSpec[] = [
  {
    name: 'use', abbrev: 'use', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'sql',
    role: 'path', dataStep: 'light', example: 'use "mpdta.csv"',
    syntax: 'use "FILE" [, clear sheet("NAME") encoding("ENC") lazy]',
    doc: 'Loads a data set: .csv (header row; empty, NA and . are missing), .dta, .xlsx, .parquet. Paths are relative to the spec file. A glob of Parquet files (`"data/*.parquet"`), a compressed CSV (`.csv.gz`, `.csv.zst`), a file above the lazy threshold (setting `panelspec.lazyThresholdBytes`, default 1 GB) or `, lazy` opens it in DuckDB without loading it: data steps then run in SQL.',
    options: [
      opt('lazy', 'lazy', ArgKind.None, 'Open the file (.parquet, a glob of them, .csv, .csv.gz, .csv.zst) in DuckDB without loading it: gen, replace, keep, drop, egen, sort, xtset, summarize, tabstat and describe run in SQL; `materialize` loads the result into memory for the other commands.'),
      opt('clear', 'clear', ArgKind.None, 'Replace the data in memory (accepted for Stata compatibility; loading always replaces).'),
      opt('sheet', 'sheet', ArgKind.String, 'Worksheet of an .xlsx file (default: the first).'),
      opt('encoding', 'enc', ArgKind.String, 'Text encoding of a .csv file (default UTF-8; e.g. "gb18030").', { validate: encodingProblem, sample: '"gb18030"' }),
    ],
  },
  {
    name: 'xtset', abbrev: 'xtset', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'sql',
    role: 'varlist', dataStep: 'light', declaresPanel: true, example: 'xtset countyreal year',
    syntax: 'xtset UNIT TIME [, delta(N)]',
    doc: 'Declares the panel: unit and time variables. Needed by L. F. D. operators and by eventstudy/placebo.',
    options: [
      opt('delta', 'delta', ArgKind.Number, 'Time between periods (default 1).', { rule: { min: 0, exclusive: true }, default: 1 }),
      opt('yearly', 'yearly', ArgKind.None, 'Yearly data (delta 1; accepted for Stata compatibility).'),
    ],
  },
  {
    name: 'tsset', abbrev: 'tsset', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'sql',
    role: 'varlist', dataStep: 'light', declaresPanel: true, example: 'tsset countyreal year',
    syntax: 'tsset UNIT TIME',
    doc: 'Same as xtset.',
    options: [opt('delta', 'delta', ArgKind.Number, 'Time between periods (default 1).', { rule: { min: 0, exclusive: true }, default: 1 }), opt('yearly', 'yearly', ArgKind.None, 'Yearly data (accepted for Stata compatibility).')],
  },
  {
    name: 'clear', abbrev: 'clear', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'free',
    role: 'none', dataStep: 'light', example: 'clear',
    syntax: 'clear',
    doc: 'Removes the data from memory.',
    options: [],
  },
  {
    name: 'rename', abbrev: 'ren', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'sql',
    role: 'rename', dataStep: 'compute', example: 'rename lpop logpop',
    syntax: 'rename OLD NEW',
    doc: 'Renames a variable.',
    options: [],
  },
  {
    name: 'global', abbrev: 'gl', prefix: false, body: BodyKind.Global, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'free',
    role: 'global', dataStep: 'light', example: 'global controls lpop',
    syntax: 'global NAME WORDS...',
    doc: 'Defines a global macro: `$NAME` (or `${NAME}`) is replaced by WORDS anywhere after this line.',
    options: [],
  },
  {
    name: 'generate', abbrev: 'g', prefix: false, body: BodyKind.Gen, allowIf: true, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'sql',
    role: 'gen', dataStep: 'compute', byable: true, createsTarget: true, example: 'gen late = year >= 2006 if !missing(lemp)',
    syntax: 'generate [type] NEWVAR = EXPR [if EXPR]',
    doc: 'Creates a new variable from an expression; rows outside `if` are missing.',
    options: [],
  },
  {
    name: 'replace', abbrev: 'replace', prefix: false, body: BodyKind.Gen, allowIf: true, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'sql',
    role: 'gen', dataStep: 'compute', byable: true, example: 'replace lemp = 0 if lemp < 0',
    syntax: 'replace VAR = EXPR [if EXPR]',
    doc: 'Changes the values of an existing variable (only on rows where `if` holds).',
    options: [],
  },
  {
    name: 'keep', abbrev: 'keep', prefix: false, body: BodyKind.Terms, allowIf: true, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'sql',
    role: 'varlist', dataStep: 'compute', byable: true, selects: 'keep', example: 'keep if year >= 2004',
    syntax: 'keep VARLIST  |  keep if EXPR',
    doc: 'Keeps the listed variables, or the rows where EXPR is true.',
    options: [],
  },
  {
    name: 'drop', abbrev: 'drop', prefix: false, body: BodyKind.Terms, allowIf: true, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'sql',
    role: 'varlist', dataStep: 'compute', byable: true, selects: 'drop', example: 'drop if missing(lemp)',
    syntax: 'drop VARLIST  |  drop if EXPR',
    doc: 'Drops the listed variables, or the rows where EXPR is true.',
    options: [],
  },
  {
    name: 'egen', abbrev: 'egen', prefix: false, body: BodyKind.Egen, allowIf: true, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'sql',
    role: 'egen', dataStep: 'compute', byable: true, createsTarget: true, example: 'egen mean_lemp = mean(lemp), by(year)',
    syntax: 'egen [type] NEWVAR = FUNC(ARGS) [if EXPR] [, by(VARLIST)]',
    doc: 'Extended generate: group statistics (mean median sd min max total count rank), group(), row-wise rowmean/rowtotal and hhi().',
    options: [byOpt('Compute the function within groups of VARLIST.'), opt('missing', 'miss', ArgKind.None, 'Treat missing values as a group (egen group()).')],
  },
  {
    name: 'bysort', abbrev: 'bys', prefix: true, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'free',
    role: 'varlist', prefixRole: 'by', example: 'bysort countyreal (year): gen first = _n == 1',
    syntax: 'bysort VARLIST [(SORTVARS)]: COMMAND',
    doc: 'Sorts by VARLIST (then SORTVARS) and runs COMMAND within each group; `_n` and `_N` count within the group.',
    options: [],
  },
  {
    name: 'by', abbrev: 'by', prefix: true, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'free',
    role: 'varlist', prefixRole: 'by', example: 'by countyreal: gen n = _N',
    syntax: 'by VARLIST: COMMAND',
    doc: 'Runs COMMAND within each group of VARLIST (PanelSpec sorts first, as `bysort`).',
    options: [opt('sort', 'sort', ArgKind.None, 'Sort first (always done).')],
  },
  {
    name: 'sort', abbrev: 'sort', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'sql',
    role: 'varlist', dataStep: 'compute', example: 'sort countyreal year',
    syntax: 'sort VARLIST',
    doc: 'Sorts the rows by VARLIST (stable).',
    options: [opt('stable', 'stable', ArgKind.None, 'Keep the order of ties (always done).')],
  },
  {
    name: 'summarize', abbrev: 'su', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ['aw', 'fw'], allowUsing: false, isEstimation: false,
    lazy: 'sql',
    role: 'varlist', example: 'summarize lemp lpop, detail',
    syntax: 'summarize [VARLIST] [if EXPR] [, detail save("FILE") replace title("TEXT")]',
    doc: 'N, mean, standard deviation (n - 1), min and max of each variable; missing values left out.',
    options: [
      opt('detail', 'd', ArgKind.None, 'Also percentiles, skewness and kurtosis.'),
      opt('save', 'save', ArgKind.Path, 'Also write the table to FILE (.md .tex .html .csv .docx .txt); with `replace` to overwrite.'),
      replaceFlag(),
      opt('title', 'title', ArgKind.String, 'Title of the saved table.'),
      opt('meanonly', 'meano', ArgKind.None, 'Accepted for Stata compatibility (the full summary is computed).'),
      opt('format', 'for', ArgKind.None, 'Accepted for Stata compatibility.'),
      opt('separator', 'sep', ArgKind.Integer, 'Accepted for Stata compatibility.', { rule: { integer: true, min: 0 } }),
    ],
  },
  {
    name: 'tabstat', abbrev: 'tabstat', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ['aw', 'fw'], allowUsing: false, isEstimation: false,
    lazy: 'sql',
    role: 'varlist', example: 'tabstat lemp lpop, statistics(n mean sd min max)',
    syntax: 'tabstat VARLIST [if EXPR] [, statistics(STATS) by(VAR) columns(variables|statistics) vartype("TYPE" VARLIST ...) symbols save("FILE") replace title("TEXT")]',
    doc: 'Table of summary statistics.',
    options: [
      opt('statistics', 's', ArgKind.Stats, 'Statistics to show: n mean sd min max p50 ... (`stats()` accepted).', { aliases: ['stats'] }),
      byOpt('One block of statistics for each value of VAR.'),
      opt('columns', 'c', ArgKind.Names, 'What the columns are: `variables` or `statistics`.'),
      opt('format', 'f', ArgKind.Any, 'Accepted for Stata compatibility.', { sample: '%9.3f' }),
      opt('nototal', 'nototal', ArgKind.None, 'With by(): no Total block.'),
      opt('save', 'save', ArgKind.Path, 'Also write the table to FILE (.md .tex .html .csv .docx .txt), e.g. `save("output/table2.md")`; with `replace` to overwrite.'),
      replaceFlag(),
      opt('title', 'title', ArgKind.String, 'Title of the saved table.'),
      opt('vartype', 'vartype', ArgKind.Any, 'A "Variable type" column, as papers group their descriptive statistics: each text in quotes names the variables after it, e.g. `vartype("Explained variable" y "Control variables" $controls)`.', { sample: '"Outcome" lemp' }),
      opt('symbols', 'symbols', ArgKind.None, 'A "Symbol" column: each variable\'s name beside its label.'),
    ],
  },
  {
    name: 'describe', abbrev: 'd', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'sql',
    role: 'varlist', example: 'describe',
    syntax: 'describe [VARLIST]',
    doc: 'Lists the variables, their types and labels.',
    options: [opt('short', 'short', ArgKind.None, 'Accepted for Stata compatibility.'), opt('fullnames', 'full', ArgKind.None, 'Accepted for Stata compatibility.')],
  },
  {
    name: 'tabulate', abbrev: 'ta', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ['fw', 'aw'], allowUsing: false, isEstimation: false,
    role: 'varlist', example: 'tabulate year',
    syntax: 'tabulate VAR [VAR2] [if EXPR]',
    doc: 'Frequency table of one variable, or cross-table of two.',
    options: [
      opt('missing', 'm', ArgKind.None, 'Count missing values as a category.'),
      opt('nofreq', 'nofreq', ArgKind.None, 'Accepted for Stata compatibility.'),
      opt('row', 'row', ArgKind.None, 'Accepted for Stata compatibility.'),
      opt('column', 'col', ArgKind.None, 'Accepted for Stata compatibility.'),
    ],
  },
  {
    name: 'entropy', abbrev: 'entropy', prefix: false, body: BodyKind.Define, allowIf: true, weights: [], allowUsing: false, isEstimation: false,
    role: 'define', dataStep: 'compute', createsTarget: true, example: 'entropy index = lemp lpop, negative(lpop)',
    syntax: 'entropy NEWVAR = VARLIST [if EXPR] [, negative(VARLIST) shift(0.0001) scale(100)]',
    doc: 'Entropy-weight index: min-max normalisation (reversed for negative indicators), entropy weights w_j, NEWVAR = scale * sum w_j x\'_j.',
    options: [
      opt('negative', 'neg', ArgKind.Varlist, 'Indicators where smaller is better (normalised as (max - x)/(max - min)).', { subsetOfBody: true, sample: 'lpop' }),
      opt('shift', 'shift', ArgKind.Number, `Added to each normalised value before taking shares (default ${ENTROPY_SHIFT}).`, { rule: { min: 0 }, default: ENTROPY_SHIFT }),
      opt('scale', 'scale', ArgKind.Number, `Multiplies the index (default ${ENTROPY_SCALE}).`, { rule: { min: 0, exclusive: true }, default: ENTROPY_SCALE }),
    ],
  },
  {
    name: 'export', abbrev: 'export', prefix: false, body: BodyKind.Terms, allowIf: true, weights: [], allowUsing: true, isEstimation: false,
    role: 'export', example: 'export delimited "out.csv" lemp year, replace',
    subcommands: [{ name: 'delimited', abbrev: 'delim', doc: 'Write a .csv file.' }],
    syntax: 'export delimited "FILE.csv" [VARLIST] [if EXPR] [, replace]',
    doc: 'Writes the data (or VARLIST) to a delimited text file.',
    options: [
      replaceFlag(),
      opt('delimiter', 'delim', ArgKind.String, 'Field separator (default ","; "tab" for a tab).'),
      opt('novarnames', 'novarname', ArgKind.None, 'No header row of variable names.'),
      opt('nolabel', 'nolabel', ArgKind.None, 'Write numeric values, not their value labels.'),
      opt('quote', 'quote', ArgKind.None, 'Accepted for Stata compatibility (fields are quoted when needed).'),
    ],
  },
  {
    name: 'label', abbrev: 'la', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'sql',
    role: 'label', dataStep: 'light', example: 'label variable lemp "Log employment"',
    subcommands: [{ name: 'variable', abbrev: 'var', doc: 'Attach a label to a variable.' }],
    syntax: 'label variable VAR "TEXT"',
    doc: 'Labels a variable; esttab with `label` shows labels instead of names.',
    options: [],
  },
  {
    name: 'eststo', abbrev: 'eststo', prefix: true, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'free',
    role: 'name', prefixRole: 'store', example: 'eststo m1: reghdfe lemp post, absorb(countyreal year)',
    syntax: 'eststo NAME: COMMAND',
    doc: 'Stores the estimation results of COMMAND under NAME, for esttab and the JSON output.',
    options: [],
  },
  {
    name: 'regress', abbrev: 'reg', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ESTIMATION_WEIGHTS, allowUsing: false, isEstimation: true,
    lazy: 'sql',
    role: 'estimation', minVars: 1, example: 'regress lemp post, vce(robust)',
    syntax: 'regress DEPVAR [VARLIST] [if EXPR] [weight] [, vce(robust | cluster VAR) noconstant]',
    reportAs: 'reg',
    doc: 'OLS regression.',
    options: [vce(), robust(), cluster(), { ...absorb(), doc: 'Absorb one categorical variable (as areg).' }, ...estimationExtras()],
  },
  {
    name: 'areg', abbrev: 'areg', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ESTIMATION_WEIGHTS, allowUsing: false, isEstimation: true,
    role: 'estimation', minVars: 1, example: 'areg lemp post, absorb(countyreal)',
    syntax: 'areg DEPVAR [VARLIST] [if EXPR] [weight], absorb(VAR) [vce(robust | cluster VAR)]',
    reportAs: 'reg',
    doc: 'Linear regression absorbing one categorical variable (estimated as reghdfe).',
    options: [absorb(true), vce(), robust(), cluster(), ...estimationExtras()],
  },
  {
    name: 'xtreg', abbrev: 'xtreg', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ESTIMATION_WEIGHTS, allowUsing: false, isEstimation: true,
    role: 'estimation', minVars: 1, example: 'xtreg lemp post, fe vce(robust)',
    syntax: 'xtreg DEPVAR [VARLIST] [if EXPR] [weight], fe [vce(robust | cluster VAR)]',
    doc: 'Fixed-effects (within) regression on the `xtset` panel, as Stata `xtreg, fe`: runs as `reghdfe` absorbing the panel variable, singletons kept; `vce(robust)` clusters by the panel, as Stata does. (R: `fixest::feols(y ~ x | id)`.)',
    options: [
      opt('fe', 'fe', ArgKind.None, 'The fixed-effects (within) estimator: required (random effects `re` and `be` are not available).', { required: true }),
      vce(),
      robust(),
      cluster(),
      ...estimationExtras(),
    ],
  },
  {
    name: 'reghdfe', abbrev: 'reghdfe', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ESTIMATION_WEIGHTS, allowUsing: false, isEstimation: true,
    lazy: 'sql',
    role: 'estimation', minVars: 1, example: 'reghdfe lemp post, absorb(countyreal year) vce(cluster countyreal)',
    syntax: 'reghdfe DEPVAR [VARLIST] [if EXPR] [weight], absorb(FE) [vce(robust | cluster VARLIST)]',
    doc: 'Linear regression absorbing several high-dimensional fixed effects (as Stata reghdfe / R fixest::feols).',
    options: [
      absorb(true),
      vce(),
      cluster(),
      robust(),
      { ...fe(), doc: 'Same as `absorb()`.' },
      opt('noabsorb', 'noa', ArgKind.None, 'No fixed effects (a constant only).'),
      ...estimationExtras(),
    ],
  },
  {
    name: 'did', abbrev: 'did', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ESTIMATION_WEIGHTS, allowUsing: false, isEstimation: true,
    lazy: 'sql',
    role: 'estimation', minVars: 2, example: 'did lemp post, fe(countyreal year) cluster(countyreal)',
    syntax: 'did DEPVAR TREAT [VARLIST] [if EXPR] [weight], fe(FE) [cluster(VARLIST)] [robust]',
    doc: 'Two-way fixed-effects difference-in-differences: DEPVAR on the treatment dummy TREAT and controls, absorbing fe().',
    options: [fe(true), { ...absorb(), doc: 'Same as `fe()`.' }, cluster(), robust(), vce(), dkraay(), ...estimationExtras()],
  },
  {
    name: 'ivreghdfe', abbrev: 'ivreghdfe', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ESTIMATION_WEIGHTS, allowUsing: false, isEstimation: true,
    role: 'estimation', minVars: 1, instrumented: true, example: 'ivreghdfe lemp (post = tyear), absorb(year)',
    syntax: 'ivreghdfe DEPVAR [VARLIST] (ENDOG = INSTRUMENTS) [VARLIST] [if EXPR] [weight], absorb(FE) [cluster(VARLIST)]',
    doc: '2SLS with absorbed fixed effects; reports first stages, Kleibergen-Paap rk LM and Wald F, Cragg-Donald F.',
    options: ivOptions(),
  },
  {
    name: 'ivreg2', abbrev: 'ivreg2', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ESTIMATION_WEIGHTS, allowUsing: false, isEstimation: true,
    role: 'estimation', minVars: 1, instrumented: true, example: 'ivreg2 lemp (post = tyear), cluster(countyreal)',
    syntax: 'ivreg2 DEPVAR [VARLIST] (ENDOG = INSTRUMENTS) [VARLIST] [if EXPR] [weight] [, cluster(VARLIST) robust]',
    doc: '2SLS (run as ivreghdfe; no fixed effects unless absorb() is given).',
    reportAs: 'ivreghdfe',
    options: ivOptions(),
  },
  {
    name: 'eventstudy', abbrev: 'eventstudy', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ESTIMATION_WEIGHTS, allowUsing: false, isEstimation: true,
    role: 'estimation', minVars: 1, example: 'eventstudy lemp, treat(first_treat) window(-3 3) ref(-1) fe(countyreal year) cluster(countyreal)',
    syntax: 'eventstudy DEPVAR [VARLIST] [if EXPR], treat(ADOPTVAR) [window(LO HI)] [ref(K)] fe(FE) [cluster(VARLIST)] [estimator(twfe|sunab|cs|bjs)]',
    doc: 'Event study: one dummy per relative period k = TIME - ADOPTVAR in LO..HI except ref(), with two-way fixed effects; `estimator()` picks a heterogeneity-robust estimator instead (Sun-Abraham, Callaway-Sant\'Anna, or BJS imputation).',
    options: [
      opt('treat', 'treat', ArgKind.Var, 'Adoption-time variable (missing or 0: never treated).', { required: true }),
      opt('window', 'win', ArgKind.Window, 'Relative periods LO HI (e.g. `window(-4 5)`; default: every relative period observed).', { rule: { count: [2, 2], integer: true } }),
      opt('ref', 'ref', ArgKind.Integer, `Reference period, left out (default ${EVENT_REF}).`, { rule: { integer: true }, default: EVENT_REF }),
      opt('time', 'time', ArgKind.Var, 'Time variable (default: the xtset time variable).', { sample: 'year' }),
      opt('estimator', 'est', ArgKind.Names, '`twfe` (the default: dummies in a two-way FE regression), `sunab` (Sun and Abraham 2021, as fixest\'s sunab()), `bjs` (Borusyak-Jaravel-Spiess imputation: did_imputation with horizons(0 HI) pretrends(-LO)), `cs` (Callaway-Sant\'Anna: csdid\'s dynamic aggregation; window() is its event-time range).', { keywords: ['twfe', 'sunab', 'cs', 'bjs'], default: 'twfe' }),
      fe(),
      { ...absorb(), doc: 'Same as `fe()`.' },
      cluster(),
      robust(),
      vce(),
      dkraay(),
      ...estimationExtras(),
    ],
  },
  {
    name: 'csdid', abbrev: 'csdid', prefix: false, body: BodyKind.Terms, allowIf: true, weights: [], allowUsing: false, isEstimation: true,
    role: 'estimation', minVars: 1, example: 'csdid lemp, gvar(first_treat) notyet',
    syntax: 'csdid DEPVAR [VARLIST] [if EXPR], gvar(ADOPTVAR) [ivar(UNIT) time(TIME)] [notyet] [method(dripw|reg|stdipw)] [long2] [anticipation(K)] [cluster(VAR)] [agg(simple|event|group|calendar)] [wboot reps(B) seed(S)]',
    doc: "Callaway and Sant'Anna (2021) difference-in-differences with staggered adoption: every ATT(g,t) and their simple, event-time, cohort and calendar aggregates, as R's did (att_gt + aggte). VARLIST: covariates (taken in the base period).",
    options: [
      opt('gvar', 'gvar', ArgKind.Var, 'Adoption-time variable: the first treated period (0 or missing: never treated).', { required: true }),
      opt('ivar', 'ivar', ArgKind.Var, 'Unit variable (default: the xtset unit variable).', { sample: 'countyreal' }),
      opt('time', 'time', ArgKind.Var, 'Time variable (default: the xtset time variable).', { sample: 'year' }),
      opt('notyet', 'notyet', ArgKind.None, 'Compare with never-treated and not-yet-treated units (default: never treated only).'),
      opt('method', 'method', ArgKind.Names, '2x2 estimator of each ATT(g,t): `dripw` doubly robust (default), `reg` outcome regression, `stdipw` normalized inverse probability weighting.', { keywords: ['dripw', 'reg', 'stdipw'], default: 'dripw' }),
      opt('long2', 'long2', ArgKind.None, 'Pre-treatment ATT(g,t) as long differences from g-1 (universal base period); default: short differences t-1 to t.'),
      opt('anticipation', 'anticip', ArgKind.Integer, 'Periods before adoption in which units may already react (default 0).', { rule: { integer: true, min: 0 }, default: 0 }),
      opt('cluster', 'cl', ArgKind.Var, 'Cluster variable of the multiplier bootstrap (wboot); analytic errors are clustered by unit, as in R.', { sample: 'countyreal' }),
      opt('agg', 'agg', ArgKind.Names, 'Aggregation shown first: simple, event, group or calendar (all four are always computed).', { keywords: ['simple', 'event', 'group', 'calendar'], default: 'simple' }),
      opt('wboot', 'wboot', ArgKind.None, 'Multiplier-bootstrap standard errors (Rademacher weights) and uniform confidence bands.'),
      opt('reps', 'rep', ArgKind.Integer, 'Bootstrap draws (default 999).', { rule: { integer: true, min: 2, max: MAX_REPS }, default: 999, requires: 'wboot' }),
      opt('seed', 'see', ArgKind.Integer, 'Bootstrap seed (default 1): the same seed gives the same draws.', { rule: { integer: true, min: 0 }, default: 1, requires: 'wboot' }),
    ],
  },
  {
    name: 'did_imputation', abbrev: 'did_imputation', prefix: false, body: BodyKind.Terms, allowIf: true, weights: [], allowUsing: false, isEstimation: true,
    role: 'estimation', minVars: 2, varCounts: [2, 4], example: 'did_imputation lemp countyreal year first_treat, horizons(0 3) pretrends(3)',
    syntax: 'did_imputation DEPVAR UNIT TIME ADOPTVAR [if EXPR] [, horizons(LO HI) pretrends(K) fe(FE) cluster(VAR)]',
    doc: 'Borusyak, Jaravel and Spiess (2024) imputation estimator: FEs fitted on untreated rows, treated rows\' imputed effects averaged (`tau`, or `tau0`.. by horizon), Theorem-3 standard errors clustered by UNIT; numbers as R\'s didimputation. `did_imputation DEPVAR ADOPTVAR` takes UNIT and TIME from xtset.',
    options: [
      opt('horizons', 'hor', ArgKind.Window, 'Effects by horizon LO..HI (periods since adoption, 0 or more) instead of the overall `tau`.', { rule: { count: [2, 2], integer: true, min: 0 } }),
      opt('pretrends', 'pre', ArgKind.Integer, 'Pre-trend test: regress untreated rows on K lead dummies (pre1..preK) with the FEs, clustered, and test them jointly.', { rule: { integer: true, min: 1 } }),
      fe(),
      opt('cluster', 'cl', ArgKind.Var, 'Cluster variable of the standard errors (default UNIT).', { sample: 'countyreal' }),
    ],
  },
  {
    name: 'bacondecomp', abbrev: 'bacondecomp', prefix: false, body: BodyKind.Terms, allowIf: true, weights: [], allowUsing: false, isEstimation: false,
    role: 'varlist', lens: true, minVars: 2, example: 'bacondecomp lemp post',
    syntax: 'bacondecomp DEPVAR TREAT [if EXPR]',
    doc: 'Goodman-Bacon (2021) decomposition of the two-way FE coefficient of TREAT (0/1, staying on once adopted) into every 2x2 comparison, its estimate and weight; needs xtset and a balanced panel. Numbers as R\'s bacondecomp; `graph export` draws estimate against weight.',
    options: [],
  },
  {
    name: 'placebo', abbrev: 'placebo', prefix: true, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    role: 'none', prefixRole: 'resample', targets: ['did', 'reghdfe'], example: 'placebo reps(100) units(50) seed(1): did lemp post, fe(countyreal year)',
    syntax: 'placebo reps(N) units(M) seed(S): did DEPVAR TREAT [VARLIST], fe(...) [cluster(...)]',
    doc: 'Randomisation (placebo) test: N draws of M pseudo-treated units with adoption times drawn from the real ones; reports the distribution of the TREAT coefficient.',
    options: [
      opt('reps', 'rep', ArgKind.Integer, `Number of draws (default ${PLACEBO_REPS}, at most ${MAX_REPS.toLocaleString('en-US')}).`, { rule: { integer: true, min: 1, max: MAX_REPS }, default: PLACEBO_REPS }),
      opt('units', 'uni', ArgKind.Integer, 'Pseudo-treated units per draw (default: as many as really treated).', { rule: { integer: true, min: 1 } }),
      opt('seed', 'see', ArgKind.Integer, 'Random seed: the same seed gives the same draws.', { rule: { integer: true, min: 0 } }),
    ],
  },
  {
    name: 'ritest', abbrev: 'ritest', prefix: true, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    role: 'none', prefixRole: 'resample', targets: ['regress', 'areg', 'reghdfe', 'did'],
    example: 'ritest post _b[post], reps(20) seed(1): did lemp post, fe(countyreal year)',
    syntax: 'ritest TREAT _b[TREAT], reps(N) seed(S) [strata(VAR) cluster(VAR)]: ESTIMATION COMMAND',
    doc: 'Randomization inference: re-assigns TREAT N times across units (whole clusters with cluster(), within strata()), re-runs the command; p = share of |draws| >= |actual|.',
    options: [
      opt('reps', 'rep', ArgKind.Integer, `Number of permutations (default ${RITEST_REPS}, at most ${MAX_REPS.toLocaleString('en-US')}).`, { rule: { integer: true, min: 1, max: MAX_REPS }, default: RITEST_REPS, sample: '20' }),
      opt('seed', 'see', ArgKind.Integer, `Random seed: the same seed gives the same permutations (default ${DEFAULT_SEED}, or set seed).`, { rule: { integer: true, min: 0 } }),
      opt('strata', 'str', ArgKind.Var, 'Permute only within the groups of VAR (constant within each unit or cluster).', { sample: 'treat' }),
      opt('cluster', 'cl', ArgKind.Var, 'Permute whole clusters of VAR (default: the xtset units).', { sample: 'countyreal' }),
    ],
  },
  {
    name: 'boottest', abbrev: 'boottest', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'sql',
    role: 'free', lens: true, needsModel: true, example: 'boottest post, cluster(first_treat) seed(1)',
    syntax: 'boottest TERM [, reps(B) weighttype(rademacher|webb|mammen|normal) seed(S) nonull level(L) cluster(VARS) bootcluster(VARS)]',
    doc: 'Wild cluster bootstrap-t of TERM = 0 in the current model (Roodman, MacKinnon, Nielsen and Webb 2019): p-value and confidence interval by test inversion, as fwildclusterboot.',
    options: [
      opt('reps', 'rep', ArgKind.Integer, `Bootstrap replications (default ${BOOTTEST_REPS}; Rademacher enumerates all 2^G sign vectors when 2^G <= reps).`, {
        rule: { integer: true, min: 1, max: MAX_REPS },
        default: BOOTTEST_REPS,
        sample: '99',
      }),
      opt('weighttype', 'weight', ArgKind.String, 'Weights: rademacher (default), webb, mammen or normal.', {
        sample: 'webb',
        validate: (v) => (['rademacher', 'webb', 'mammen', 'normal'].includes(v) ? undefined : `weighttype(${v}): use rademacher, webb, mammen or normal`),
      }),
      opt('seed', 'see', ArgKind.Integer, `Random seed (unused under full enumeration; default ${DEFAULT_SEED}, or set seed).`, { rule: { integer: true, min: 0 } }),
      opt('nonull', 'nonull', ArgKind.None, 'Do not impose the null on the bootstrap data (WCU); by default it is imposed (WCR).'),
      opt('level', 'level', ArgKind.Number, `Confidence level of the interval, in percent (default ${CONFIDENCE_LEVEL}).`, { rule: { min: 10, max: 99.99 }, default: CONFIDENCE_LEVEL }),
      opt('cluster', 'cl', ArgKind.Varlist, "Error clustering: one variable, or two for two-way (Cameron-Gelbach-Miller) clustering (default: the model's own).", { sample: 'first_treat' }),
      opt('bootcluster', 'bootcl', ArgKind.Varlist, 'Bootstrap clusters: the weights are drawn per level of VAR (several: their intersection; default: the intersection of the error clusterings).', { sample: 'first_treat' }),
    ],
  },
  {
    name: 'estimates', abbrev: 'est', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'free',
    role: 'free', example: 'estimates restore m1',
    subcommands: [
      { name: 'restore', abbrev: 'res', doc: 'Make the stored model NAME the current one (for boottest).', model: 'restore' },
      { name: 'store', abbrev: 'sto', doc: 'Store the current model as NAME (as eststo NAME).', model: 'store' },
    ],
    syntax: 'estimates restore NAME  |  estimates store NAME',
    doc: 'Stored estimation results: `restore` makes a stored model the current one, `store` names the current one.',
    options: [],
  },
  {
    name: 'psmatch', abbrev: 'psmatch', prefix: false, body: BodyKind.Terms, allowIf: true, weights: [], allowUsing: false, isEstimation: false,
    role: 'varlist', dataStep: 'compute', minVars: 2, example: 'psmatch treat lpop, gen(matched) pscore(ps)',
    syntax: 'psmatch TREAT VARLIST [if EXPR], gen(NEWVAR) [neighbors(1)] [caliper(C)] [by(VAR)]',
    doc: 'Propensity-score matching (logit, nearest neighbour with replacement); NEWVAR marks matched treated rows and the controls used.',
    options: [
      opt('gen', 'gen', ArgKind.NewVar, 'Variable to create: 1 on matched rows, else 0.', { required: true, aliases: ['generate'] }),
      opt('neighbors', 'n', ArgKind.Integer, `Controls per treated row (default ${PSMATCH_NEIGHBORS}).`, { aliases: ['neighbours'], rule: { integer: true, min: 1 }, default: PSMATCH_NEIGHBORS }),
      opt('caliper', 'cal', ArgKind.Number, 'Largest allowed score distance.', { rule: { min: 0, exclusive: true } }),
      byOpt('Fit the score and match within groups of VAR (e.g. each year).'),
      opt('pscore', 'ps', ArgKind.NewVar, 'Also keep the propensity score in a new variable.'),
    ],
  },
  {
    name: 'esttab', abbrev: 'esttab', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: true, isEstimation: false,
    lazy: 'free',
    role: 'models', lens: true, example: 'esttab m1 m2, se star(* 0.10 ** 0.05 *** 0.01)',
    syntax: 'esttab [NAMES] [using "FILE"] [, keep(COEFS) drop(COEFS) order(COEFS) b(FMT) se(FMT) star(SYM P ...) ar2 scalars(...) stats(...) indicate("LABEL = PATTERN" ...) mtitles(...) addnotes(...) replace ...]',
    doc: 'Table of stored models (all of them when NAMES is empty). FILE may be .tex .md .html .csv .docx (.rtf: Word).',
    options: optionalArgs([
      opt('keep', 'keep', ArgKind.Names, 'Show only these coefficients.'),
      opt('drop', 'drop', ArgKind.Names, 'Leave out these coefficients.'),
      opt('order', 'order', ArgKind.Names, 'Put these coefficients first, in this order.'),
      opt('rename', 'rename', ArgKind.Pairs, 'Rename coefficients: `rename(old new ...)`.'),
      opt('title', 'title', ArgKind.String, 'Table title.'),
      opt('mtitles', 'mti', ArgKind.Strings, 'Model (column) titles: `mtitles("Baseline" "Controls")`; `mtitles` alone uses the stored model names (default: each dependent variable).'),
      opt('nomtitles', 'nomti', ArgKind.None, 'No model titles row.'),
      replaceFlag(),
      opt('decimals', 'dec', ArgKind.Integer, 'Decimal places of estimates, standard errors and R² (default 4, or the editor setting).', { rule: { integer: true, min: 0, max: 12 } }),
      opt('b', 'b', ArgKind.Any, 'Format of the coefficients: `b(%9.4f)`, `b(3)` (3 decimals), `b(%9.3g)` (3 significant digits), `b(%9.2e)`, `b(a3)` (estout\'s adaptive format).', { sample: '%9.3f' }),
      opt('se', 'se', ArgKind.Any, 'Standard errors in parentheses (the default); `se(%9.4f)` sets their format (default: as the coefficients).', { sample: '%9.4f' }),
      opt('t', 't', ArgKind.Any, 't statistics in parentheses instead of standard errors; `t(%9.2f)` sets their format.', { sample: '%9.2f' }),
      opt('p', 'p', ArgKind.Any, 'p-values in parentheses instead of standard errors; `p(%9.3f)` sets their format (default 3 decimals).', { sample: '%9.3f' }),
      opt('ci', 'ci', ArgKind.Any, 'Confidence intervals in brackets instead of standard errors, at each model\'s level() (default 95%); `ci(%9.3f)` sets their format.', { sample: '%9.3f' }),
      opt('star', 'star', ArgKind.Any, 'Significance stars, symbol and level pairs: `star(* 0.10 ** 0.05 *** 0.01)`, `star(+ 0.10 * 0.05)`; a coefficient gets the symbol of the smallest level its p is below (default: the editor setting, * 0.10 ** 0.05 *** 0.01).', { sample: '* 0.10 ** 0.05' }),
      opt('nostar', 'nostar', ArgKind.None, 'No significance stars (and no stars note).'),
      opt('label', 'l', ArgKind.None, 'Use variable labels.'),
      opt('stats', 's', ArgKind.Stats, 'The rows under the coefficients, exactly: `stats(N r2 r2_a r2_within N_clust, fmt(%9.0fc 3) labels("Observations" "R²"))` (reghdfe/ivreghdfe e() names: N r2 r2_a r2_p r2_within N_clust N_clust1 N_clust2 df_r rmse F num_singletons widstat cdf idstat idp; also first_f kp_lm sy10 vcov). The last fmt() serves the remaining rows. Overrides r2, ar2, pr2, scalars(), noobs.'),
      opt('r2', 'r2', ArgKind.Any, 'R² row (esttab\'s footer: N, scalars(), then R², adjusted, pseudo); `r2(%9.3f)` sets its format. Any of r2/ar2/pr2/scalars()/noobs replaces the default rows (N, R², within R², clusters, IV tests).', { sample: '%9.3f' }),
      opt('ar2', 'ar2', ArgKind.Any, 'Adjusted R² row; `ar2(%9.3f)` sets its format.', { sample: '%9.3f' }),
      opt('pr2', 'pr2', ArgKind.Any, 'Pseudo R² row (empty for the linear models here); `pr2(fmt)` sets its format.', { sample: '%9.3f' }),
      opt('scalars', 'sca', ArgKind.Any, 'More rows by statistic name, with an optional label: `scalars(r2_within "N_clust Clusters")` (names as in stats()).', { sample: 'r2_within' }),
      opt('sfmt', 'sfmt', ArgKind.Any, 'Formats of the scalars() rows: `sfmt(%9.3f %9.0f)`; the last one serves the rest.', { sample: '%9.3f' }),
      opt('noobs', 'noobs', ArgKind.None, 'No N row.'),
      opt('obslast', 'obslast', ArgKind.None, 'N as the last row instead of the first.'),
      opt('indicate', 'i', ArgKind.Any, 'Yes/No rows: `indicate("City FE = *city*" "Year FE = *year* i.year", labels(Y N))`: "Yes" where the model has a fixed effect or a coefficient matching a pattern (globs; `i.year` for its dummies); matching coefficients leave the table. Replaces the automatic fixed-effect rows.', { sample: '"County FE = *county*"' }),
      opt('nonumbers', 'nonum', ArgKind.None, 'No model numbers row.'),
      opt('noconstant', 'nocon', ArgKind.None, 'Leave out the intercept row (`_cons`).'),
      opt('nonotes', 'nonote', ArgKind.None, 'No standard notes (what is in parentheses, the stars legend); addnotes() still show.'),
      opt('addnotes', 'addn', ArgKind.Any, 'Lines added under the table: `addnotes("Clustered by city." "Line 2")`.', { sample: '"A note."' }),
      opt('format', 'format', ArgKind.Any, 'Number format, e.g. `fmt(%9.3f)` or `fmt(3)` (sets the decimal places of everything).', { aliases: ['fmt'], sample: '%9.3f' }),
      opt('append', 'append', ArgKind.None, 'Accepted for Stata compatibility.'),
      opt('booktabs', 'booktabs', ArgKind.None, 'Accepted for Stata compatibility (LaTeX tables use booktabs rules).'),
      opt('compress', 'compress', ArgKind.None, 'Accepted for Stata compatibility.'),
      opt('nogaps', 'nogap', ArgKind.None, 'Accepted for Stata compatibility.'),
    ]),
  },
  {
    name: 'coefplot', abbrev: 'coefplot', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'free',
    role: 'models', lens: true, example: 'coefplot m1 m2, drop(_cons) xline(0)',
    syntax: 'coefplot [NAMES] [, keep(COEFS) drop(COEFS) rename(old new ...) vertical xline(#) yline(#) levels(#) title("TEXT") nolabels]',
    doc: 'Plots the point estimates and confidence intervals of stored models (Ben Jann\'s coefplot): one marker style per model with a legend, coefficients on the y axis (`vertical`: on the x axis). Intervals use each model\'s own t distribution and degrees of freedom; `graph export "FILE.svg"` writes the plot.',
    options: [
      opt('keep', 'keep', ArgKind.Names, 'Plot only these coefficients (names or globs such as `x*`).'),
      opt('drop', 'drop', ArgKind.Names, 'Leave out these coefficients (e.g. `drop(_cons)`).'),
      opt('rename', 'rename', ArgKind.Pairs, 'Rename coefficients: `rename(old new ...)` (or `old = new`); equal new names share one row across models.'),
      opt('vertical', 'vert', ArgKind.None, 'Coefficients along the x axis, estimates on the y axis.'),
      opt('horizontal', 'hor', ArgKind.None, 'Coefficients along the y axis (the default).'),
      opt('xline', 'xline', ArgKind.Number, 'Reference line(s) at these x values, e.g. `xline(0)` (horizontal plots: the estimate axis).', { rule: { count: [1, 50] } }),
      opt('yline', 'yline', ArgKind.Number, 'Reference line(s) at these y values, e.g. `yline(0)` (vertical plots: the estimate axis).', { rule: { count: [1, 50] } }),
      opt('levels', 'level', ArgKind.Number, `Confidence level of the intervals in percent (default ${CONFIDENCE_LEVEL}), e.g. \`levels(90)\`.`, { rule: { min: 10, max: 99.99 }, default: CONFIDENCE_LEVEL }),
      opt('title', 'title', ArgKind.String, 'Plot title.'),
      opt('label', 'l', ArgKind.None, 'Variable labels on the coefficient axis (the default, as coefplot).'),
      opt('nolabels', 'nolabel', ArgKind.None, 'Coefficient names instead of variable labels.'),
    ],
  },
  {
    name: 'graph', abbrev: 'gr', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'free',
    role: 'free', example: 'graph export "es.svg", replace',
    subcommands: [{ name: 'export', abbrev: 'export', doc: 'Write the most recent event-study, placebo, coefplot or bacondecomp plot to an .svg, .png or .pdf file.' }],
    syntax: 'graph export "FILE.svg|png|pdf" [, replace width(#) height(#)]',
    doc: 'Exports the plot of the most recent eventstudy (coefficients with 95% intervals), placebo (histogram of the draws), coefplot or bacondecomp (2x2 estimates against their weights) result, fixed colours on white: `.svg` (vector), `.png` (raster; default 3x the plot size) or `.pdf` (one page with the plot at 300 dpi).',
    options: [
      replaceFlag(),
      opt('width', 'width', ArgKind.Integer, 'Width in pixels (PNG; SVG and PDF: the page size at 96 px per inch). With only one of width/height the other keeps the plot\'s aspect.', { rule: { integer: true, min: 1, max: MAX_GRAPH_PIXELS }, sample: '2400' }),
      opt('height', 'height', ArgKind.Integer, 'Height in pixels (with both: that exact size, the plot centred on white).', { rule: { integer: true, min: 1, max: MAX_GRAPH_PIXELS }, sample: '1600' }),
    ],
  },
  {
    name: 'quietly', abbrev: 'qui', prefix: true, prefixWithoutColon: true, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'free',
    role: 'none', prefixRole: 'quiet', example: 'quietly reg lemp lpop',
    syntax: 'quietly[:] COMMAND',
    doc: 'Runs COMMAND without printing its output (results are still stored).',
    options: [],
  },
  {
    name: 'log', abbrev: 'log', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: true, isEstimation: false,
    lazy: 'free',
    role: 'free', example: 'log using "run.log", replace',
    subcommands: [{ name: 'close', abbrev: 'close', doc: 'Close the open log.' }],
    syntax: 'log using "FILE.log" [, replace append text] | log close',
    doc: 'Writes what the run shows from here on (tables, notes, timings) to a text log, as Stata\'s `log using`; `log close` (or the end of the run) closes it. An error that stops the run is written too.',
    options: [
      replaceFlag(),
      opt('append', 'append', ArgKind.None, 'Add to the end of an existing log.', { excludes: 'replace' }),
      opt('text', 'text', ArgKind.None, 'A plain-text log (the only kind written).'),
      opt('smcl', 'smcl', ArgKind.None, 'Stata\'s SMCL format: not available (an error).', { unsupported: 'only text logs are written (drop smcl)' }),
    ],
  },
  {
    name: 'help', abbrev: 'help', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'free',
    role: 'free', example: 'help reghdfe',
    syntax: 'help COMMAND',
    doc: 'Opens the help page of COMMAND (syntax, options, an example, the Stata and R commands it matches) beside the editor. Nothing to do on the command line.',
    options: [],
  },
  {
    name: 'browse', abbrev: 'br', prefix: false, body: BodyKind.Terms, allowIf: true, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'sql',
    role: 'varlist', example: 'browse lemp year if treat',
    syntax: 'browse [VARLIST] [if EXPR]',
    doc: 'Opens the data viewer on the data as the spec leaves them at this line (its ▶ Browse lens, or Run Line here). Nothing to do on the command line.',
    options: [],
  },
  {
    name: 'materialize', abbrev: 'materialize', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'sql',
    role: 'none', dataStep: 'compute', example: 'materialize',
    syntax: 'materialize',
    doc: 'Loads a lazy dataset (`use ..., lazy`) into memory, in its current row order, after the data steps that ran in DuckDB (typically `keep if` and `keep VARLIST` to make it fit). Does nothing when the data are already in memory.',
    options: [],
  },
  {
    name: 'set', abbrev: 'set', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    lazy: 'free',
    role: 'free', dataStep: 'light', example: 'set seed 12345',
    subcommands: [{ name: 'seed', abbrev: 'seed', doc: 'Seed of the random-number generator.' }],
    syntax: 'set seed N',
    doc: 'Sets a setting; `set seed N` fixes the random-number stream.',
    options: [],
  },
];

const byName = new Map<string, CommandSpec>();
for (const c of COMMANDS) {
  byName.set(c.name, c);
  for (const a of c.aliases ?? []) byName.set(a, c);
}

/** Stata abbreviation rule: `written` is a prefix of `full` no shorter than `abbrev`. */
export function matchesAbbrev(written: string, full: string, abbrev: string): boolean {
  return written.length >= abbrev.length && written.length <= full.length && full.startsWith(written) && written.startsWith(abbrev);
}

/** The command `written` denotes (`reg`, `regr`, `regress` -> regress; `g`, `gen` -> generate). */
export function resolveCommand(written: string): CommandSpec | undefined {
  const exact = byName.get(written);
  if (exact) return exact;
  for (const c of COMMANDS) if (matchesAbbrev(written, c.name, c.abbrev)) return c;
  return undefined;
}

/** The option `written` denotes for `cmd` (`cl` -> cluster, `a` -> absorb, `stats` -> statistics). */
export function resolveOption(cmd: CommandSpec, written: string): OptionSpec | undefined {
  for (const o of cmd.options) if (o.name === written || o.aliases?.includes(written)) return o;
  for (const o of cmd.options) if (matchesAbbrev(written, o.name, o.abbrev)) return o;
  return undefined;
}

/** The subcommand `written` denotes (`var` -> variable for `label`). */
export function resolveSubcommand(cmd: CommandSpec, written: string): SubcommandSpec | undefined {
  return cmd.subcommands?.find((s) => s.name === written || matchesAbbrev(written, s.name, s.abbrev));
}

/** `bysort VARS: CMD` where CMD does not take by-groups: the message both checker and runtime give. */
export function byTargetProblem(target: CommandSpec): string | undefined {
  if (target.byable) return undefined;
  const ok = COMMANDS.filter((c) => c.byable).map((c) => c.abbrev === c.name ? c.name : c.abbrev);
  return `bysort works with ${ok.slice(0, -1).join(', ')} and ${ok[ok.length - 1]}, not ${target.name}`;
}

/** CMD on a lazy dataset (`use ..., lazy`) when it has no SQL implementation: the message both checker and runtime give. */
export function lazyProblem(target: CommandSpec): string | undefined {
  if (target.lazy) return undefined;
  return `${target.name} does not run on lazy data (the dataset stays in DuckDB): reduce it with \`keep if ...\` or \`keep VARLIST\`, then \`materialize\` to load it into memory`;
}

/** `placebo ...: CMD` where the prefix cannot re-run CMD. */
export function prefixTargetProblem(prefix: CommandSpec, target: CommandSpec): string | undefined {
  if (!prefix.targets || prefix.targets.includes(target.name)) return undefined;
  return `${prefix.name} ...: works with ${prefix.targets.join(' or ')} commands, not ${target.name}`;
}

/** A command that reads the current model (`needsModel`, `estimates store`) before any estimation. */
export function noModelProblem(command: string): string {
  return command === 'estimates store'
    ? 'estimates store: no estimation results to store yet'
    : `${command}: no estimation results yet: run reg, reghdfe or did first (or estimates restore NAME)`;
}

/** `estimates restore NAME` of a name no model was stored under (`known`: the stored names). */
export function unknownModelProblem(name: string, known: readonly string[]): string {
  return `estimates restore: no stored model named ${name} (${known.length ? `stored: ${known.join(', ')}` : 'none stored yet: name models with eststo NAME: or estimates store NAME'})`;
}

/** An option given without the option it goes with (`reps()` without `wboot`). */
export function requiresProblem(o: OptionSpec, given: (name: string) => boolean): string | undefined {
  if (o.unsupported) return `${o.name}: ${o.unsupported}`;
  if (o.requires && !given(o.requires)) return `${o.name}() goes with ${o.requires}`;
  if (o.excludes && given(o.excludes)) return `give ${o.excludes} or ${o.name}, not both`;
  return undefined;
}

export function allCommands(): CommandSpec[] {
  return COMMANDS.slice();
}

// ---- functions ----
// Expression functions live in functions.ts (the one list the runtime, the check and completion read).
export { exprFunctions, resolveExprFunction, functionArgKind, arityMessage, type FunctionSpec, type ValueKind } from './functions';

export interface EgenFunctionSpec {
  name: string;
  /** Row-wise over several variables (rowmean, hhi) rather than down a column within by() groups. */
  rowwise: boolean;
  signature: string;
  doc: string;
}

const EGEN_FUNCTIONS: EgenFunctionSpec[] = [
  { name: 'mean', rowwise: false, signature: 'mean(EXPR)', doc: 'Mean of EXPR over the rows of each by() group (all rows without by()).' },
  { name: 'median', rowwise: false, signature: 'median(EXPR)', doc: 'Median within the group.' },
  { name: 'sd', rowwise: false, signature: 'sd(EXPR)', doc: 'Standard deviation (n - 1) within the group.' },
  { name: 'min', rowwise: false, signature: 'min(EXPR)', doc: 'Minimum within the group.' },
  { name: 'max', rowwise: false, signature: 'max(EXPR)', doc: 'Maximum within the group.' },
  { name: 'total', rowwise: false, signature: 'total(EXPR)', doc: 'Sum within the group (missing counts as 0).' },
  { name: 'sum', rowwise: false, signature: 'sum(EXPR)', doc: 'Same as total().' },
  { name: 'count', rowwise: false, signature: 'count(EXPR)', doc: 'Number of non-missing values within the group.' },
  { name: 'rank', rowwise: false, signature: 'rank(EXPR)', doc: 'Rank within the group (ties get the mean rank).' },
  { name: 'group', rowwise: false, signature: 'group(VARLIST)', doc: 'Consecutive integers 1, 2, ... numbering the combinations of VARLIST, in sort order.' },
  { name: 'rowmean', rowwise: true, signature: 'rowmean(VARLIST)', doc: 'Mean of the non-missing values of VARLIST in each row.' },
  { name: 'rowtotal', rowwise: true, signature: 'rowtotal(VARLIST)', doc: 'Sum of VARLIST in each row (missing counts as 0).' },
  { name: 'rowmin', rowwise: true, signature: 'rowmin(VARLIST)', doc: 'Smallest non-missing value of VARLIST in each row.' },
  { name: 'rowmax', rowwise: true, signature: 'rowmax(VARLIST)', doc: 'Largest non-missing value of VARLIST in each row.' },
  { name: 'rowsd', rowwise: true, signature: 'rowsd(VARLIST)', doc: 'Standard deviation of the non-missing values of VARLIST in each row.' },
  { name: 'rownonmiss', rowwise: true, signature: 'rownonmiss(VARLIST)', doc: 'Number of non-missing values of VARLIST in each row.' },
  { name: 'rowmiss', rowwise: true, signature: 'rowmiss(VARLIST)', doc: 'Number of missing values of VARLIST in each row.' },
  { name: 'hhi', rowwise: true, signature: 'hhi(VARLIST)', doc: 'Row-wise Herfindahl index: sum of squared shares x_j / sum(x).' },
];

export function egenFunctions(): EgenFunctionSpec[] {
  return EGEN_FUNCTIONS.slice();
}
export function resolveEgenFunction(name: string): EgenFunctionSpec | undefined {
  return EGEN_FUNCTIONS.find((f) => f.name === name);
}
