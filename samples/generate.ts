// Writes samples/city_panel.csv: a SYNTHETIC panel shaped like the study's data (285 Chinese
// prefecture-level cities, 2003-2020, ten city clusters approved 2015-2018 covering 147 cities).
// Every number is drawn from the fixed-seed generator below; nothing comes from real statistics.
//
//   npx esbuild samples/generate.ts --bundle --platform=node --format=cjs --outfile=out/samples/generate.js
//   node out/samples/generate.js            (writes samples/city_panel.csv; same bytes on every run)
//
// Data-generating process (per city i, year t):
//   latent resilience R_it = a_i + region-year shock + 0.04·controls + τ_it + u_it (AR(1) u),
//   τ_it = D_it·(0.05 + 0.015·min(t - approval, 3))  (no effect before approval: flat pre-trends);
//   each of the 26 indicators is base·(exp(±s·z) ± 0.012·t) with z = λ·R + city level + noise:
//   a noisy monotone function of R_it (decreasing for the six negative-direction ones) plus a
//   common trend that is additive in the indicator's units. Treatment (membership of a city
//   cluster) is more likely for richer, flatter cities; since levels are absorbed by city FE and
//   trends are common, the DID identifies τ. The instrument ruggedness × road density moves with
//   approval only through the treatment (road density rises by about 28% after approval), so it is relevant and,
//   by construction, excluded. Competing policies are assigned independently of the clusters.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../server/src/engine/study/rng';

export const YEARS = Array.from({ length: 18 }, (_, i) => 2003 + i);
export const N_CITIES = 285;

/** The 26 resilience indicators: dimension, direction (+1 more is better, -1 less is better). */
export const INDICATORS: { name: string; dim: 'economic' | 'social' | 'ecological' | 'engineering'; dir: 1 | -1; base: number; scale: number; digits: number }[] = [
  { name: 'ec_gdppc', dim: 'economic', dir: 1, base: 4.2, scale: 0.45, digits: 4 }, // GDP per capita, 10k yuan
  { name: 'ec_growth', dim: 'economic', dir: 1, base: 8.5, scale: 0.2, digits: 3 }, // GDP growth, %
  { name: 'ec_fiscal', dim: 'economic', dir: 1, base: 0.45, scale: 0.55, digits: 4 }, // fiscal revenue per capita, 10k yuan
  { name: 'ec_fdi', dim: 'economic', dir: 1, base: 1.8, scale: 0.8, digits: 4 }, // FDI / GDP, %
  { name: 'ec_savings', dim: 'economic', dir: 1, base: 3.5, scale: 0.4, digits: 4 }, // deposits per capita, 10k yuan
  { name: 'ec_unemp', dim: 'economic', dir: -1, base: 3.2, scale: 0.25, digits: 3 }, // registered unemployment, %
  { name: 'ec_debt', dim: 'economic', dir: -1, base: 28, scale: 0.3, digits: 3 }, // government debt / GDP, %
  { name: 'so_doctors', dim: 'social', dir: 1, base: 22, scale: 0.35, digits: 3 }, // doctors per 10k people
  { name: 'so_beds', dim: 'social', dir: 1, base: 45, scale: 0.3, digits: 3 }, // hospital beds per 10k
  { name: 'so_teachers', dim: 'social', dir: 1, base: 62, scale: 0.2, digits: 3 }, // teachers per 10k
  { name: 'so_library', dim: 'social', dir: 1, base: 55, scale: 0.6, digits: 3 }, // library books per 100 people
  { name: 'so_insurance', dim: 'social', dir: 1, base: 38, scale: 0.35, digits: 3 }, // medical insurance coverage, %
  { name: 'so_pension', dim: 'social', dir: 1, base: 30, scale: 0.4, digits: 3 }, // pension coverage, %
  { name: 'so_engel', dim: 'social', dir: -1, base: 36, scale: 0.15, digits: 3 }, // Engel coefficient, %
  { name: 'eco_green', dim: 'ecological', dir: 1, base: 38, scale: 0.12, digits: 3 }, // green coverage of built-up area, %
  { name: 'eco_park', dim: 'ecological', dir: 1, base: 11, scale: 0.3, digits: 3 }, // park area per capita, m2
  { name: 'eco_wastewater', dim: 'ecological', dir: 1, base: 82, scale: 0.08, digits: 3 }, // sewage treatment rate, %
  { name: 'eco_so2', dim: 'ecological', dir: -1, base: 4.5, scale: 0.6, digits: 4 }, // SO2 per unit GDP, t / 100m yuan
  { name: 'eco_dust', dim: 'ecological', dir: -1, base: 2.8, scale: 0.6, digits: 4 }, // dust per unit GDP
  { name: 'eco_pm25', dim: 'ecological', dir: -1, base: 48, scale: 0.25, digits: 3 }, // PM2.5, ug/m3
  { name: 'en_road', dim: 'engineering', dir: 1, base: 12, scale: 0.3, digits: 3 }, // road area per capita, m2
  { name: 'en_water', dim: 'engineering', dir: 1, base: 92, scale: 0.05, digits: 3 }, // water supply penetration, %
  { name: 'en_gas', dim: 'engineering', dir: 1, base: 85, scale: 0.1, digits: 3 }, // gas penetration, %
  { name: 'en_drain', dim: 'engineering', dir: 1, base: 9, scale: 0.35, digits: 3 }, // drainage pipes, km per km2
  { name: 'en_internet', dim: 'engineering', dir: 1, base: 18, scale: 0.6, digits: 3 }, // broadband users per 100
  { name: 'en_bus', dim: 'engineering', dir: 1, base: 8, scale: 0.35, digits: 3 }, // buses per 10k people
];

export const CONTROLS = ['lndensity', 'lnopen', 'lngovern', 'lninvest', 'lnemploy', 'lnconsumption'];
export const POLICIES = ['pol_lowcarbon', 'pol_smartcity', 'pol_broadband', 'pol_innovation', 'pol_civilized', 'pol_sponge'];
export const SECTORS = ['sh_agri', 'sh_manuf', 'sh_constr', 'sh_trade', 'sh_service'];

const PROVINCES: { name: string; region: 'east' | 'central' | 'west' }[] = [
  ...['Hebei', 'Liaoning', 'Jiangsu', 'Zhejiang', 'Fujian', 'Shandong', 'Guangdong', 'Hainan', 'Beijing', 'Tianjin'].map((name) => ({ name, region: 'east' as const })),
  ...['Shanxi', 'Jilin', 'Heilongjiang', 'Anhui', 'Jiangxi', 'Henan', 'Hubei', 'Hunan'].map((name) => ({ name, region: 'central' as const })),
  ...['InnerMongolia', 'Guangxi', 'Chongqing', 'Sichuan', 'Guizhou', 'Yunnan', 'Shaanxi', 'Gansu', 'Ningxia'].map((name) => ({ name, region: 'west' as const })),
];

// Ten synthetic city clusters: size (cities, 147 in all), approval year, tier, polycentric.
const CLUSTERS = [
  { size: 26, year: 2016, tier: 1, poly: 1 },
  { size: 16, year: 2015, tier: 1, poly: 1 },
  { size: 14, year: 2016, tier: 1, poly: 0 },
  { size: 19, year: 2016, tier: 1, poly: 1 },
  { size: 12, year: 2016, tier: 1, poly: 0 },
  { size: 16, year: 2017, tier: 2, poly: 0 },
  { size: 11, year: 2018, tier: 2, poly: 1 },
  { size: 9, year: 2018, tier: 2, poly: 0 },
  { size: 13, year: 2017, tier: 2, poly: 0 },
  { size: 11, year: 2018, tier: 2, poly: 0 },
];

const SYL = ['an', 'bao', 'chang', 'da', 'feng', 'guang', 'he', 'hua', 'jian', 'jin', 'kai', 'lin', 'long', 'nan', 'ning', 'ping', 'qing', 'shan', 'tai', 'xi', 'xin', 'yang', 'yong', 'zhou'];

export interface Panel {
  header: string[];
  rows: (string | number)[][];
}

export function generateCityPanel(seed = 20240601): Panel {
  const rng = new Rng(seed);
  const T = YEARS.length;
  const nC = N_CITIES;
  // cities: 100 east, 100 central, 85 west, spread over the provinces of their region
  const region: ('east' | 'central' | 'west')[] = [];
  const province: string[] = [];
  const counts = { east: 100, central: 100, west: 85 };
  for (const r of ['east', 'central', 'west'] as const) {
    const provs = PROVINCES.filter((p) => p.region === r);
    for (let k = 0; k < counts[r]; k++) { region.push(r); province.push(provs[k % provs.length].name); }
  }
  const names = new Set<string>();
  const cityName: string[] = [];
  for (let i = 0; i < nC; i++) {
    let nm = '';
    do {
      const s1 = SYL[rng.int(SYL.length)], s2 = SYL[rng.int(SYL.length)];
      nm = s1[0].toUpperCase() + s1.slice(1) + s2;
    } while (names.has(nm) || nm.length < 4);
    names.add(nm);
    cityName.push(nm);
  }
  const regShift = { east: 0.5, central: 0, west: -0.4 };
  const a = Float64Array.from({ length: nC }, (_, i) => regShift[region[i]] + 0.8 * rng.normal());
  // terrain ruggedness index (dimensionless, higher = more rugged; the west is more mountainous)
  const rugged = Float64Array.from({ length: nC }, (_, i) => Math.max(0.4, 1.3 + (region[i] === 'west' ? 0.35 : region[i] === 'east' ? -0.15 : 0) + 0.25 * rng.normal()));
  const lr = Array.from(rugged, Math.log);
  const lrMean = lr.reduce((s, v) => s + v, 0) / nC;
  const lrSd = Math.sqrt(lr.reduce((s, v) => s + (v - lrMean) ** 2, 0) / nC);
  // treated cities: weighted sampling without replacement, favouring richer and flatter cities
  const wgt = Float64Array.from({ length: nC }, (_, i) => Math.exp(0.6 * a[i] - 1.6 * (lr[i] - lrMean) / lrSd));
  const treated: number[] = [];
  const avail = new Uint8Array(nC).fill(1);
  for (let k = 0; k < 147; k++) {
    let tot = 0;
    for (let i = 0; i < nC; i++) if (avail[i]) tot += wgt[i];
    let u = rng.uniform() * tot;
    let pick = -1;
    for (let i = 0; i < nC; i++) { if (!avail[i]) continue; u -= wgt[i]; pick = i; if (u <= 0) break; }
    avail[pick] = 0;
    treated.push(pick);
  }
  treated.sort((x, y) => province[x].localeCompare(province[y]) || x - y); // clusters are geographic
  const clusterOf = new Int32Array(nC).fill(-1);
  let pos = 0;
  CLUSTERS.forEach((c, g) => { for (let k = 0; k < c.size; k++) clusterOf[treated[pos++]] = g; });

  // city-level constants
  const cityLevel = INDICATORS.map(() => Float64Array.from({ length: nC }, () => 0.35 * rng.normal()));
  const lambda = INDICATORS.map(() => 0.7 + 0.5 * rng.uniform());
  const noiseSd = INDICATORS.map(() => 0.25 + 0.25 * rng.uniform());
  const ctrlLevel = CONTROLS.map(() => Float64Array.from({ length: nC }, () => rng.normal()));
  const popBase = Float64Array.from({ length: nC }, (_, i) => Math.exp(5.6 + 0.3 * a[i] + 0.5 * rng.normal()));
  const roadBase = Float64Array.from({ length: nC }, () => Math.exp(Math.log(0.55) + 0.12 * rng.normal()));
  const sectorBase = Array.from({ length: nC }, () => SECTORS.map((_, s) => Math.exp([0.2, 1.2, 0.1, 0.6, 0.9][s] + 0.45 * rng.normal())));
  const regionYear = { east: YEARS.map(() => 0.01 * rng.normal()), central: YEARS.map(() => 0.01 * rng.normal()), west: YEARS.map(() => 0.01 * rng.normal()) };
  // competing policies: staggered waves, assigned independently of the clusters
  const waves: number[][] = [[2010, 2012, 2017], [2012, 2013, 2014], [2014, 2015, 2016], [2008, 2010, 2013, 2016, 2018], [2005, 2009, 2011, 2015, 2017], [2015, 2016]];
  const shares = [0.3, 0.4, 0.4, 0.25, 0.3, 0.1];
  const policyYear = POLICIES.map((_, p) => Float64Array.from({ length: nC }, () => (rng.uniform() < shares[p] ? waves[p][rng.int(waves[p].length)] : Infinity)));

  const header = [
    'city_id', 'city', 'province', 'region', 'year',
    'cluster_group', 'approval_year', 'integration', 'cluster_tier', 'polycentric',
    ...INDICATORS.map((x) => x.name),
    ...CONTROLS,
    ...SECTORS, 'tertiary_share', 'population',
    'ruggedness', 'road_density', 'iv_rugged_road',
    ...POLICIES,
    'gdp_pc',
  ];
  const rows: (string | number)[][] = [];
  const u = new Float64Array(nC); // persistent city shock (AR(1))
  const r4 = (v: number, d = 4) => Number(v.toFixed(d));
  for (let t = 0; t < T; t++) {
    const year = YEARS[t];
    for (let i = 0; i < nC; i++) {
      const g = clusterOf[i];
      const appr = g >= 0 ? CLUSTERS[g].year : NaN;
      const D = g >= 0 && year >= appr ? 1 : 0;
      const ctrl = CONTROLS.map((_, c) => ctrlLevel[c][i]);
      const ctrlT = CONTROLS.map((_, c) => ctrl[c] + 0.02 * t + 0.08 * rng.normal());
      u[i] = 0.5 * u[i] + 0.12 * rng.normal();
      const tau = D ? 0.05 + 0.015 * Math.min(year - appr, 3) : 0;
      const R = a[i] + regionYear[region[i]][t] + 0.04 * (ctrlT[3] + ctrlT[5]) + tau + u[i];
      // the common time trend is additive in the indicator's units (so that the year FE absorb it
      // after the index's linear normalisation); the level responds to R through exp()
      const ind = INDICATORS.map((x, j) => {
        const z = lambda[j] * R + cityLevel[j][i] + noiseSd[j] * rng.normal();
        return r4(x.base * (Math.exp(x.dir * x.scale * z * 0.6) + x.dir * 0.012 * t), x.digits);
      });
      const controls = [
        4.2 + 0.9 * ctrl[0] + 0.005 * t + 0.03 * rng.normal(), // ln population density
        -1.6 + 0.7 * ctrl[1] + 0.2 * a[i] - 0.01 * t + 0.08 * rng.normal(), // ln trade openness
        -1.9 + 0.3 * ctrl[2] + 0.015 * t + 0.05 * rng.normal(), // ln government spending / GDP
        -0.5 + 0.3 * ctrl[3] + 0.03 * t + 0.08 * rng.normal(), // ln fixed investment / GDP
        3.5 + 0.8 * ctrl[4] + 0.01 * t + 0.04 * rng.normal(), // ln employment (10k)
        -0.9 + 0.15 * ctrl[5] + 0.2 * a[i] + 0.01 * t + 0.04 * rng.normal(), // ln retail sales / GDP
      ].map((v) => r4(v));
      // industry structure: integration diversifies (moves shares toward equal) and raises services
      const sb = sectorBase[i].map((v) => v * Math.exp(0.05 * rng.normal()));
      const mix = D ? 0.15 + 0.05 * Math.min(year - appr, 3) : 0;
      const tot = sb.reduce((s, v) => s + v, 0);
      const sh = sb.map((v) => (1 - mix) * (v / tot) + mix / SECTORS.length);
      const tertiary = 100 * (sh[3] + sh[4]) + 0.3 * t + (D ? 1.5 : 0) + rng.normal();
      const pop = popBase[i] * Math.exp(0.005 * t + 0.01 * rng.normal());
      const road = roadBase[i] * Math.exp(0.02 * t + (D ? 0.25 : 0) + 0.35 * rng.normal());
      const gdppc = 10000 * ind[0] as number;
      rows.push([
        i + 1, cityName[i], province[i], region[i], year,
        g >= 0 ? g + 1 : 0, g >= 0 ? appr : '', D, g >= 0 ? CLUSTERS[g].tier : 0, g >= 0 ? CLUSTERS[g].poly : 0,
        ...ind,
        ...controls,
        ...sh.map((v) => r4(v, 5)), r4(tertiary, 3), r4(pop, 2),
        r4(rugged[i], 3), r4(road, 4), r4(rugged[i] * road, 4),
        ...policyYear.map((py) => (year >= py[i] ? 1 : 0)),
        Math.round(gdppc),
      ]);
    }
  }
  // a few missing values, as in real yearbooks
  const col = (nm: string) => header.indexOf(nm);
  for (const [nm, k] of [['lnopen', 20], ['eco_pm25', 12], ['so_library', 8], ['ec_debt', 6]] as const)
    for (let m = 0; m < k; m++) rows[rng.int(rows.length)][col(nm)] = '';
  return { header, rows };
}

export function toCsv(p: Panel): string {
  return [p.header.join(','), ...p.rows.map((r) => r.join(','))].join('\n') + '\n';
}

// Run only as the generator's own bundle (a test that imports this module must not write the file).
if (/generate\.js$/.test(process.argv[1] ?? '')) {
  const out = join(process.cwd(), 'samples', 'city_panel.csv');
  const p = generateCityPanel();
  writeFileSync(out, toCsv(p));
  console.log(`wrote ${out}: ${p.rows.length} rows x ${p.header.length} columns`);
}
