// IV / 2SLS with absorbed fixed effects and its identification diagnostics.
export { estimateIV, type FirstStage } from './estimateIV';
export { kpRankTest, fixestKpr, canonicalCorrelations2, type RankInput, type RankStat } from './ranktest';
export { stockYogo, type StockYogo } from './stockyogo';
