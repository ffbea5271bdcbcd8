// Where a Factorio token may be sent. It is worth a Factorio account, so it goes only
// over https, or to a test portal on this machine; any portal but the official one
// needs the user's say-so first (the features layer asks and remembers). The download
// host the portal redirects to gets no token, and only an expected one is followed.

const OFFICIAL_PORTAL_ORIGIN = 'https://mods.factorio.com';

/** 'official': send; 'other': ask the user first; 'refused': never (plain http to another machine, or not a URL). */
export type TokenOriginKind = 'official' | 'other' | 'refused';

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
}

/** The origin a token would go to, or undefined for something that is not an http(s) URL. */
export function tokenOrigin(portalUrl: string): string | undefined {
  try {
    const url = new URL(portalUrl);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

export function tokenOriginKind(portalUrl: string): TokenOriginKind {
  let url: URL;
  try {
    url = new URL(portalUrl);
  } catch {
    return 'refused';
  }
  if (url.username !== '' || url.password !== '') return 'refused';
  if (url.protocol === 'https:') return url.origin === OFFICIAL_PORTAL_ORIGIN ? 'official' : 'other';
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return 'other';
  return 'refused';
}

/**
 * Where a portal may send a download: an https host we expect, or anywhere (http too)
 * from a loopback test portal, whose download host is another port on this machine.
 */
export function mayFollowDownload(loopbackPortal: boolean, hosts: ReadonlySet<string>, target: URL): boolean {
  if (loopbackPortal) return target.protocol === 'https:' || target.protocol === 'http:';
  return target.protocol === 'https:' && hosts.has(target.hostname.toLowerCase());
}

/** The user's answer about sending the token to a portal. */
export type OriginConsent = 'yes' | 'declined' | 'refused';

/**
 * Consent for the token to go with `client`, the very client that will send it: the
 * question names the client's own base URL, and once it is answered the client must
 * still be the current one ('changed' otherwise). The portal URL setting can change
 * while the question is open, and the token must not then go to the new portal on the
 * strength of a yes given for the old one.
 */
export async function consentForClient<C extends { readonly baseUrl: string }>(
  client: C,
  current: () => C,
  ask: (portalUrl: string) => Promise<OriginConsent>,
): Promise<OriginConsent | 'changed'> {
  const answer = await ask(client.baseUrl);
  if (answer !== 'yes') return answer;
  const now = current();
  return now === client && now.baseUrl === client.baseUrl ? 'yes' : 'changed';
}
