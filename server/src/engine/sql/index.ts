// Estimation on data that stay in a SQL database (see estimateSql.ts).
export type { SqlRunner } from './runner';
export type { SqlRegressionSpec, SqlVcovSpec, SqlRoute } from './spec';
export { estimateSql, estimateSqlRoute, type SqlEstimate, type SqlEstimateOptions } from './estimateSql';
export { wildClusterSumsSql } from './wild';
