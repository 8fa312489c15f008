// SMART on FHIR sign-in for the FHIR test server (`node server.mjs ... --smart`): standalone launch,
// authorization code + PKCE (S256), with oidc-provider 8.8.1 (the last line that supports Node 20;
// 9.x needs Node 22) as the authorization server, mounted under /oauth in the same process.
//
// - One public native client `vitalog`, registered redirect `http://127.0.0.1/callback`.
//   oidc-provider ignores the port of a loopback http redirect for `application_type: native`
//   clients (RFC 8252 §7.3, Client#redirectUriAllowed), so `http://127.0.0.1:<any port>/callback` works.
// - Test-mode interactions, no HTML: GET /oauth/interaction/<uid> logs in patient `p1`, grants every
//   supported requested scope and redirects back to the authorization endpoint, which redirects
//   to redirect_uri?code&state&iss. The fake browser only follows Location headers. Cookies are
//   not needed: the interaction is looked up by the uid in its URL, and when the resume request
//   (/oauth/auth/<uid>) has no `_interaction_resume` cookie, the server adds it to the request, since
//   its value is that uid. A browser that keeps cookies works the same way.
// - Every authorization request gets `consent` added to `prompt`, unless it has `prompt=none`.
//   oidc-provider drops `offline_access` from a request without prompt=consent (OIDC Core 11), and
//   the default issueRefreshToken needs offline_access, so configuring issueRefreshToken alone
//   would not help. The automatic consent also re-grants all requested scopes on every sign-in.
// - Token response: access_token (opaque), token_type, expires_in (--access-ttl), scope (granted),
//   id_token (with openid; has the fhirUser claim), refresh_token (with offline_access), and the
//   launch context `patient: "p1"` (with launch/patient). The launch context comes from a post-middleware
//   on the token route: extraTokenClaims only adds claims inside the token, not to the token response.
// - Refresh tokens: 30 days, rotated on every use (rotateRefreshToken: true). Reusing a rotated
//   one gives invalid_grant and revokes the whole grant (oidc-provider's reuse detection).
// - The `aud` authorization parameter must be the FHIR base (extraParams validator); otherwise
//   the client is redirected back with error=invalid_request.
// - FHIR requests take a provider-issued access token (AccessToken.find, expiry checked strictly,
//   without oidc-provider's 15 s clock tolerance; the grant must still exist). Scopes are
//   checked per resource type: SMART v1 `patient/T.read|write|*`, v2 `patient/T.cruds` subsets.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';
import MemoryAdapter, { setStorage } from 'oidc-provider/lib/adapters/memory_adapter.js';

export const PATIENT = 'p1';
export const CLIENT_ID = 'vitalog';
const BASE_SCOPES = ['openid', 'fhirUser', 'launch/patient', 'offline_access'];
// Advertised in the smart-configuration's scopes_supported.
const ADVERTISED = [
  ...BASE_SCOPES,
  'patient/Observation.write',
  'patient/MedicationStatement.write',
  'patient/Device.write',
  'patient/Observation.rs',
  'patient/Device.rs',
  'patient/Observation.cruds',
  'patient/Device.cruds',
  'patient/Observation.read',
  'patient/Device.read',
  'patient/Observation.*',
  'patient/Device.*',
];
// Accepted and granted: oidc-provider silently drops any requested scope not in this list, so it
// has every patient-level scope on these types, SMART v1 (read, write, *) and v2 (c r u d s subsets).
const TYPES = ['Observation', 'MedicationStatement', 'Device', 'Patient', '*'];
const PERMS = ['read', 'write', '*', ...Array.from({ length: 31 }, (_, i) => [...'cruds'].filter((_, b) => (i + 1) & (16 >> b)).join(''))];
const SCOPES = [...BASE_SCOPES, ...TYPES.flatMap((type) => PERMS.map((perm) => `patient/${type}.${perm}`))];
const PATIENT_SCOPE = /^patient\/([A-Z][A-Za-z]*|\*)\.(read|write|\*|(?=[cruds])c?r?u?d?s?)$/;
const PERMISSIONS = { read: 'rs', write: 'cud', '*': 'cruds' };

const outcome = (code, text) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] });

// What a /fhir request needs: [{type, letter}] with a SMART v2 letter (c r u d s), or null when
// only the static token may do it (system-level requests).
function needs(method, url, body) {
  const [path] = url.split('?');
  const [type, id] = path.split('/').filter(Boolean);
  if (!type) {
    if (method !== 'POST') return null;
    if (body?.resourceType !== 'Bundle' || !Array.isArray(body.entry)) return []; // the server answers 400
    const entries = body.entry.map((e) =>
      needs(String(e?.request?.method ?? 'POST').toUpperCase(), String(e?.request?.url ?? e?.resource?.resourceType ?? ''))
    );
    return entries.includes(null) ? null : entries.flat();
  }
  if (type === 'metadata') return [];
  if (type.startsWith('$') || type.startsWith('_')) return null;
  if (method === 'GET' || method === 'HEAD') return [{ type, letter: id && id !== '_search' ? 'r' : 's' }];
  if (method === 'POST') return [{ type, letter: id === '_search' ? 's' : 'c' }];
  if (method === 'PUT' || method === 'PATCH') return [{ type, letter: 'u' }];
  if (method === 'DELETE') return [{ type, letter: 'd' }];
  return null;
}

function allows(scopes, { type, letter }) {
  return [...scopes].some((scope) => {
    const m = PATIENT_SCOPE.exec(scope);
    return m && (m[1] === '*' || m[1] === type) && (PERMISSIONS[m[2]] ?? m[2]).includes(letter);
  });
}

export async function createSmart({ root, accessTtl }) {
  const fhirBase = `${root}/fhir`;
  const store = new Map(); // oidc-provider's memory adapter, unbounded (its default LRU keeps 1000 entries)
  setStorage(store);
  const stats = { authorizations: 0, token_requests: 0, refreshes: 0 };
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  const provider = new Provider(`${root}/oauth`, {
    adapter: class extends MemoryAdapter {}, // the same, without the "development-only" warning
    clients: [
      {
        client_id: CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    async findAccount(_ctx, id) {
      if (id !== PATIENT) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, fhirUser: `${fhirBase}/Patient/${id}` }) };
    },
    claims: { openid: ['sub'], fhirUser: ['fhirUser'] },
    conformIdTokenClaims: false, // SMART wants fhirUser in the id_token
    scopes: SCOPES,
    responseTypes: ['code'],
    pkce: { methods: ['S256'], required: () => true },
    extraParams: {
      aud(_ctx, value) {
        if (value?.replace(/\/$/, '') !== fhirBase) {
          throw new errors.InvalidRequest(`aud must be the FHIR base URL ${fhirBase}`);
        }
      },
    },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: { enabled: false }, // SMART uses `aud`; access tokens are for /fhir
      revocation: { enabled: true },
    },
    interactions: { url: (_ctx, interaction) => `${root}/oauth/interaction/${interaction.uid}` },
    rotateRefreshToken: true,
    ttl: {
      AccessToken: accessTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 30 * 24 * 3600,
      Grant: 30 * 24 * 3600,
      Session: 30 * 24 * 3600,
      Interaction: 600,
    },
    // Short-lived (interaction) cookies unsigned, so that a cookie-less resume can be completed above.
    cookies: { keys: [randomBytes(32).toString('hex')], short: { httpOnly: true, sameSite: 'lax', signed: false } },
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig' }] },
    renderError(ctx, out) {
      ctx.type = 'json';
      ctx.body = out;
    },
  });

  provider.on('authorization.success', () => stats.authorizations++);
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route === 'token') {
      stats.token_requests++;
      if (ctx.oidc.params?.grant_type === 'refresh_token') stats.refreshes++;
      const at = ctx.oidc.entities.AccessToken;
      if (ctx.status === 200 && ctx.body?.access_token && at?.scopes.has('launch/patient')) {
        ctx.body = { ...ctx.body, patient: at.accountId };
      }
    }
  });
  const callback = provider.callback();

  // Test-mode interaction: log in p1 and grant the supported requested scopes, no page.
  async function interaction(res, uid) {
    const found = await provider.Interaction.find(uid);
    if (!found) return json(res, 400, { error: 'invalid_request', error_description: 'interaction not found or expired' });
    const grant =
      (found.grantId && (await provider.Grant.find(found.grantId))) ||
      new provider.Grant({ accountId: PATIENT, clientId: found.params.client_id });
    const scopes = String(found.params.scope ?? '').split(' ').filter((scope) => SCOPES.includes(scope));
    if (scopes.length) grant.addOIDCScope(scopes.join(' '));
    found.result = { login: { accountId: PATIENT }, consent: { grantId: await grant.save() } };
    await found.persist();
    res.writeHead(303, { Location: found.returnTo });
    res.end();
  }

  function json(res, status, body, headers = {}) {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
    res.end(JSON.stringify(body));
  }

  return {
    configuration: {
      issuer: `${root}/oauth`,
      jwks_uri: `${root}/oauth/jwks`,
      authorization_endpoint: `${root}/oauth/auth`,
      token_endpoint: `${root}/oauth/token`,
      revocation_endpoint: `${root}/oauth/token/revocation`,
      token_endpoint_auth_methods_supported: ['none'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      response_types_supported: ['code'],
      scopes_supported: ADVERTISED,
      code_challenge_methods_supported: ['S256'],
      capabilities: [
        'launch-standalone',
        'client-public',
        'context-standalone-patient',
        'permission-patient',
        'permission-offline',
      ],
    },

    // Everything under /oauth: the interaction page here, the rest to oidc-provider.
    async handle(req, res, path) {
      const uid = /^\/oauth\/interaction\/([\w-]+)$/.exec(path)?.[1];
      if (uid && req.method === 'GET') return interaction(res, uid);
      const resume = /^\/oauth\/auth\/([\w-]+)$/.exec(path)?.[1];
      if (resume && !/(^|;\s*)_interaction_resume=/.test(req.headers.cookie ?? '')) {
        req.headers.cookie = [req.headers.cookie, `_interaction_resume=${resume}`].filter(Boolean).join('; ');
      }
      if (req.method === 'GET' && path === '/oauth/auth') {
        const url = new URL(req.url, 'http://127.0.0.1');
        const prompt = new Set((url.searchParams.get('prompt') ?? '').split(' ').filter(Boolean));
        if (!prompt.has('none')) url.searchParams.set('prompt', [...prompt.add('consent')].join(' '));
        req.url = url.pathname + url.search;
      }
      // Mounted like connect's app.use('/oauth', ...): oidc-provider finds the prefix in originalUrl.
      req.originalUrl = req.url;
      req.url = req.url.slice('/oauth'.length) || '/';
      return callback(req, res);
    },

    // null when a /fhir request may proceed, else [status, OperationOutcome, headers].
    async check(authorization, method, route, body) {
      const value = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
      if (!value) return [401, outcome('login', 'Missing or wrong bearer token'), { 'WWW-Authenticate': 'Bearer' }];
      const at = await provider.AccessToken.find(value);
      if (!at || at.isExpired || !(await provider.Grant.find(at.grantId))) {
        return [
          401,
          outcome('login', 'Access token expired, revoked or unknown'),
          { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
        ];
      }
      const needed = needs(method, route, body);
      if (!needed || !needed.every((n) => allows(at.scopes, n))) {
        return [
          403,
          outcome('forbidden', `The access token's scope (${at.scope}) does not allow this request`),
          { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' },
        ];
      }
      return null;
    },

    revokeRefreshTokens() {
      let revoked = 0;
      for (const key of store.keys()) {
        if (key.startsWith('RefreshToken:')) revoked += store.delete(key);
      }
      return { revoked };
    },

    stats: () => ({ ...stats }),
    resetStats: () => Object.assign(stats, { authorizations: 0, token_requests: 0, refreshes: 0 }),
  };
}
