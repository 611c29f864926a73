// Engine and data errors are recognised by their class in one place (runtime/errors.ts): every
// EstimationError subclass is a model problem at the command, whatever its `name` says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atCommand, errorKind, RunError, toRunError } from '../../server/src/runtime/errors';
import { EstimationError } from '../../server/src/engine/types';
import { SeparationError } from '../../server/src/engine/study/logit';
import { SingularDesignError } from '../../server/src/engine/ols';
import { DataError } from '../../server/src/data/errors';

const at = { start: { line: 2, character: 0, offset: 20 }, end: { line: 2, character: 7, offset: 27 } };

test('errorKind: by class, subclasses included', () => {
  assert.equal(errorKind(new EstimationError('no observations')), 'estimation');
  assert.equal(errorKind(new SeparationError('perfect prediction')), 'estimation');
  assert.equal(errorKind(new SingularDesignError('the regressors are collinear')), 'estimation');
  assert.equal(errorKind(new DataError('bad file', { code: 'io' })), 'data');
  assert.equal(errorKind(new TypeError('x is undefined')), 'internal');
  assert.equal(errorKind(new RunError('cancel', undefined, 'cancelled')), 'cancelled');
  // a plain Error that merely carries the name is not an engine error
  const impostor = new Error('named only');
  impostor.name = 'EstimationError';
  assert.equal(errorKind(impostor), 'data');
});

test('atCommand turns engine errors into estimation RunErrors at the range and passes the rest', () => {
  assert.equal(atCommand(at, () => 42), 42);
  assert.throws(
    () => atCommand(at, () => { throw new SeparationError('x perfectly predicts the outcome'); }),
    (e: unknown) => e instanceof RunError && e.kind === 'estimation' && e.range === at && e.message === 'x perfectly predicts the outcome',
  );
  const bug = new TypeError('oops');
  assert.throws(() => atCommand(at, () => { throw bug; }), (e: unknown) => e === bug);
  const r = toRunError(bug, at);
  assert.equal(r.kind, 'internal');
  assert.equal(r.message, 'internal error: oops');
  assert.equal(toRunError(new EstimationError('constant depvar'), at).kind, 'estimation');
});
