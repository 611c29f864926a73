// Estimation on data that stay in a SQL database (see estimateSql.ts).
export type { SqlRunner } from './runner';
export type { SqlRegressionSpec, SqlVcovSpec, SqlRoute } from './spec';
export { estimateSql, type SqlEstimate } from './estimateSql';
export { wildClusterSumsSql } from './wild';
