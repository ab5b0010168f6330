import { describe, expect, it } from 'vitest';
import { isUserError, toErrorInfo, USER_ERROR_CODES, UserError } from '../../src/shared/errors';

describe('UserError', () => {
  it('is an Error carrying a code and a message', () => {
    const e = new UserError('data-missing', 'run `normlab data get cifar10`');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('UserError');
    expect(e.code).toBe('data-missing');
    expect(e.message).toBe('run `normlab data get cifar10`');
    expect(isUserError(e)).toBe(true);
    expect(isUserError(new Error('x'))).toBe(false);
    expect(isUserError({ code: 'usage', message: 'x' })).toBe(false);
  });

  it('codes are unique', () => {
    expect(new Set(USER_ERROR_CODES).size).toBe(USER_ERROR_CODES.length);
  });
});

describe('toErrorInfo', () => {
  it('keeps code and message of a UserError, without a stack (users see no stack traces)', () => {
    for (const code of USER_ERROR_CODES) {
      const info = toErrorInfo(new UserError(code, `what to do about ${code}`));
      expect(info).toEqual({ code, message: `what to do about ${code}` });
    }
  });

  it('turns any other Error into an internal error with its stack', () => {
    const e = new TypeError('x is undefined');
    const info = toErrorInfo(e);
    expect(info.code).toBe('internal');
    expect(info.message).toBe('x is undefined');
    expect(info.stack).toBe(e.stack);
  });

  it('leaves the stack out when an Error has none', () => {
    const e = new Error('bare');
    e.stack = undefined;
    expect(toErrorInfo(e)).toEqual({ code: 'internal', message: 'bare' });
  });

  it('stringifies thrown non-errors', () => {
    expect(toErrorInfo('boom')).toEqual({ code: 'internal', message: 'boom' });
    expect(toErrorInfo(42)).toEqual({ code: 'internal', message: '42' });
    expect(toErrorInfo(undefined)).toEqual({ code: 'internal', message: 'undefined' });
  });

  it('is serializable: it survives structuredClone (worker messages) and JSON', () => {
    const info = toErrorInfo(new UserError('usage', 'give --preset'));
    expect(structuredClone(info)).toEqual(info);
    expect(JSON.parse(JSON.stringify(info))).toEqual(info);
  });
});
