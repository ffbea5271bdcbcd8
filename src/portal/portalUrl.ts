import { withoutTrailingSlashes } from '../util/text';

/** The portal everything talks to unless the user configures another. */
export const OFFICIAL_PORTAL_URL = 'https://mods.factorio.com';

export type PortalUrlProblem = 'no-scheme' | 'scheme' | 'not-a-url' | 'credentials' | 'query';

export type PortalUrlCheck = { ok: true; url: string } | { ok: false; problem: PortalUrlProblem };

/**
 * A configured portal base URL, checked: an absolute http(s) URL without user info, a
 * query or a fragment (the client appends paths and queries to it). Empty means the
 * official portal. Trailing slashes go, so `${url}/api/mods` is always well formed.
 */
export function checkPortalUrl(raw: unknown): PortalUrlCheck {
  if (raw === undefined || raw === null) return { ok: true, url: OFFICIAL_PORTAL_URL };
  if (typeof raw !== 'string') return { ok: false, problem: 'not-a-url' };
  const text = raw.trim();
  if (text === '') return { ok: true, url: OFFICIAL_PORTAL_URL };
  // `new URL` reads "localhost:8080" as scheme "localhost:"; ask for the scheme and its
  // slashes explicitly, so a host typed without one is reported rather than guessed at.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return { ok: false, problem: 'no-scheme' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: 'not-a-url' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, problem: 'scheme' };
  if (url.hostname === '') return { ok: false, problem: 'not-a-url' };
  if (url.username !== '' || url.password !== '') return { ok: false, problem: 'credentials' };
  if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) return { ok: false, problem: 'query' };
  return { ok: true, url: withoutTrailingSlashes(url.href) };
}

/** Whether a link may be handed to the system browser: only absolute http(s) URLs. */
export function isWebUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
