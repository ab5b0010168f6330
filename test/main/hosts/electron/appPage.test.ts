/** Which URLs are the desktop app's own page, which links open outside, and the page's CSP. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../../src/main/hosts/contentSecurityPolicy';
import {
  appContentSecurityPolicy,
  appPage,
  externalLink,
  isAppPageUrl,
  withCspHeader,
} from '../../../../src/main/hosts/electron/appPage';

const INDEX = '/opt/NormLab/resources/app/out/renderer/index.html';

describe('the app page', () => {
  it('is the bundled index.html, with any route or query', () => {
    const page = appPage(INDEX, undefined);
    expect(page.url).toBe(`file://${INDEX}`);
    for (const url of [page.url, `${page.url}#/runs/abc`, `${page.url}?x=1`])
      expect(isAppPageUrl(page, url)).toBe(true);
    for (const url of [
      'file:///opt/NormLab/resources/app/out/renderer/other.html',
      'file:///etc/passwd',
      'https://example.com/',
      'http://localhost:5173/',
      'not a url',
      'about:blank',
    ])
      expect(isAppPageUrl(page, url), url).toBe(false);
  });

  it('is any page of the dev server with electron-vite dev', () => {
    const page = appPage(INDEX, 'http://localhost:5173/');
    expect(page.url).toBe('http://localhost:5173/');
    expect(isAppPageUrl(page, 'http://localhost:5173/#/runs')).toBe(true);
    expect(isAppPageUrl(page, 'http://localhost:5174/')).toBe(false);
    expect(isAppPageUrl(page, `file://${INDEX}`)).toBe(false);
  });
});

describe('links and headers', () => {
  it('opens only https links outside the app', () => {
    expect(externalLink('https://arxiv.org/abs/1805.11604')).toBe('https://arxiv.org/abs/1805.11604');
    for (const url of [
      'http://example.com',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'x',
    ])
      expect(externalLink(url), url).toBeNull();
  });

  it('has a strict CSP: own scripts only, no eval, no frames; the dev server adds its HMR socket', () => {
    const csp = appContentSecurityPolicy(appPage(INDEX, undefined));
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    const dev = appContentSecurityPolicy(appPage(INDEX, 'http://localhost:5173'));
    expect(dev).toContain("connect-src 'self' http://localhost:5173 ws://localhost:5173");
  });

  it('matches the meta tag of src/renderer/index.html, which file:// pages rely on', () => {
    const html = readFileSync(join(__dirname, '../../../../src/renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    // frame-ancestors has no effect in a meta tag (the window cannot be framed anyway).
    const expected = contentSecurityPolicy()
      .split('; ')
      .filter((d) => !d.startsWith('frame-ancestors'))
      .join('; ');
    expect(meta).toBe(expected);
  });

  it('replaces any CSP header a server sent', () => {
    const headers = withCspHeader({ 'content-security-policy': ['default-src *'], 'X-A': 'b' }, 'x');
    expect(headers).toEqual({ 'X-A': ['b'], 'Content-Security-Policy': ['x'] });
    expect(withCspHeader(undefined, 'y')).toEqual({ 'Content-Security-Policy': ['y'] });
  });
});
