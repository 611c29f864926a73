// Parser timing figures (not a test):
//   node scripts/build.mjs --no-main --only grammar/parse.perf && node out/test/grammar/parse.perf.js [small|lines|expr|varlist]
// Each big case is best run in its own process (`lines`, `expr`, `varlist`): garbage from one run
// would make the next pay for its collection.
import { parse } from '../../grammar/src/index';

const study = `* Baseline
use "data/cities.csv", clear
xtset city year
global controls lngdp lnpop fdi urban
gen lny = log(gdp) if gdp > 0
bysort city (year): gen lag = x[_n-1]
egen hhi_idx = hhi(a b c), by(city)
eststo m1: reghdfe y did $controls [aw=pop] if year > 2005, absorb(city year) vce(cluster city)
placebo reps(500) units(100) seed(1): did y treat, fe(city year) cluster(city)
ivreghdfe y (x1 = z1 z2) w, absorb(city#year) cluster(city)
esttab m1 m2 using "t3.tex", keep(did) title("Table 3") replace star(* 0.1 ** 0.05)
`;

function time(label: string, text: string, reps: number): void {
  for (let i = 0; i < 20; i++) parse(study.repeat(50)); // JIT warm-up on a small text
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) parse(text);
  const ms = (performance.now() - t0) / reps;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1000 / reps;
  // CPU time too: the wall time swings with the machine's load (GC helper threads count in both)
  console.log(`${label.padEnd(28)} ${(text.length / 1e6).toFixed(2)} MB  wall ${ms.toFixed(ms < 10 ? 2 : 0)} ms  cpu ${cpu.toFixed(cpu < 10 ? 2 : 0)} ms`);
}

const which = process.argv[2] ?? 'all';
if (which === 'all' || which === 'small') {
  time('study spec (11 lines)', study, 2000);
  time('5k-line spec', study.repeat(455), 20);
}
if (which === 'all' || which === 'lines') time('100k-line spec', 'gen y = log(x) + 2*z if a == 1\nreghdfe y x1 x2, absorb(city year) vce(cl city)\n'.repeat(50_000), 1);
if (which === 'all' || which === 'expr') time('5 MB expression', 'gen y = ' + 'a + '.repeat(1_250_000) + 'a', 1);
if (which === 'all' || which === 'varlist') time('5 MB varlist', 'reghdfe y ' + Array.from({ length: 700_000 }, (_, i) => `x${i}`).join(' ') + ', absorb(city year)', 1);
