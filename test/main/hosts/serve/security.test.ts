/** The token and the Host/Origin rules of `normlab serve`. */
import { describe, expect, it } from 'vitest';
import {
  allowedHosts,
  checkHostAndOrigin,
  newToken,
  requestToken,
  tokenMatches,
} from '../../../../src/main/hosts/serve/security';

describe('tokens', () => {
  it('are 32 random URL-safe bytes', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(a);
  });

  it('match only exactly', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    for (const given of [undefined, '', 'ab', 'abcd', 'ABC']) expect(tokenMatches('abc', given)).toBe(false);
  });

  it('are read from a Bearer header first, else from the query', () => {
    expect(requestToken({ authorization: 'Bearer t1' }, { token: 't2' })).toBe('t1');
    expect(requestToken({ authorization: 'bearer   t1 ' }, {})).toBe('t1');
    expect(requestToken({}, { token: 't2' })).toBe('t2');
    expect(requestToken({ authorization: 'Basic t1' }, { token: 't2' })).toBeUndefined();
    expect(requestToken({}, { token: ['a', 'b'] })).toBeUndefined();
    expect(requestToken({}, null)).toBeUndefined();
  });
});

describe('Host and Origin', () => {
  const allowed = allowedHosts('127.0.0.1', 5273);

  it('accept the loopback names with the port', () => {
    for (const host of ['127.0.0.1:5273', 'localhost:5273', 'LOCALHOST:5273', '[::1]:5273']) {
      expect(checkHostAndOrigin({ host }, allowed).ok, host).toBe(true);
      expect(checkHostAndOrigin({ host, origin: `http://${host}` }, allowed).ok, host).toBe(true);
    }
  });

  it('refuse other names, ports, schemes and a missing Host', () => {
    for (const host of [
      undefined,
      'evil.example:5273',
      '127.0.0.1',
      '127.0.0.1:80',
      '127.0.0.1:5273.evil',
      '0.0.0.0:5273',
    ])
      expect(checkHostAndOrigin({ host }, allowed)).toMatchObject({ ok: false, status: 403 });
    for (const origin of [
      'http://evil.example',
      'null',
      'https://127.0.0.1:5273',
      'http://127.0.0.1:5274',
      'http://127.0.0.1:5273.evil',
    ])
      expect(checkHostAndOrigin({ host: '127.0.0.1:5273', origin }, allowed)).toMatchObject({
        ok: false,
        status: 403,
      });
  });

  it('accept the bare name on port 80, where browsers leave the port out', () => {
    expect(
      checkHostAndOrigin({ host: 'localhost', origin: 'http://localhost' }, allowedHosts('127.0.0.1', 80)).ok,
    ).toBe(true);
  });

  it('accept this machine’s addresses when listening on every interface', () => {
    const all = allowedHosts('0.0.0.0', 5273);
    expect(all.has('127.0.0.1:5273')).toBe(true);
    expect(all.has('0.0.0.0:5273')).toBe(true);
    expect(all.has('evil.example:5273')).toBe(false);
    expect(allowedHosts('::', 1).has('[::1]:1')).toBe(true);
  });
});
