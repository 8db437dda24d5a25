// The Electron shell's guards, tested as pure functions: IPC sender check, app:// path traversal, external links.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl, isTrustedSenderUrl, resolveAppFile } from '../../../src/main/shell/trust';

describe('IPC sender check', () => {
  it.each([
    ['app://desk/index.html', true],
    ['app://desk/#/queue', true],
    ['app://evil/index.html', false],
    ['file:///srv/returndesk/out/renderer/index.html', false],
    ['https://openapi.kwaixiaodian.com/', false],
    ['http://127.0.0.1:5173/', false],
    ['', false],
    [undefined, false],
    ['not a url', false],
  ])('%s → %s', (url, trusted) => {
    expect(isTrustedSenderUrl(url)).toBe(trusted);
  });

  it('trusts the dev server origin only in development', () => {
    expect(isTrustedSenderUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isTrustedSenderUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
  });
});

describe('app:// protocol path guard', () => {
  const root = path.resolve('/srv/renderer');
  it.each([
    ['app://desk/index.html', path.join(root, 'index.html')],
    ['app://desk/', path.join(root, 'index.html')],
    ['app://desk/assets/index-1.js', path.join(root, 'assets/index-1.js')],
  ])('serves %s', (url, file) => {
    expect(resolveAppFile(root, url)).toBe(file);
  });

  it.each([
    'app://desk/../secret.txt',
    'app://desk/%2e%2e/%2e%2e/etc/passwd',
    'app://desk/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://desk/..%5c..%5cwindows%5cwin.ini',
    'app://desk/index.html%00.png',
    'app://desk/%E0%A4%A',
    'app://other/index.html',
    'file:///etc/passwd',
    'garbage',
  ])('refuses %s', (url) => {
    expect(resolveAppFile(root, url)).toBeNull();
  });
});

describe('external links', () => {
  it('opens only the allowlisted Kuaishou pages over https', () => {
    expect(isAllowedExternalUrl('https://open.kwaixiaodian.com/oauth/authorize?app_id=1')).toBe(true);
    expect(isAllowedExternalUrl('http://open.kwaixiaodian.com/')).toBe(false);
    expect(isAllowedExternalUrl('https://open.kwaixiaodian.com.evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false);
  });
});
