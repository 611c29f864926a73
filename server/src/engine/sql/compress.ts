import { EstimationError, type EstimationCore } from '../types';
import type { BaseRelation } from './base';
import type { SqlRegressionSpec } from './spec';

export async function compressEstimate(_b: BaseRelation, _spec: SqlRegressionSpec, _signal?: AbortSignal): Promise<EstimationCore> {
  throw new EstimationError('compression route: not yet');
}
