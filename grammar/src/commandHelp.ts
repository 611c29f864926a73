// What a command's help page adds to the command table (commands.ts): a worked example on the
// sample data and the Stata / R commands it matches. Keyed by canonical name; a command without an
// entry still gets a page from its syntax, description and options.

import { ArgKind } from './commands';

const ARG_TEXT: Record<ArgKind, string> = {
  [ArgKind.None]: '',
  [ArgKind.Varlist]: '(VARLIST)',
  [ArgKind.Var]: '(VAR)',
  [ArgKind.NewVar]: '(NEWVAR)',
  [ArgKind.Integer]: '(#)',
  [ArgKind.Number]: '(#)',
  [ArgKind.String]: '("TEXT")',
  [ArgKind.Strings]: '("TEXT" ...)',
  [ArgKind.Path]: '("FILE")',
  [ArgKind.VceSpec]: '(robust | cluster VARLIST)',
  [ArgKind.Window]: '(LO HI)',
  [ArgKind.Stats]: '(STAT ...)',
  [ArgKind.FeList]: '(VAR[#VAR] ...)',
  [ArgKind.Names]: '(NAME ...)',
  [ArgKind.Pairs]: '(A "B" ...)',
  [ArgKind.Any]: '(...)',
};

/** How an option's argument is written in help and signature help: `(VARLIST)`, `(#)`, nothing for a flag. */
export function argText(kind: ArgKind): string {
  return ARG_TEXT[kind];
}

export interface CommandHelp {
  example: string;
  stata?: string;
  r?: string;
}

export const COMMAND_HELP: Readonly<Record<string, CommandHelp>> = {
  use: { example: 'use "city_panel.csv"', stata: 'use, import delimited, import excel', r: 'haven::read_dta(), readr::read_csv(), arrow::read_parquet()' },
  xtset: { example: 'xtset city_id year', stata: 'xtset', r: 'fixest::panel(data, ~ id + year)' },
  global: { example: 'global controls lndensity lnopen lngovern', stata: 'global', r: 'a character vector of names' },
  generate: { example: 'gen lnpop = ln(population) if population > 0', stata: 'generate', r: 'dplyr::mutate()' },
  replace: { example: 'replace lnpop = 0 if missing(lnpop)', stata: 'replace', r: 'dplyr::mutate(x = ifelse(...))' },
  egen: { example: 'egen city_pop = mean(population), by(city_id)', stata: 'egen', r: 'dplyr::group_by() |> mutate()' },
  summarize: { example: 'summarize resilience integration $controls', stata: 'summarize', r: 'summary(), modelsummary::datasummary()' },
  tabstat: { example: 'tabstat resilience lndensity, statistics(n mean sd min max)', stata: 'tabstat', r: 'modelsummary::datasummary()' },
  entropy: { example: 'entropy resilience = ec_gdppc ec_growth eco_pm25, negative(eco_pm25)', stata: 'entropy-weight index (user-written do-files)', r: 'hand-written entropy weights' },
  regress: { example: 'reg resilience integration lndensity, vce(cluster city_id)', stata: 'regress', r: 'lm(), fixest::feols()' },
  areg: { example: 'areg resilience integration lndensity, absorb(city_id) vce(cluster city_id)', stata: 'areg', r: 'fixest::feols(y ~ x | id)' },
  xtreg: { example: 'xtreg resilience integration lndensity, fe vce(robust)', stata: 'xtreg, fe', r: 'fixest::feols(y ~ x | id, cluster = ~id), plm::plm(model = "within")' },
  reghdfe: { example: 'reghdfe resilience integration $controls, absorb(city_id year) vce(cluster city_id)', stata: 'reghdfe (Correia)', r: 'fixest::feols(y ~ x | id + year, cluster = ~id)' },
  did: { example: 'eststo m1: did resilience integration $controls, fe(city_id year) cluster(city_id)', stata: 'reghdfe y treat, absorb(id year) (two-way fixed-effects DID)', r: 'fixest::feols(y ~ treat | id + year)' },
  ivreghdfe: { example: 'ivreghdfe resilience (integration = iv_rugged_road) $controls, absorb(city_id year) cluster(city_id)', stata: 'ivreghdfe, ivreg2', r: 'fixest::feols(y ~ x | id + year | d ~ z)' },
  eventstudy: { example: 'eventstudy resilience $controls, treat(approval_year) window(-4 5) ref(-1) fe(city_id year) cluster(city_id)', stata: 'reghdfe with lead/lag dummies, eventdd', r: 'fixest::feols(y ~ i(k, ref = -1) | id + year)' },
  placebo: { example: 'placebo reps(500) units(147) seed(1): did resilience integration, fe(city_id year)', stata: 'permute, or a loop over random pseudo-treatments', r: 'a loop over sample()d treatments' },
  psmatch: { example: 'psmatch integration $controls, gen(matched) neighbors(1) caliper(0.05)', stata: 'psmatch2', r: 'MatchIt::matchit()' },
  eststo: { example: 'eststo m1: reghdfe resilience integration, absorb(city_id year)', stata: 'eststo (estout)', r: 'a named list of models' },
  esttab: { example: 'esttab m1 m2 using "table3.tex", label replace', stata: 'esttab (estout)', r: 'modelsummary::modelsummary(), fixest::etable()' },
  coefplot: { example: 'coefplot m1 m2, keep(integration) xline(0)', stata: 'coefplot (Jann)', r: 'fixest::coefplot(), modelsummary::modelplot()' },
  graph: { example: 'graph export "figure1.png", width(2400) height(1600) replace', stata: 'graph export', r: 'ggplot2::ggsave()' },
  log: { example: 'log using "run.log", replace', stata: 'log using / log close', r: 'sink()' },
  browse: { example: 'browse resilience integration', stata: 'browse', r: 'View()' },
  label: { example: 'label var resilience "Urban resilience"', stata: 'label variable', r: 'labelled::var_label()' },
  keep: { example: 'keep if year >= 2005', stata: 'keep', r: 'dplyr::filter(), dplyr::select()' },
  drop: { example: 'drop if missing(gdp_pc)', stata: 'drop', r: 'dplyr::filter(), dplyr::select()' },
  tabulate: { example: 'tabulate region', stata: 'tabulate', r: 'table()' },
  describe: { example: 'describe', stata: 'describe', r: 'str(), dplyr::glimpse()' },
  export: { example: 'export delimited "clean.csv", replace', stata: 'export delimited', r: 'readr::write_csv()' },
};
