import { beforeEach, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../../../../src/main/engine/backends';
import type * as TrainingStepCheckModule from '../../../../src/main/engine/backends/trainingStepCheck';
import { UserError } from '../../../../src/shared/errors';

const check = vi.hoisted(() => ({ failure: null as string | null }));

vi.mock('../../../../src/main/engine/backends/trainingStepCheck', async (importOriginal) => {
  const real = await importOriginal<typeof TrainingStepCheckModule>();
  return {
    checkTrainingStep: () =>
      check.failure ? Promise.reject(new Error(check.failure)) : real.checkTrainingStep(),
  };
});

beforeEach(() => {
  check.failure = null;
});

describe('a named backend must be able to train', () => {
  it('initBackend(name) succeeds when the training step does', async () => {
    await expect(initBackend('cpu')).resolves.toMatchObject({ name: 'cpu' });
  });

  it('initBackend(name) refuses a backend that starts but cannot train, saying what to do', async () => {
    check.failure = 'the training-step check produced all-zero gradients';
    const error: unknown = await initBackend('cpu').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('backend-unavailable');
    expect((error as UserError).message).toMatch(
      /^cpu: started on .* but cannot train \(.*all-zero gradients\)\. /,
    );
  });
});
