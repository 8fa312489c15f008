// Self-check for the FHIR test server: starts `server.mjs` as a child process and checks the
// behaviour the Vitalog sharing tests rely on. Run with `node selftest.mjs`; exits 0 on success.

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const TOKEN = 'selftest-secret';
const started = Date.now();
const child = spawn(process.execPath, ['server.mjs', '--port', '0', '--token', TOKEN], {
  cwd: new URL('.', import.meta.url),
  stdio: ['ignore', 'pipe', 'inherit'],
});
process.on('exit', () => child.kill()); // also on a thrown error
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(1));
const [line] = await Promise.race([
  once(createInterface({ input: child.stdout }), 'line'),
  once(child, 'exit').then(([code]) => [`server exited with ${code}`]),
]);
if (!/^listening \d+$/.test(line)) fail(`unexpected first line: ${line}`);
setTimeout(() => fail('timed out after 60 s'), 60_000).unref();
const root = `http://127.0.0.1:${line.split(' ')[1]}`;
const base = `${root}/fhir`;

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}
function check(condition, message) {
  if (!condition) fail(message);
}

async function fhir(method, path, body, headers = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/fhir+json', ...headers },
    body: typeof body === 'string' ? body : body && JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}
const test = async (path, init) => (await fetch(`${root}/__test/${path}`, init)).json();
const count = async (type = 'Observation') => (await test(`count/${type}`)).count;
const reset = () => test('reset', { method: 'POST' });

const SYSTEM = 'urn:ietf:rfc:3986';
function glucose(value = 5.8, uuid = randomUUID()) {
  return {
    resourceType: 'Observation',
    status: 'final',
    identifier: [{ system: SYSTEM, value: `urn:uuid:${uuid}` }],
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '2339-0' }] },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2026-03-01T07:30:00+01:00',
    valueQuantity: { value, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
  };
}
const ifNoneExist = (obs) => `identifier=${SYSTEM}|${obs.identifier[0].value}`;
const transaction = (entries) => ({ resourceType: 'Bundle', type: 'transaction', entry: entries });
const createEntry = (obs) => ({
  fullUrl: `urn:uuid:${randomUUID()}`,
  resource: obs,
  request: { method: 'POST', url: 'Observation', ifNoneExist: ifNoneExist(obs) },
});

// 1. The token is required.
{
  const res = await fetch(`${base}/Observation`);
  check(res.status === 401, `no token: expected 401, got ${res.status}`);
  check((await res.json()).resourceType === 'OperationOutcome', 'no token: expected an OperationOutcome');
  const wrong = await fetch(`${base}/Observation`, { headers: { Authorization: 'Bearer nope' } });
  check(wrong.status === 401, `wrong token: expected 401, got ${wrong.status}`);
}

// 2. Conditional create twice stores one; a client id is not kept.
{
  const obs = { ...glucose(), id: 'client-chosen' };
  const first = await fhir('POST', '/Observation', obs, { 'If-None-Exist': ifNoneExist(obs) });
  const second = await fhir('POST', '/Observation', obs, { 'If-None-Exist': ifNoneExist(obs) });
  check(first.status === 201 && second.status === 200, `conditional create: got ${first.status}, ${second.status}`);
  check(first.body.id !== 'client-chosen', 'conditional create kept the client id');
  check(second.body.id === first.body.id, 'conditional create: second answer is not the stored resource');
  check(/\/fhir\/Observation\/[^/]+\/_history\/1$/.test(first.headers.get('location')), 'conditional create: Location');
  check((await count()) === 1, 'conditional create: expected one stored');
  // Two plain POSTs with the same client id must not overwrite each other.
  await fhir('POST', '/Observation', { ...glucose(), id: 'same' });
  await fhir('POST', '/Observation', { ...glucose(), id: 'same' });
  check((await count()) === 3, 'POST with a client id overwrote an earlier resource');
}

// 3. Invalid input is refused with 400 and an OperationOutcome.
{
  const invalid = { ...glucose(), status: 12 };
  const plain = await fhir('POST', '/Observation', invalid);
  const conditional = await fhir('POST', '/Observation', invalid, { 'If-None-Exist': ifNoneExist(invalid) });
  check(plain.status === 400 && plain.body.resourceType === 'OperationOutcome', `invalid: got ${plain.status}`);
  check(conditional.status === 400, `invalid conditional create: got ${conditional.status}`);
  const malformed = await fhir('POST', '/Observation', '{"resourceType": "Observ');
  check(malformed.status === 400 && malformed.body.resourceType === 'OperationOutcome', 'malformed JSON: expected 400');
  const misspelt = await fhir('POST', '/Observation', glucose(), { 'If-None-Exist': 'identifer=x|y' });
  check(misspelt.status === 400, `unknown search parameter: expected 400, got ${misspelt.status}`);
  check((await count()) === 3, 'invalid input stored something');
}

// 4. A 50-entry conditional transaction sent twice stores 50; answers are HAPI-like.
{
  await reset();
  const bundle = transaction(Array.from({ length: 50 }, () => createEntry(glucose())));
  const first = await fhir('POST', '', bundle);
  const second = await fhir('POST', '', bundle);
  check(first.status === 200 && second.status === 200, `transaction: got ${first.status}, ${second.status}`);
  check(first.body.type === 'transaction-response', 'transaction: expected a transaction-response');
  check(first.body.entry.every((e) => e.response.status === '201 Created'), 'transaction: first answers not 201 Created');
  check(second.body.entry.every((e) => e.response.status === '200 OK'), 'transaction: second answers not 200 OK');
  check(first.body.entry.every((e) => /^Observation\/[^/]+\/_history\/1$/.test(e.response.location)), 'transaction: location');
  check((await count()) === 50, `transaction sent twice: expected 50 stored, got ${await count()}`);
  const ids = await test('identifiers/Observation');
  check(ids.length === 50 && new Set(ids).size === 50, 'transaction: identifiers not unique');
}

// 5. A transaction with one invalid entry stores nothing.
{
  const entries = Array.from({ length: 20 }, () => createEntry(glucose()));
  entries[13].resource.status = 12;
  const res = await fhir('POST', '', transaction(entries));
  check(res.status === 400 && res.body.resourceType === 'OperationOutcome', `bad transaction: got ${res.status}`);
  check((await count()) === 50, `bad transaction stored ${(await count()) - 50} entries`);
}

// 6. urn:uuid references are rewritten to the server ids.
{
  const patientUrn = `urn:uuid:${randomUUID()}`;
  const obs = { ...glucose(), subject: { reference: patientUrn } };
  const res = await fhir('POST', '', transaction([
    { fullUrl: patientUrn, resource: { resourceType: 'Patient', active: true }, request: { method: 'POST', url: 'Patient' } },
    createEntry(obs),
  ]));
  check(res.status === 200, `reference rewriting: got ${res.status}`);
  const [patientLocation, obsLocation] = res.body.entry.map((e) => e.response.location.split('/_history')[0]);
  const stored = await fhir('GET', `/${obsLocation}`);
  check(stored.body.subject.reference === patientLocation, 'urn:uuid reference not rewritten');
}

// 7. Conditional update: PUT Type?identifier= creates, then updates; also inside a transaction.
{
  await reset();
  const obs = glucose(5.8);
  const query = `/Observation?identifier=${encodeURIComponent(`${SYSTEM}|${obs.identifier[0].value}`)}`;
  const created = await fhir('PUT', query, obs);
  const updated = await fhir('PUT', query, glucose(6.1, obs.identifier[0].value.slice(9)));
  check(created.status === 201 && updated.status === 200, `conditional PUT: got ${created.status}, ${updated.status}`);
  check(updated.body.id === created.body.id && updated.body.meta.versionId === '2', 'conditional PUT: not an update');
  const entries = Array.from({ length: 30 }, (_, i) => {
    const o = i === 0 ? glucose(7.2, obs.identifier[0].value.slice(9)) : glucose();
    return { resource: o, request: { method: 'PUT', url: `Observation?${ifNoneExist(o)}` } };
  });
  const tx = await fhir('POST', '', transaction(entries));
  check(tx.status === 200, `conditional PUT transaction: got ${tx.status} ${JSON.stringify(tx.body)}`);
  check(tx.body.entry[0].response.status === '200 OK' && tx.body.entry[1].response.status === '201 Created', 'conditional PUT entries');
  check((await count()) === 30, `conditional PUT: expected 30 stored, got ${await count()}`);
  const read = await fhir('GET', `/Observation/${created.body.id}`);
  check(read.body.valueQuantity.value === 7.2, 'conditional PUT in a transaction did not update');
}

// 8. Counting and paging.
{
  const summary = await fhir('GET', '/Observation?_summary=count');
  check(summary.body.total === 30 && !summary.body.entry, `_summary=count: got ${summary.body.total}`);
  let seen = 0;
  let url = '/Observation?_count=7';
  while (url) {
    const page = await fhir('GET', url);
    seen += page.body.entry?.length ?? 0;
    url = page.body.link.find((l) => l.relation === 'next')?.url.slice(base.length);
  }
  check(seen === 30, `paging: saw ${seen} of 30`);
}

// 9. Thousands stored: a 100-entry conditional transaction stays fast.
{
  await reset();
  for (let i = 0; i < 30; i++) {
    await fhir('POST', '', transaction(Array.from({ length: 100 }, () => createEntry(glucose()))));
  }
  const bundle = transaction(Array.from({ length: 100 }, () => createEntry(glucose())));
  const t0 = Date.now();
  const res = await fhir('POST', '', bundle);
  const ms = Date.now() - t0;
  check(res.status === 200 && (await count()) === 3100, `bulk: got ${res.status}, ${await count()} stored`);
  check(ms < 1000, `a 100-entry transaction with 3000 stored took ${ms} ms`);
  console.log(`a 100-entry conditional transaction with 3000 Observations stored: ${ms} ms`);
}

// 10. Faults: drop_after_commit destroys the socket but the resource is stored; 429 has Retry-After.
{
  await reset();
  await test('faults', { method: 'POST', body: JSON.stringify({ seed: 1, drop_after_commit: 1 }) });
  const obs = glucose();
  const dropped = await fhir('POST', '/Observation', obs, { 'If-None-Exist': ifNoneExist(obs) }).then(
    () => 'answered',
    () => 'dropped'
  );
  check(dropped === 'dropped', 'drop_after_commit: the request was answered');
  check((await count()) === 1, 'drop_after_commit: the resource was not stored');
  await test('faults', { method: 'POST', body: JSON.stringify({ seed: 1, too_many: 1, retry_after_s: 3 }) });
  const throttled = await fhir('POST', '/Observation', obs, { 'If-None-Exist': ifNoneExist(obs) });
  check(throttled.status === 429 && throttled.headers.get('retry-after') === '3', 'too_many: expected 429 with Retry-After');
  await test('faults', { method: 'POST', body: JSON.stringify({ seed: 1, reset: 1 }) });
  const reset_ = await fhir('GET', '/Observation').then(() => 'answered', () => 'reset');
  check(reset_ === 'reset', 'reset: the request was answered');
  await test('faults', { method: 'POST', body: '{}' });
  const again = await fhir('POST', '/Observation', obs, { 'If-None-Exist': ifNoneExist(obs) });
  check(again.status === 200 && (await count()) === 1, 'retry after a dropped answer: not exactly once');
  const log = await test('requests');
  check(log.map((r) => r.fault).join() === 'drop_after_commit,too_many,reset,', `request log faults: ${log.map((r) => r.fault)}`);
  check(log[0].status === 201 && log.every((r) => !('body' in r)), 'request log');
}

// 11. Parallel conditional creates of one Observation store it once; faults are reproducible from the seed.
{
  await reset();
  const obs = glucose();
  const answers = await Promise.all(
    Array.from({ length: 20 }, () => fhir('POST', '/Observation', obs, { 'If-None-Exist': ifNoneExist(obs) }))
  );
  check(answers.filter((a) => a.status === 201).length === 1 && (await count()) === 1, 'parallel conditional creates');
  const run = async () => {
    await test('faults', { method: 'POST', body: JSON.stringify({ seed: 42, too_many: 0.3, server_error: 0.3 }) });
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push((await fhir('GET', '/Observation?_summary=count')).status);
    return statuses.join();
  };
  const [first, second] = [await run(), await run()];
  await test('faults', { method: 'POST', body: '{}' });
  check(first === second && /429/.test(first) && /503/.test(first) && /200/.test(first), `faults not reproducible: ${first} / ${second}`);
}

console.log(`selftest passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(0);
