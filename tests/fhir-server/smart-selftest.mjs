// Self-check for SMART sign-in: starts `server.mjs --smart --access-ttl 2` and plays the app's part
// (standalone launch, authorization code + PKCE) with a fake browser that follows Location headers
// (fetch with redirect: 'manual'), once without cookies and once with a cookie jar.
// Run with `node smart-selftest.mjs`; exits 0 on success.

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const TOKEN = 'selftest-secret';
const started = Date.now();
const child = spawn(process.execPath, ['server.mjs', '--port', '0', '--token', TOKEN, '--smart', '--access-ttl', '2'], {
  cwd: new URL('.', import.meta.url),
  stdio: ['ignore', 'pipe', 'inherit'],
});
process.on('exit', () => child.kill());
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(1));
const [line] = await Promise.race([
  once(createInterface({ input: child.stdout }), 'line'),
  once(child, 'exit').then(([code]) => [`server exited with ${code}`]),
]);
if (!/^listening \d+$/.test(line)) fail(`unexpected first line: ${line}`);
setTimeout(() => fail('timed out after 60 s'), 60_000).unref();
const root = `http://127.0.0.1:${line.split(' ')[1]}`;
const base = `${root}/fhir`;
const REDIRECT = 'http://127.0.0.1:54321/callback'; // only http://127.0.0.1/callback is registered
const SCOPE = 'openid fhirUser launch/patient offline_access patient/Observation.write patient/Device.write patient/Observation.rs';

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}
function check(condition, message) {
  if (!condition) fail(message);
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const b64url = (buf) => buf.toString('base64url');
const test = async (path, init) => (await fetch(`${root}/__test/${path}`, init)).json();

// A fake browser: follows redirects by hand until it reaches the app's redirect URI (not fetched).
// With a jar it keeps cookies (name -> {value, path}); without one it sends none.
async function browse(url, { jar, stopAt = REDIRECT } = {}) {
  const target = new URL(stopAt);
  for (let hops = 0; hops < 10; hops++) {
    const at = new URL(url);
    if (at.origin === target.origin && at.pathname === target.pathname) return { url: at, hops };
    const path = new URL(url).pathname;
    const cookie = jar && [...jar].filter(([, c]) => path.startsWith(c.path)).map(([n, c]) => `${n}=${c.value}`).join('; ');
    const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const set of jar ? res.headers.getSetCookie() : []) {
      const [pair, ...attrs] = set.split(';').map((s) => s.trim());
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      const cpath = attrs.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      if (!value || attrs.some((a) => /^expires=.*1970/i.test(a))) jar.delete(name);
      else jar.set(name, { value, path: cpath });
    }
    const location = res.headers.get('location');
    if (!(res.status >= 300 && res.status < 400 && location)) return { status: res.status, body: await res.text(), hops };
    url = new URL(location, url).href;
  }
  fail('too many redirects');
}

function authorizeUrl({ scope = SCOPE, redirectUri = REDIRECT, aud = base, state = b64url(randomBytes(8)), pkce = true } = {}) {
  const verifier = b64url(randomBytes(32));
  const params = new URLSearchParams({ response_type: 'code', client_id: 'vitalog', redirect_uri: redirectUri, scope, state, aud });
  if (pkce) {
    params.set('code_challenge', b64url(createHash('sha256').update(verifier).digest()));
    params.set('code_challenge_method', 'S256');
  }
  return { url: `${root}/oauth/auth?${params}`, verifier, state };
}

async function token(form) {
  const res = await fetch(`${root}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: 'vitalog', ...form }),
  });
  return { status: res.status, body: await res.json() };
}

// Sign-in: authorize in the fake browser, then exchange the code.
async function signIn(options = {}, jar) {
  const { url, verifier, state } = authorizeUrl(options);
  const done = await browse(url, { jar });
  check(done.url, `sign-in did not reach the redirect URI: ${done.status} ${done.body}`);
  const q = done.url.searchParams;
  check(q.get('state') === state && q.get('code') && q.get('iss') === `${root}/oauth`, `callback: ${done.url}`);
  const res = await token({ grant_type: 'authorization_code', code: q.get('code'), code_verifier: verifier, redirect_uri: options.redirectUri ?? REDIRECT });
  check(res.status === 200, `code exchange: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const obs = () => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '2339-0' }] },
  subject: { reference: 'Patient/p1' },
  valueQuantity: { value: 5.8, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
});
async function fhir(method, path, accessToken, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/fhir+json' },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

// 1. The SMART configuration, without a token.
{
  const res = await fetch(`${base}/.well-known/smart-configuration`);
  check(res.status === 200, `smart-configuration: ${res.status}`);
  const c = await res.json();
  check(c.authorization_endpoint === `${root}/oauth/auth` && c.token_endpoint === `${root}/oauth/token`, 'endpoints');
  check(c.code_challenge_methods_supported.join() === 'S256', 'code_challenge_methods_supported');
  check(c.capabilities.includes('launch-standalone') && c.capabilities.includes('permission-offline'), 'capabilities');
  check(c.grant_types_supported.includes('refresh_token') && c.scopes_supported.includes('launch/patient'), 'grants/scopes');
  const log = await test('requests');
  check(log.length === 0, 'smart-configuration was logged as a FHIR request');
}

// 2. The full flow without cookies: a wrong verifier fails, then the right one gives the tokens.
let tokens;
{
  const { url, verifier, state } = authorizeUrl();
  const done = await browse(url);
  check(done.url, `cookie-less sign-in: ${done.status} ${done.body}`);
  check(done.url.port === '54321' && done.url.searchParams.get('state') === state, `callback ${done.url}`);
  console.log(`cookie-less sign-in: ${done.hops} redirects`);
  const code = done.url.searchParams.get('code');
  const wrong = await token({ grant_type: 'authorization_code', code, code_verifier: b64url(randomBytes(32)), redirect_uri: REDIRECT });
  check(wrong.status === 400 && wrong.body.error === 'invalid_grant', `wrong verifier: ${wrong.status} ${JSON.stringify(wrong.body)}`);
  const right = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT });
  check(right.status === 200, `code exchange: ${right.status} ${JSON.stringify(right.body)}`);
  tokens = right.body;
  check(tokens.patient === 'p1' && tokens.token_type === 'Bearer' && tokens.expires_in === 2, `token response: ${JSON.stringify(tokens)}`);
  check(tokens.scope === SCOPE && tokens.refresh_token && tokens.id_token, `token response: ${JSON.stringify(tokens)}`);
  const idToken = JSON.parse(Buffer.from(tokens.id_token.split('.')[1], 'base64url'));
  check(idToken.fhirUser === `${base}/Patient/p1` && idToken.sub === 'p1', `id_token: ${JSON.stringify(idToken)}`);
  // Using a code twice fails, and revokes what the code gave (RFC 6749 4.1.2).
  const again = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT });
  check(again.status === 400 && again.body.error === 'invalid_grant', 'a code works twice');
  check((await fhir('GET', '/Observation', tokens.access_token)).status === 401, 'a reused code left its token working');
  tokens = await signIn();
}

// 3. The access token writes; once expired it gets 401 invalid_token; a refresh gives a working one.
{
  const created = await fhir('POST', '/Observation', tokens.access_token, obs());
  check(created.status === 201, `POST with the access token: ${created.status}`);
  const staticToken = await fhir('GET', '/Observation?_summary=count', TOKEN);
  check(staticToken.status === 200 && staticToken.body.total === 1, 'the static token stopped working');
  await sleep(2100);
  const expired = await fhir('POST', '/Observation', tokens.access_token, obs());
  check(expired.status === 401 && expired.body.resourceType === 'OperationOutcome', `expired token: ${expired.status}`);
  check(expired.headers.get('www-authenticate') === 'Bearer error="invalid_token"', 'expired token: WWW-Authenticate');
  const refreshed = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
  check(refreshed.status === 200 && refreshed.body.access_token && refreshed.body.patient === 'p1', `refresh: ${JSON.stringify(refreshed.body)}`);
  check(refreshed.body.refresh_token && refreshed.body.refresh_token !== tokens.refresh_token, 'refresh token not rotated');
  check(refreshed.body.scope === SCOPE && refreshed.body.expires_in === 2, `refresh: ${JSON.stringify(refreshed.body)}`);
  const again = await fhir('POST', '/Observation', refreshed.body.access_token, obs());
  check(again.status === 201, `POST with the refreshed token: ${again.status}`);
  // Reusing a rotated refresh token fails and revokes the grant, with its new tokens.
  const reuse = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
  check(reuse.status === 400 && reuse.body.error === 'invalid_grant', `reused refresh token: ${reuse.status}`);
  const revoked = await fhir('GET', '/Observation', refreshed.body.access_token);
  check(revoked.status === 401, `token of a revoked grant: ${revoked.status}`);
  const unknown = await fhir('GET', '/Observation', 'nope');
  check(unknown.status === 401 && unknown.headers.get('www-authenticate') === 'Bearer error="invalid_token"', 'unknown token');
  const none = await fetch(`${base}/Observation`);
  check(none.status === 401 && none.headers.get('www-authenticate') === 'Bearer', 'no token');
}

// 4. With a cookie jar; the test endpoint revokes refresh tokens, so a refresh gets invalid_grant.
{
  const jar = new Map();
  const first = await signIn({}, jar);
  check(jar.has('_session'), 'the browser got no session cookie');
  const second = await signIn({}, jar); // same browser, signed in already: still works
  const refreshed = await token({ grant_type: 'refresh_token', refresh_token: second.refresh_token });
  check(refreshed.status === 200, `refresh: ${refreshed.status}`);
  const revoked = await test('smart/revoke-refresh', { method: 'POST' });
  check(revoked.revoked >= 2, `revoke-refresh: ${JSON.stringify(revoked)}`);
  for (const refreshToken of [first.refresh_token, refreshed.body.refresh_token]) {
    const res = await token({ grant_type: 'refresh_token', refresh_token: refreshToken });
    check(res.status === 400 && res.body.error === 'invalid_grant', `refresh after revoke: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

// 5. Scopes: read-only Observations cannot write (403); no offline_access, no refresh token.
{
  const t = await signIn({ scope: 'launch/patient patient/Observation.rs patient/Patient.read unknown/scope' });
  check(t.scope === 'launch/patient patient/Observation.rs patient/Patient.read' && !t.refresh_token && !t.id_token, `scope: ${JSON.stringify(t)}`);
  check(t.patient === 'p1', 'no launch context');
  const write = await fhir('POST', '/Observation', t.access_token, obs());
  check(write.status === 403 && write.body.resourceType === 'OperationOutcome', `write without write scope: ${write.status}`);
  check(write.headers.get('www-authenticate') === 'Bearer error="insufficient_scope"', 'insufficient_scope');
  const tx = await fhir('POST', '', t.access_token, {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [{ resource: obs(), request: { method: 'POST', url: 'Observation' } }],
  });
  check(tx.status === 403, `transaction without write scope: ${tx.status}`);
  const read = await fhir('GET', '/Observation?_summary=count', t.access_token);
  check(read.status === 200, `read with .rs: ${read.status}`);
  const device = await fhir('GET', '/Device', t.access_token);
  check(device.status === 403, `Device without a Device scope: ${device.status}`);
  const v1 = await signIn({ scope: 'launch/patient patient/Observation.* patient/Device.write' });
  const w = await fhir('POST', '', v1.access_token, {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [{ resource: obs(), request: { method: 'POST', url: 'Observation' } }],
  });
  check(w.status === 200, `transaction with patient/Observation.*: ${w.status}`);
  check((await fhir('GET', '/Device', v1.access_token)).status === 403, 'Device.write allowed a read');
}

// 6. Refused requests: wrong aud (back to the app with an error), another host, no PKCE.
{
  const { url, state } = authorizeUrl({ aud: 'http://127.0.0.1:1/fhir' });
  const done = await browse(url);
  check(done.url?.searchParams.get('error') === 'invalid_request' && done.url.searchParams.get('state') === state, `aud: ${done.url}`);
  check(!done.url.searchParams.get('code'), 'wrong aud gave a code');
  for (const redirectUri of ['http://evil.example:54321/callback', 'http://127.0.0.1:54321/other', 'https://127.0.0.1/callback']) {
    const other = await browse(authorizeUrl({ redirectUri }).url, { stopAt: redirectUri });
    check(other.status === 400 && JSON.parse(other.body).error === 'invalid_redirect_uri', `redirect_uri ${redirectUri}: ${other.status} ${other.body}`);
  }
  const noPkce = await browse(authorizeUrl({ pkce: false }).url);
  check(noPkce.url?.searchParams.get('error') === 'invalid_request', `no PKCE: ${noPkce.url ?? noPkce.status}`);
}

// 7. Stats: 6 sign-ins (the refused requests are not counted); 13 token requests: 8 code
// exchanges (2 of them failing) and 5 refreshes (3 of them failing).
{
  const stats = await test('smart/stats');
  check(stats.authorizations === 6 && stats.token_requests === 13 && stats.refreshes === 5, `stats: ${JSON.stringify(stats)}`);
  await test('reset', { method: 'POST' });
  const zero = await test('smart/stats');
  check(zero.authorizations === 0 && zero.token_requests === 0 && zero.refreshes === 0, 'reset did not zero the stats');
}

console.log(`smart selftest passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(0);
