// Pure checks behind the Electron shell's guards, kept free of electron so they can be unit-tested on Node.
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Only our own renderer, loaded from app://desk (or the dev server in development), may call the core. */
export function isTrustedSenderUrl(frameUrl: string | undefined, devServerUrl?: string): boolean {
  if (!frameUrl) return false;
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  if (url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST) return true;
  if (devServerUrl) {
    const dev = new URL(devServerUrl);
    return url.origin === dev.origin;
  }
  return false;
}

/** Maps an app://desk/... URL to a file inside rootDir, or null when it would escape it. */
export function resolveAppFile(rootDir: string, requestUrl: string): string | null {
  // The URL parser quietly folds "..", so any dot-segment in the raw request is refused outright.
  if (/(^|[/\\])(\.|%2e){2}([/\\]|%2f|%5c|$)/i.test(requestUrl)) return null;
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const root = path.resolve(rootDir);
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const resolved = path.resolve(root, relative);
  if (resolved !== root && !resolved.startsWith(root + path.sep)) return null;
  return resolved;
}

const EXTERNAL_ALLOWLIST = ['https://open.kwaixiaodian.com/', 'https://s.kwaixiaodian.com/', 'https://docs.qingque.cn/'];

/** shell.openExternal is allowed only for the Kuaishou merchant pages the desk links to. */
export function isAllowedExternalUrl(target: string): boolean {
  try {
    const url = new URL(target);
    return url.protocol === 'https:' && EXTERNAL_ALLOWLIST.some((prefix) => url.href.startsWith(prefix));
  } catch {
    return false;
  }
}
