// HTTP clients for the end-to-end run: the Management API with a real machine-to-machine token,
// and an end user's browser-less OIDC sign-in through the Experience API (cookie jar, manual redirects).
import { createHash, randomBytes } from 'node:crypto';

const managementApiResource = 'https://default.logto.app/api';
const requestTimeoutMs = 30_000;
const maxRedirects = 10;

/** A failed HTTP call, with the status and the parsed body to assert on. */
export class HttpError extends Error {
  constructor(method, url, status, body) {
    super(`${method} ${url} → ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`.slice(0, 2000));
    this.status = status;
    this.body = body;
  }
}

const readBody = async (response) => {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
};

/** JSON requests against `baseUrl`; rejects with HttpError unless the status is 2xx. */
const jsonClient = (baseUrl, headers = () => ({})) => {
  const call = async (method, route, body, extraHeaders = {}) => {
    const url = `${baseUrl}${route}`;
    const response = await fetch(url, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(await headers()), ...extraHeaders },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const parsed = await readBody(response);
    if (!response.ok) {
      throw new HttpError(method, route, response.status, parsed);
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };
  return {
    get: (route) => call('GET', route).then(({ body }) => body),
    post: (route, body) => call('POST', route, body ?? {}).then(({ body: parsed }) => parsed),
    patch: (route, body) => call('PATCH', route, body).then(({ body: parsed }) => parsed),
    /** With per-call headers (the end user's cookies); resolves to `{ status, body, headers }`. */
    raw: call,
  };
};

const formPost = async (url, form) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
    signal: AbortSignal.timeout(requestTimeoutMs),
  });
  const body = await readBody(response);
  if (!response.ok) {
    throw new HttpError('POST', url, response.status, body);
  }
  return body;
};

/**
 * The Management API as an operator's backend uses it: the development-mode `development-user-id`
 * header only bootstraps an M2M app with the "Logto Management API access" role; every later call
 * carries that app's client-credentials access token.
 */
export const managementApi = async (coreUrl) => {
  const bootstrap = jsonClient(`${coreUrl}/api`, () => ({ 'development-user-id': 'e2e-bootstrap' }));
  const app = await bootstrap.post('/applications', { name: 'e2e management client', type: 'MachineToMachine' });
  const roles = await bootstrap.get('/roles?type=MachineToMachine');
  const accessRole = roles.find(({ name }) => name === 'Logto Management API access');
  if (!accessRole) {
    throw new Error('the seeded "Logto Management API access" role is missing');
  }
  await bootstrap.post(`/applications/${app.id}/roles`, { roleIds: [accessRole.id] });
  const secret = await bootstrap.post(`/applications/${app.id}/secrets`, { name: 'e2e' });
  return managementClient(coreUrl, { clientId: app.id, clientSecret: secret.value });
};

/**
 * The Management API with an existing M2M app's credentials (`client.credentials` of an earlier
 * client): how a production-mode core, which has no bootstrap header, is reached.
 */
export const managementClient = async (coreUrl, credentials) => {
  let token;
  const accessToken = async () => {
    if (!token || token.expiresAt < Date.now() + 60_000) {
      const answer = await formPost(`${coreUrl}/oidc/token`, {
        grant_type: 'client_credentials',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        resource: managementApiResource,
        scope: 'all',
      });
      token = { value: answer.access_token, expiresAt: Date.now() + answer.expires_in * 1000 };
    }
    return token.value;
  };
  await accessToken();
  return { ...jsonClient(`${coreUrl}/api`, async () => ({ authorization: `Bearer ${await accessToken()}` })), credentials };
};

/** Cookies as a browser keeps them for one origin: by name and path, sent where the path matches. */
class CookieJar {
  #cookies = new Map(); // `${name};${path}` -> { name, value, path }

  store(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      let cookiePath = '/';
      let expired = false;
      for (const attribute of attributes) {
        const [key, attributeValue = ''] = attribute.split('=');
        if (key.toLowerCase() === 'path') cookiePath = attributeValue || '/';
        if (key.toLowerCase() === 'max-age' && Number(attributeValue) <= 0) expired = true;
        if (key.toLowerCase() === 'expires' && Date.parse(attributeValue) < Date.now()) expired = true;
      }
      const key = `${name};${cookiePath}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path: cookiePath });
    }
  }

  headerFor(url) {
    const { pathname } = new URL(url);
    const matches = (cookiePath) =>
      cookiePath === '/' || pathname === cookiePath || pathname.startsWith(cookiePath.endsWith('/') ? cookiePath : `${cookiePath}/`);
    return [...this.#cookies.values()]
      .filter(({ path: cookiePath }) => matches(cookiePath))
      .sort((a, b) => b.path.length - a.path.length)
      .map(({ name, value }) => `${name}=${value}`)
      .join('; ');
  }
}

const base64Url = (buffer) => buffer.toString('base64url');

/**
 * One end user's browser: starts an authorization-code + PKCE request for `clientId`, talks to the
 * Experience API with the session cookies, then follows Logto's redirects to the code and token.
 * `uiLocales` goes into the authorization request as `ui_locales`; `acceptLanguage` is sent with
 * every Experience API call, as a browser sends its language (without it, fetch sends `*`).
 * `forwardedFor` goes with every call as X-Forwarded-For, as a proxy in front of Logto sets it.
 */
export const endUserSession = (coreUrl, { clientId, redirectUri, uiLocales, acceptLanguage, forwardedFor }) => {
  const jar = new CookieJar();
  const codeVerifier = base64Url(randomBytes(32));
  const state = base64Url(randomBytes(16));

  const browse = async (url, init = {}) => {
    const response = await fetch(url, {
      ...init,
      headers: { ...init.headers, cookie: jar.headerFor(url), ...(forwardedFor && { 'x-forwarded-for': forwardedFor }) },
      redirect: 'manual',
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    jar.store(response);
    return response;
  };

  const experience = jsonClient(`${coreUrl}/api/experience`);
  const withCookies = (route) => ({
    cookie: jar.headerFor(`${coreUrl}/api/experience${route}`),
    ...(acceptLanguage && { 'accept-language': acceptLanguage }),
    ...(forwardedFor && { 'x-forwarded-for': forwardedFor }),
  });
  const experienceCall = async (method, route, body) => {
    const { body: parsed } = await experience.raw(method, route, body, withCookies(route));
    return parsed;
  };

  return {
    /** GET /oidc/auth: Logto answers with a redirect to its sign-in page and sets the session cookies. */
    start: async () => {
      const challenge = base64Url(createHash('sha256').update(codeVerifier).digest());
      const query = new URLSearchParams({
        client_id: clientId,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'openid offline_access profile phone',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state,
        prompt: 'consent',
        ...(uiLocales && { ui_locales: uiLocales }),
      });
      const response = await browse(`${coreUrl}/oidc/auth?${query}`);
      const location = response.headers.get('location') ?? '';
      if (response.status !== 303 || !location.startsWith('/sign-in')) {
        throw new Error(`authorization request: expected 303 to /sign-in, got ${response.status} ${location}`);
      }
    },
    experience: {
      put: (route, body) => experienceCall('PUT', route, body),
      post: (route, body) => experienceCall('POST', route, body),
    },
    /** Follows submit's redirectTo through consent to the redirect URI, then redeems the code. */
    finish: async (redirectTo) => {
      let url = redirectTo;
      for (let hop = 0; hop < maxRedirects; hop += 1) {
        if (url.startsWith(redirectUri)) {
          const answer = new URL(url).searchParams;
          if (answer.get('state') !== state || !answer.get('code')) {
            throw new Error(`redirect back without a code or with a wrong state: ${url}`);
          }
          return formPost(`${coreUrl}/oidc/token`, {
            grant_type: 'authorization_code',
            client_id: clientId,
            code: answer.get('code'),
            redirect_uri: redirectUri,
            code_verifier: codeVerifier,
          });
        }
        const response = await browse(url);
        const location = response.headers.get('location');
        if (!location || response.status < 300 || response.status >= 400) {
          throw new Error(`expected a redirect from ${url}, got ${response.status}: ${(await response.text()).slice(0, 300)}`);
        }
        url = new URL(location, url).href;
      }
      throw new Error(`more than ${maxRedirects} redirects after submit`);
    },
  };
};
