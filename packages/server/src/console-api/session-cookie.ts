/**
 * The session cookie (SECURITY CON-3). Over HTTPS: `__Host-pims_session; Secure; HttpOnly; SameSite=Strict; Path=/`
 * (the `__Host-` prefix pins it to this host, no `Domain`). On plain-HTTP local development, where browsers refuse
 * `Secure` cookies and hence the `__Host-` prefix, it is `pims_session` without `Secure`; which one is decided by the
 * scheme of the console's public URL (`PIMS_IMS_URL`).
 */
export interface SessionCookie {
  name: string;
  secure: boolean;
}

export function sessionCookieFor(consoleUrl: string): SessionCookie {
  const secure = new URL(consoleUrl).protocol === 'https:';
  return { name: secure ? '__Host-pims_session' : 'pims_session', secure };
}

/** The value of cookie `name` in a `Cookie` header (the first one; later duplicates can't override it). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function setCookieHeader(cookie: SessionCookie, value: string, maxAgeSeconds: number): string {
  const attributes = [
    `${cookie.name}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
  ];
  if (cookie.secure) attributes.push('Secure');
  return attributes.join('; ');
}

export function clearCookieHeader(cookie: SessionCookie): string {
  return setCookieHeader(cookie, '', 0);
}
