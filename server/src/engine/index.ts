// Public surface of the estimation engine (OLS with absorbed FEs). IV/2SLS and study helpers build on
// the pieces re-exported here.
export { estimate, estimatePrepared } from './estimate';
export { prepareDesign, type PreparedDesign, type RefitResult } from './design';
export { prepareModel, dofK, sampleColumn, type PreparedModel } from './model';
export { selectSample, type SampleSpec, type SampleSelection } from './sample';
export { dropSingletons, type SingletonResult } from './singletons';
export {
  compactCodes,
  interactCodes,
  interactMany,
  isNestedIn,
  connectedComponents,
  redundantLevels,
  countLevels,
  type SampleFactor,
} from './factors';
export { FixedEffects, demeanColumns, DEFAULT_TOLERANCE, DEFAULT_MAX_ITERATIONS, type DemeanOptions, type DemeanResult } from './demean';
export { findCollinear, DEFAULT_COLLINEAR_TOLERANCE, type CollinearResult } from './collinear';
export { solveOls, residualsOf, Residualizer, SingularDesignError, type OlsFit } from './ols';
export {
  computeVcov,
  sandwich,
  meatHC,
  meatCluster,
  meatMultiway,
  clusterTerms,
  scoreColumns,
  fixPsd,
  type VcovRequest,
  type VcovResult,
  type Scores,
  type ClusterTerm,
} from './vcov';
export { fitStats, coefRows, waldF, type FitStats } from './stats';
export { tTwoSidedP, tQuantile, fUpperP, chi2UpperP, normalTwoSidedP } from './dist';
export { cholesky, cholSolve, cholInverse, crossProducts, symEigen, matMul } from './linalg';
export { EstimationError } from './types';
