import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { Validator } from '@seriousme/openapi-schema-validator';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demoLogins, demoPassword, login } from '../../test/helpers.ts';
import type { TestApp } from '../../test/helpers.ts';
import { buildApp } from './app.ts';

/** Writes that take no body by design. File routes document theirs with `config.fileBody` (src/http/openapi.ts). */
/** Addresses that take no option, and refuse one given (`400`) rather than drop it: nothing in the document says so. */
const refuseEveryOption = new Set(['get /api/v1/uploads/template.csv', 'get /api/v1/uploads/template.xlsx']);
const actionsWithoutBody = new Set(['post /api/v1/auth/logout', 'post /api/v1/uploads/{id}/stop', 'post /api/v1/boards/{orgId}/roster/loads/{loadId}/absent-inactive']);

describe('the HTTP surface', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demo: true, config: { apiKeyRateLimitPerMinute: 5 } });
  });
  afterAll(() => t.close());

  it('reports health with a database check', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: t.database.kind });
  });

  it('publishes an OpenAPI 3.1 document in which every API route has request, response and error schemas', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    const validation = await new Validator().validate(document);
    expect(validation.errors ?? []).toEqual([]);
    expect(validation.valid).toBe(true);
    const gaps: string[] = [];
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        const responses: Record<string, { description: string }> = operation.responses ?? {};
        for (const [status, { description }] of Object.entries(responses)) {
          if (!description || description === 'Default Response') gaps.push(`${method} ${path}: ${status} says not what it is`);
        }
        if (!path.startsWith('/api/') && path !== '/healthz') continue;
        const success = Object.keys(responses).find((status) => status.startsWith('2'));
        if (!success) gaps.push(`${method} ${path}: no success response`);
        // Every address answers a key that is no longer valid, the rate limit, and a failure on the hub's side.
        for (const status of ['401', '429', '500']) {
          if (!responses[status]) gaps.push(`${method} ${path}: no ${status} response`);
        }
        // What the request carries says which refusals it can meet: an id, options or a body their 400; an id its 404; a body 413 and 415.
        const takesInput = (operation.parameters ?? []).length > 0 || operation.requestBody !== undefined || refuseEveryOption.has(`${method} ${path}`);
        if (Boolean(responses['400']) !== takesInput) gaps.push(`${method} ${path}: 400 ${takesInput ? 'not declared' : 'declared, with nothing to refuse'}`);
        if (path.includes('{') && !responses['404']) gaps.push(`${method} ${path}: no 404 response`);
        for (const status of ['413', '415', '422']) {
          if (responses[status] && !operation.requestBody) gaps.push(`${method} ${path}: ${status} declared, with no body`);
        }
        if (responses['415'] && !responses['413']) gaps.push(`${method} ${path}: 415 without 413`);
        if (['post', 'put', 'patch'].includes(method) && !operation.requestBody && !actionsWithoutBody.has(`${method} ${path}`)) {
          gaps.push(`${method} ${path}: no request body schema`);
        }
        if (!operation.summary) gaps.push(`${method} ${path}: no summary`);
      }
    }
    expect(gaps).toEqual([]);
  });

  it('serves the API reference at /docs', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('swagger');
  });

  it('answers a request the HTTP parser refuses (headers too large, an address not percent-encoded) with problem+json saying what to change', async () => {
    const app = await buildApp(t.hub);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    /** What the hub answers to a request written by hand, as a client with no escaping writes it. */
    const answerTo = (requestLine: string, headers = '') =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.write(`${requestLine}\r\nHost: 127.0.0.1\r\n${headers}\r\n`));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
      });
    try {
      const tooLarge = await answerTo('GET /api/v1/uploads HTTP/1.1', `Cookie: ${'x'.repeat(20_000)}\r\n`);
      expect(tooLarge).toMatch(/^HTTP\/1\.1 431 Request header fields too large\r\nContent-Type: application\/problem\+json\r\n/);
      const tooLargeProblem = JSON.parse(tooLarge.slice(tooLarge.indexOf('\r\n\r\n') + 4));
      expect(tooLargeProblem).toMatchObject({ status: 431, code: 'headers_too_large', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), problems: [] });
      expect(tooLarge).toContain(`\r\nX-Request-Id: ${tooLargeProblem.requestId}\r\n`);
      const unescaped = await answerTo('POST /api/v1/uploads?fileName=Übersicht.csv HTTP/1.1');
      expect(unescaped).toMatch(/^HTTP\/1\.1 400 Bad request\r\nContent-Type: application\/problem\+json\r\n/);
      expect(JSON.parse(unescaped.slice(unescaped.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'malformed_request', detail: expect.stringContaining('Percent-encode the address') });
    } finally {
      await app.close();
    }
  });

  it('answers an unknown API path with problem+json and the request id', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: { 'x-request-id': 'abc-123' } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'not_found', requestId: 'abc-123', status: 404 });
    expect(response.headers['x-request-id']).toBe('abc-123');
  });

  it('answers every error with its request id and a list of problems, empty when it has none to list, as the API reference declares', async () => {
    const coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
    const activity = (await coordinator.get('/api/v1/activities?status=active&limit=1')).json().items[0].id;
    const answers = {
      401: await t.app.inject({ method: 'GET', url: '/api/v1/me' }),
      403: await coordinator.get('/api/v1/audit-log'),
      404: await coordinator.get('/api/v1/uploads/0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b'),
      405: await t.app.inject({ method: 'PUT', url: '/api/v1/me' }),
      409: await coordinator.post(`/api/v1/activities/${activity}/reopen`, { reason: 'Reopened by mistake' }),
      415: await coordinator.request({ method: 'POST', url: '/api/v1/learner-reports/bulk-delete', headers: { 'content-type': 'text/csv' }, payload: 'id' }),
    };
    for (const [status, response] of Object.entries(answers)) {
      expect(response.statusCode, response.body).toBe(Number(status));
      expect(response.json(), status).toMatchObject({ status: Number(status), requestId: response.headers['x-request-id'], problems: [] });
    }
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(document.components.schemas.Problem.required).toEqual(expect.arrayContaining(['code', 'detail', 'requestId', 'problems']));
  });

  it('tells a client using the wrong method which methods the address takes', async () => {
    const response = await t.app.inject({ method: 'PUT', url: '/api/v1/uploads/0192f5a0-0000-7000-8000-000000000000/stop' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('POST');
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'method_not_allowed', status: 405 });
    expect(response.json().detail).toContain('it takes POST');

    const list = await t.app.inject({ method: 'DELETE', url: '/api/v1/uploads?status=done' });
    expect(list.statusCode).toBe(405);
    expect(list.headers.allow?.split(', ')).toEqual(expect.arrayContaining(['GET', 'POST']));
  });

  it('answers malformed JSON with a 400 that shows no internals', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "x", ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toBe('The request body is not valid JSON.');
    expect(response.body).not.toMatch(/at .*\.ts|node_modules|stack/);
  });

  it('refuses a NUL character in any text of a JSON body or a query with a 400 naming the field', async () => {
    const coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
    const report = await coordinator.post('/api/v1/learner-reports', {
      activityId: '100000001',
      completionDate: '2026-01-05',
      learner: { firstName: 'Maria', lastName: 'Lo\u0000pez', birthMonth: 3, birthDay: 14, state: 'CA', licenseNumber: 'A12345' },
      credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }],
      consent: 'written',
    });
    expect(report.statusCode, report.body).toBe(400);
    expect(report.json()).toMatchObject({
      code: 'invalid_request',
      detail: expect.stringContaining('NUL character (U+0000) in learner.lastName'),
      problems: [{ code: 'nul_character', field: 'learner.lastName', message: expect.stringContaining('Remove the NUL character') }],
    });
    const search = await coordinator.get('/api/v1/learner-reports?search=Lo%00pez');
    expect(search.statusCode, search.body).toBe(400);
    expect(search.json().problems).toEqual([expect.objectContaining({ field: 'search' })]);
  });

  it('reads half of a character written in two parts (an emoji cut in two) as the replacement character, which a name refuses as a lost letter', async () => {
    const coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
    const report = await coordinator.request({
      method: 'POST',
      url: '/api/v1/learner-reports',
      headers: { 'content-type': 'application/json' },
      payload: '{"activityId":"100000001","completionDate":"2026-01-05","learner":{"firstName":"Maria","lastName":"Lopez \\ud83d","birthMonth":3,"birthDay":14,"state":"CA","licenseNumber":"A12345"},"credits":[{"type":"AMA_PRA_CAT1","amount":1}],"consent":"written","creditId":"ccid:x:\\ud83d"}',
    });
    expect(report.statusCode, report.body).toBe(201);
    expect(report.json()).toMatchObject({
      status: 'rejected',
      problems: expect.arrayContaining([expect.objectContaining({ field: 'learner.lastName', message: expect.stringContaining('Last name "Lopez \uFFFD" has a "?" where a letter was lost') })]),
    });
  });

  it('says which content type a route takes, and refuses a compressed body', async () => {
    const csv = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'text/csv' }, payload: 'email,password' });
    expect(csv.statusCode).toBe(415);
    expect(csv.json()).toMatchObject({ code: 'unsupported_media_type', detail: 'The content type text/csv is not accepted here: send application/json.' });
    // Text, which Fastify reads and a module reads for its files, is no more taken by a route whose body is JSON.
    const coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
    const unknownUpload = '0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b';
    for (const url of [`/api/v1/uploads/${unknownUpload}/withdraw`, '/api/v1/activities']) {
      const text = await coordinator.request({ method: 'POST', url, headers: { 'content-type': 'text/plain; charset=utf-8' }, payload: 'Sent for the wrong activity' });
      expect(text.statusCode, url).toBe(415);
      expect(text.json(), url).toMatchObject({ code: 'unsupported_media_type', detail: 'The content type text/plain is not accepted here: send application/json.' });
    }
    const gzipped = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: zlib.gzipSync(JSON.stringify({ email: demoLogins.providerAdmin, password: demoPassword })),
    });
    expect(gzipped.statusCode).toBe(415);
    expect(gzipped.json().detail).toBe('The request body is compressed (Content-Encoding: gzip), which the hub does not read. Send it uncompressed.');
  });

  it('describes the upload, roster and check forms in the API reference: their file and their options', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const { content } = document.paths['/api/v1/uploads'].post.requestBody;
    // The file is taken under any field name, as the first file of the form; the fields read are the options.
    const formWords =
      "The learner file is the form's first file part, under any field name (`file` in this reference and the examples); a form with a second file is refused. " +
      "The other fields read are the upload's options, `format`, `fileName`, `consent`, `dates`, `activity`, `completionDate` and `providerOrgId`, before or after the file, as in the address; " +
      'a field of any other name, or a text field named `file`, is refused.';
    expect(content['multipart/form-data'].schema.description).toBe(formWords);
    expect(document.paths['/api/v1/uploads'].post.description).toContain(formWords);
    expect(document.paths['/api/v1/uploads'].post.description).not.toContain('multipart form field `file`');
    expect(content['multipart/form-data'].schema).toMatchObject({
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary' },
        consent: { enum: ['written', 'implied'] },
        format: { enum: ['csv', 'xlsx', 'xml'] },
        fileName: { type: 'string' },
        providerOrgId: { description: expect.stringContaining('7-digit provider ID') },
      },
    });
    expect(content['text/csv'].schema).toMatchObject({ type: 'string', format: 'binary' });
    // A roster's form and a check's take their options as fields too.
    const roster = document.paths['/api/v1/boards/{orgId}/roster'].post;
    expect(roster.description).toContain("The other fields read are the roster upload's options, `full`, `fileName` and `dates`, before or after the file, as in the address");
    expect(roster.requestBody.content['multipart/form-data'].schema).toMatchObject({ required: ['file'], properties: { file: { format: 'binary' }, full: { enum: ['true', 'false'] }, dates: {} } });
    const check = document.paths['/api/v1/learners/validate/file'].post;
    expect(check.description).toContain("The other fields read are the check's options, `format`, `fileName` and `dates`");
    expect(check.requestBody.content['multipart/form-data'].schema).toMatchObject({ properties: { file: { format: 'binary' }, format: { enum: ['csv', 'xlsx'] } } });
  });

  it('declares a request body that may be left out as not required', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const deletion = document.paths['/api/v1/learner-reports/{id}'].delete;
    expect(deletion.requestBody).toMatchObject({ required: false, content: { 'application/json': { schema: { type: 'object' } } } });
    expect(deletion.parameters).toContainEqual(expect.objectContaining({ in: 'query', name: 'reason', required: false }));
    expect(JSON.stringify(document)).not.toContain('x-optional-body');
    expect(document.paths['/api/v1/learner-reports/bulk-delete'].post.requestBody.required).toBe(true);
  });

  it('declares every error of the API as application/problem+json, and gives every operation an operationId of its own', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const operationIds: string[] = [];
    const errorTypes = new Set<string>();
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      for (const operation of Object.values(operations)) {
        operationIds.push(operation.operationId);
        for (const [status, response] of Object.entries(operation.responses as Record<string, { content?: object }>)) {
          if (path.startsWith('/api/') && Number(status) >= 400) Object.keys(response.content ?? {}).forEach((type) => errorTypes.add(type));
        }
      }
    }
    expect([...errorTypes]).toEqual(['application/problem+json']);
    expect(operationIds.filter((id) => typeof id !== 'string')).toEqual([]);
    expect(new Set(operationIds).size).toBe(operationIds.length);
    expect(document.paths['/api/v1/learner-reports/{id}'].get.operationId).toBe('getLearnerReportsById');
    expect(document.paths['/api/v1/learner-reports/{id}'].get.responses['404'].description).toBe('No such learner report of yours');
  });

  it('declares for each upload route the statuses it answers, each said in words, and the headers it sets', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const signedIn = [401, 403, 429, 500];
    const expected: Record<string, number[]> = {
      'post /api/v1/uploads': [200, 202, 400, ...signedIn, 409, 413, 415, 422],
      'get /api/v1/uploads/template.csv': [200, 400, 401, 429, 500],
      'get /api/v1/uploads/template.xlsx': [200, 400, 401, 429, 500],
      'get /api/v1/uploads': [200, 400, ...signedIn],
      'get /api/v1/uploads/{id}': [200, 400, ...signedIn, 404],
      'post /api/v1/uploads/{id}/stop': [200, 400, ...signedIn, 404, 409],
      'get /api/v1/uploads/{id}/withdrawal-preview': [200, 400, ...signedIn, 404, 409],
      'post /api/v1/uploads/{id}/withdraw': [200, 202, 400, ...signedIn, 404, 409, 413, 415],
      'get /api/v1/uploads/{id}/rows': [200, 400, ...signedIn, 404],
      'get /api/v1/uploads/{id}/receipt': [200, 400, ...signedIn, 404, 406, 409],
      'get /api/v1/uploads/{id}/rows-to-fix': [200, 400, ...signedIn, 404, 406, 409, 410],
    };
    const declared = Object.fromEntries(
      Object.entries(document.paths as Record<string, Record<string, { responses: object }>>)
        .filter(([path]) => path.startsWith('/api/v1/uploads'))
        .flatMap(([path, operations]) => Object.entries(operations).map(([method, operation]) => [`${method} ${path}`, Object.keys(operation.responses).map(Number).sort((a, b) => a - b)])),
    );
    expect(declared).toEqual(Object.fromEntries(Object.entries(expected).map(([route, statuses]) => [route, statuses.sort((a, b) => a - b)])));

    const upload = document.paths['/api/v1/uploads'].post.responses;
    expect(upload['202'].description).toBe("The upload, queued: follow it at the Location header's address");
    expect(upload['202'].headers.location).toMatchObject({ schema: { type: 'string' } });
    expect(document.paths['/api/v1/uploads/{id}'].get.responses['404'].description).toBe('No such upload of yours');
    for (const path of ['/api/v1/uploads/{id}/receipt', '/api/v1/uploads/{id}/rows-to-fix']) {
      expect(document.paths[path].get.responses['409'].headers['retry-after'], path).toMatchObject({ schema: { type: 'integer' } });
    }
    expect(document.paths['/api/v1/boards/{orgId}/roster'].post.responses['202'].headers.location).toMatchObject({ schema: { type: 'string' } });
    expect(document.paths['/api/v1/auth/logout'].post.responses['204']).toEqual({ description: 'Signed out: the session is ended and its cookies cleared' });
  });

  it('declares the statuses the hub really answers with', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
    const unknown = '0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b';
    const answers = [
      { route: 'get /api/v1/uploads/{id}', response: await coordinator.get(`/api/v1/uploads/${unknown}`), status: 404 },
      { route: 'get /api/v1/uploads/{id}', response: await coordinator.get('/api/v1/uploads/not-an-id'), status: 400 },
      {
        route: 'get /api/v1/uploads/{id}/receipt',
        response: await coordinator.request({ method: 'GET', url: `/api/v1/uploads/${unknown}/receipt`, headers: { accept: 'application/json' } }),
        status: 406,
      },
      { route: 'get /api/v1/uploads/{id}/rows-to-fix', response: await coordinator.get(`/api/v1/uploads/${unknown}/rows-to-fix`), status: 404 },
      { route: 'get /api/v1/uploads', response: await t.app.inject({ method: 'GET', url: '/api/v1/uploads' }), status: 401 },
      {
        route: 'get /api/v1/uploads/template.csv',
        response: await t.app.inject({ method: 'GET', url: '/api/v1/uploads/template.csv', headers: { authorization: 'Bearer cmh_revoked' } }),
        status: 401,
      },
      {
        route: 'post /api/v1/uploads/{id}/withdraw',
        response: await coordinator.request({ method: 'POST', url: `/api/v1/uploads/${unknown}/withdraw`, headers: { 'content-type': 'text/csv' }, payload: 'why' }),
        status: 415,
      },
      { route: 'get /api/v1/audit-log', response: await coordinator.get('/api/v1/audit-log'), status: 403 },
      {
        route: 'post /api/v1/learner-reports',
        response: await coordinator.request({ method: 'POST', url: '/api/v1/learner-reports?consent=written', headers: { 'content-type': 'application/xml' }, payload: '<ActivityReports><unclosed>' }),
        status: 422,
      },
      {
        route: 'patch /api/v1/learner-reports/{id}',
        response: await coordinator.patch(`/api/v1/learner-reports/${(await coordinator.get('/api/v1/learner-reports?limit=1')).json().items[0].id}`, { activityId: 'NO-SUCH-ACTIVITY', reason: 'typo' }),
        status: 422,
      },
    ];
    for (const { route, response, status } of answers) {
      expect(response.statusCode, `${route}: ${response.body}`).toBe(status);
      const [method, path] = route.split(' ');
      expect(Object.keys(document.paths[path][method].responses), route).toContain(String(status));
    }
  });

  it('describes a file download in the types it is sent in, not as JSON', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/api/v1/uploads/{id}/receipt', '/api/v1/uploads/{id}/rows-to-fix', '/api/v1/uploads/template.xlsx']) {
      const { content } = document.paths[path].get.responses['200'];
      expect(Object.keys(content), path).toEqual(['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
      expect(content['text/csv'].schema).toEqual({ type: 'string', format: 'binary' });
    }
  });

  it('describes learner reports as they are sent and answered: JSON, or MedBiquitous XML', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const submit = document.paths['/api/v1/learner-reports'].post;
    const submission = { $ref: '#/components/schemas/LearnerReportSubmissionInput' };
    expect(submit.requestBody.content['application/json'].schema.anyOf).toEqual([
      submission,
      expect.objectContaining({ type: 'array', items: submission, maxItems: 1000 }),
    ]);
    expect(submit.requestBody.content['application/xml'].schema).toMatchObject({ type: 'string', description: expect.stringContaining('ActivityReports') });
    expect(Object.keys(submit.responses['200'].content)).toEqual(['application/json', 'application/xml']);
    expect(submit.responses['200'].content['application/xml'].schema.description).toContain('https://cmehub.org/ns/learner-report-receipts/v1');
    expect(submit.responses['201'].headers.location).toMatchObject({ schema: { type: 'string' } });
    const read = document.paths['/api/v1/learner-reports/{id}'].get;
    expect(Object.keys(read.responses['200'].content)).toEqual(['application/json', 'application/xml']);

    const coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
    const csv = await coordinator.request({ method: 'POST', url: '/api/v1/learner-reports', headers: { 'content-type': 'text/csv' }, payload: 'a,b' });
    expect(csv.statusCode).toBe(415);
    expect(csv.json().detail).toBe('The content type text/csv is not accepted here: send one of application/json, application/xml or text/xml.');
  });

  it('sends security headers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-frame-options']).toBeDefined();
  });

  it('limits the request rate per API key', async () => {
    const coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
    const providerId = (await coordinator.get('/api/v1/me')).json().organization.id;
    const { key } = (await coordinator.post(`/api/v1/organizations/${providerId}/api-keys`, { name: 'busy' })).json();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${key}` } })).statusCode);
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses[6]).toBe(429);
  });

  it('limits the requests of one address without an API key to the number configured', async () => {
    const limited = await createTestApp({ config: { addressRateLimitPerMinute: 3 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await limited.app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });

  it('limits sign-in attempts per account and address, and per address in all, and says how long to wait', async () => {
    const limited = await createTestApp({ config: { loginRateLimitPerMinute: 2, loginAddressRateLimitPerMinute: 5 } });
    try {
      const attempt = (email: string, remoteAddress = '203.0.113.7') =>
        limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: { email, password: 'not-the-password' } });
      expect((await attempt('a@b.org')).statusCode).toBe(401);
      expect((await attempt('a@b.org')).statusCode).toBe(401);
      const third = await attempt('A@B.org');
      expect(third.statusCode).toBe(429);
      expect(third.json()).toMatchObject({ code: 'rate_limited', retryAfterSeconds: expect.any(Number) });
      // Staff behind the same hospital address sign in to their own accounts meanwhile, and so does the same account elsewhere.
      expect((await attempt('c@d.org')).statusCode).toBe(401);
      expect((await attempt('e@f.org')).statusCode).toBe(401);
      expect((await attempt('a@b.org', '198.51.100.9')).statusCode).toBe(401);
      // Every account from one address together: the sixth attempt from it is refused, whichever account it names.
      const sixth = await attempt('g@h.org');
      expect(sixth.statusCode).toBe(429);
      expect(sixth.json().retryAfterSeconds).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('refuses a misspelt option of a list, naming those it takes, rather than list everything', async () => {
    const [provider, board, operator, physician] = await Promise.all(
      [demoLogins.providerAdmin, demoLogins.boardAdmin, demoLogins.operator, demoLogins.physician].map((email) => login(t.app, email, demoPassword)),
    );
    const providerId = (await provider.get('/api/v1/me')).json().organization.id;
    const boardId = (await board.get('/api/v1/me')).json().organization.id;
    const misspelt: [typeof provider, string, string][] = [
      [provider, '/api/v1/activities?stauts=active', 'The activities list takes no option "stauts": its options are status, type, from, to, q, providerActivityId, topic, sort, order, limit and cursor.'],
      [provider, '/api/v1/learner-reports?activityid=GR-1', 'The learner reports list takes no option "activityid"'],
      [provider, `/api/v1/providers/${providerId}/dashboard?mnth=2026-01`, 'The reporting dashboard takes no option "mnth": its only option is month.'],
      [board, `/api/v1/boards/${boardId}/credits?personid=${providerId}`, 'A board\'s credits list takes no option "personid"'],
      [physician, '/api/v1/me/credits?from=2026-01-01', 'Your credits take no option "from": its options are since, until, limit and cursor.'],
      [operator, '/api/v1/organizations?knd=provider', 'The organizations list takes no option "knd"'],
      [operator, '/api/v1/audit-log?actor=someone', 'The audit log takes no option "actor"'],
      // Addresses that take no options at all.
      [board, `/api/v1/boards/${boardId}/roster/loads?status=failed`, 'This address takes no options: leave out "status".'],
      [provider, `/api/v1/organizations/${providerId}/users?role=admin`, 'This address takes no options: leave out "role".'],
      [physician, '/api/v1/me/claimable-reports?limit=5&q=x', 'This address takes no options: leave out "limit", "q".'],
    ];
    for (const [session, url, message] of misspelt) {
      const response = await session.get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().problems, url).toContainEqual(expect.objectContaining({ message: expect.stringContaining(message) }));
    }
  });

  it('says of a value of the wrong kind what was sent and what goes there, in words rather than the schema library\'s', async () => {
    const provider = await login(t.app, demoLogins.providerAdmin, demoPassword);
    const problemsOf = async (response: Awaited<ReturnType<typeof provider.get>>) => {
      expect(response.statusCode, response.body).toBe(400);
      return (response.json().problems as { field: string; message: string }[]).map(({ field, message }) => [field, message]);
    };
    expect(await problemsOf(await provider.get('/api/v1/learner-reports?status=bogus'))).toEqual([['status', '"bogus" is not one of accepted, pending or rejected']]);
    expect(await problemsOf(await provider.get('/api/v1/learner-reports?since=yesterday'))).toEqual([
      ['since', 'A date, YYYY-MM-DD, or a date and time with its zone, such as 2026-11-20T09:00:00Z'],
    ]);
    const upload = (await provider.get('/api/v1/uploads?limit=1')).json().items[0]?.id ?? '0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b';
    const withdrawn = await provider.request({ method: 'POST', url: `/api/v1/uploads/${upload}/withdraw`, headers: { 'content-type': 'application/json' }, payload: 'null' });
    expect(await problemsOf(withdrawn)).toEqual([['body', 'A withdrawal takes a JSON object: its only field is reason.']]);
    const report = (await provider.get('/api/v1/learner-reports?limit=1')).json().items[0].id;
    const corrected = await provider.patch(`/api/v1/learner-reports/${report}`, { credits: [{ type: 'AMA_PRA_CAT1', amount: '1.5' }], reason: 'typo' });
    expect(await problemsOf(corrected)).toEqual([['credits.0.amount', 'A number goes here, not text, "1.5"']]);
    const unnamed = await provider.patch(`/api/v1/learner-reports/${report}`, { credits: [{ type: 'AMA_PRA_CAT1' }], reason: 'typo' });
    expect(await problemsOf(unnamed)).toEqual([['credits.0.amount', 'amount is missing: give it as a number']]);
  });

  it('says of a text or a list past its bounds the bound and what was sent, in words rather than the schema library\'s', async () => {
    const coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
    const problemsOf = (response: Awaited<ReturnType<typeof coordinator.get>>) => {
      expect(response.statusCode, response.body).toBe(400);
      return (response.json().problems as { field: string; message: string }[]).map(({ field, message }) => [field, message]);
    };
    const long = 'x'.repeat(300);
    const upload = await coordinator.request({
      method: 'POST',
      url: `/api/v1/uploads?consent=written&fileName=${long}.csv&activity=${long}`,
      headers: { 'content-type': 'text/csv' },
      payload: 'Activity ID,Completion date,First name,Last name\n',
    });
    expect(problemsOf(upload)).toEqual([
      ['fileName', 'At most 255 characters (this one has 304)'],
      ['activity', 'At most 255 characters (this one has 300)'],
    ]);
    const unknownUpload = '0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b';
    const withdrawal = await coordinator.post(`/api/v1/uploads/${unknownUpload}/withdraw`, { reason: 'y'.repeat(501) });
    expect(problemsOf(withdrawal)).toEqual([['reason', 'At most 500 characters (this one has 501)']]);
    const noneToDelete = await coordinator.post('/api/v1/learner-reports/bulk-delete', { ids: [], reason: 'Sent twice' });
    expect(problemsOf(noneToDelete)).toEqual([['ids', 'At least 1 item (this list is empty)']]);
  });

  it('answers a value the database refuses as the sender\'s to correct, a read with 400 and a write with 422, never a 500', async () => {
    const provider = await login(t.app, demoLogins.providerAdmin, demoPassword);
    const report = (await provider.get('/api/v1/learner-reports?limit=1')).json().items[0];
    // Real refusals of the database (a data exception), as of a value no check foresaw: of reading a report, whose
    // read is written to the audit log, and of an activity's title.
    await sql`create function refuse_http_test() returns trigger language plpgsql as $$
      begin raise exception 'the value is out of range' using errcode = '22003'; end $$`.execute(t.db);
    await sql`create trigger refuse_http_test before insert on audit_log for each row when (new.action = 'learner_report.read') execute function refuse_http_test()`.execute(t.db);
    await sql`create trigger refuse_http_test before insert on activities for each row when (new.title = 'Refused') execute function refuse_http_test()`.execute(t.db);
    try {
      const read = await provider.get(`/api/v1/learner-reports/${report.id}`);
      expect(read.statusCode, read.body).toBe(400);
      expect(read.json()).toMatchObject({ code: 'invalid_request', detail: 'A value of the request could not be used (the value is out of range): look for an option holding what it does not take.' });
      const write = await provider.post('/api/v1/activities', { providerActivityId: 'HTTP-REFUSED', title: 'Refused', type: 'EM', startDate: '2026-01-01', endDate: '2026-12-31', credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] });
      expect(write.statusCode, write.body).toBe(422);
      expect(write.json()).toMatchObject({ code: 'value_not_stored', detail: 'A value of the request could not be stored (the value is out of range): look for a field holding what it does not take, such as a note pasted into it.' });
    } finally {
      await sql`drop trigger if exists refuse_http_test on audit_log`.execute(t.db);
      await sql`drop trigger if exists refuse_http_test on activities`.execute(t.db);
      await sql`drop function if exists refuse_http_test()`.execute(t.db);
    }
  });

  it('refuses a malformed or unknown API key with 401', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer nonsense' } });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('invalid_api_key');
    // The key without "Bearer" before it: what to write, not that a good key might be revoked.
    const bare = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'cmh_somekey' } });
    expect(bare.statusCode).toBe(401);
    expect(bare.json()).toMatchObject({ code: 'invalid_authorization', detail: expect.stringContaining('Authorization: Bearer <key>') });
  });
});

describe('request logs', () => {
  it('notes a sender that cuts its file off as such, not as a failure of the hub', async () => {
    const lines: string[] = [];
    const { app, hub, close } = await createTestApp({ demo: true, config: { logLevel: 'info' }, logStream: { write: (line: string) => void lines.push(line) } });
    try {
      const admin = await login(app, demoLogins.providerAdmin, demoPassword);
      const organization = (await admin.get('/api/v1/me')).json().organization.id as string;
      const key = (await admin.post(`/api/v1/organizations/${organization}/api-keys`, { name: 'LMS' })).json().key as string;
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      const sending = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/uploads?consent=written&fileName=year-end.csv',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv', 'content-length': 10_000_000 },
      });
      sending.on('error', () => undefined);
      sending.write('Activity ID,Completion date,First name,Last name\n'.repeat(2000));
      const entries = () => lines.map((line) => JSON.parse(line));
      // Cut off once the hub is receiving the file.
      const incoming = path.join(hub.config.dataDir, 'uploads', 'incoming');
      try {
        await expect.poll(() => fs.existsSync(incoming) && fs.readdirSync(incoming).length > 0, { timeout: 10_000 }).toBe(true);
      } finally {
        sending.destroy();
      }
      await expect.poll(() => entries().some((entry) => entry.msg === 'the client closed the connection before its request ended'), { timeout: 5000 }).toBe(true);
      expect(entries().filter((entry) => entry.level >= 50)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('write one line per request: method, path without its query, status and time; never keys, cookies or bodies', async () => {
    const lines: string[] = [];
    const logStream = { write: (line: string) => void lines.push(line) };
    const { app, close } = await createTestApp({ demo: true, config: { logLevel: 'info' }, logStream });
    try {
      const session = await login(app, demoLogins.providerAdmin, demoPassword);
      await session.get('/api/v1/learner-reports?search=Lopez');
      await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer cmh_secretprefix_secretsecret' } });
      const requests = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'request completed');
      expect(requests.map((entry) => [entry.req.method, entry.req.path, entry.res.statusCode])).toEqual([
        ['POST', '/api/v1/auth/login', 200],
        ['GET', '/api/v1/learner-reports', 200],
        ['GET', '/api/v1/me', 401],
      ]);
      expect(requests.every((entry) => typeof entry.responseTime === 'number')).toBe(true);
      const everything = lines.join('\n');
      for (const secret of ['Lopez', 'secretprefix', demoPassword, demoLogins.providerAdmin, 'cmehub_session', 'cmehub_csrf']) {
        expect(everything).not.toContain(secret);
      }
    } finally {
      await close();
    }
  });
});
