import { expect } from 'vitest';
import { UserError } from '../../src/shared/errors';

/** The UserError `f` throws; fails the test if it returns or throws anything else. */
export function userErrorOf(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError');
}

/** The UserError the promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function userErrorFrom(p: Promise<unknown>): Promise<UserError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError');
}
