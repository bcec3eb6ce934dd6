import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitStatusOf } from './cli-error.ts';
import { addressFault, connectToHub } from './hub-client.ts';
import { uploadsAtHub } from './uploads-at-hub.ts';

describe('a hub address that cannot be right', () => {
  let plainHttp: http.Server;
  let port: number;
  /** The paths asked of the server at `port`. */
  const asked: string[] = [];
  /** A server that answers every path with a page of its own, as a web app or a proxy's page does. */
  let webPages: http.Server;
  let webPagesPort: number;

  beforeAll(async () => {
    plainHttp = http.createServer((request, response) => {
      asked.push(request.url ?? '');
      if (request.url === '/not-found') {
        response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end('<html><body>Not Found</body></html>');
        return;
      }
      if (request.url === '/problem') {
        response.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ code: 'not_found', detail: 'No upload has that id.' }));
        return;
      }
      response.end('{}');
    });
    await new Promise<void>((resolve) => plainHttp.listen(0, '127.0.0.1', resolve));
    port = (plainHttp.address() as AddressInfo).port;
    webPages = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><html><body>Uploads</body></html>');
    });
    await new Promise<void>((resolve) => webPages.listen(0, '127.0.0.1', resolve));
    webPagesPort = (webPages.address() as AddressInfo).port;
    process.env.CMEHUB_API_KEY = 'cmh_test_key';
  });
  afterAll(async () => {
    delete process.env.CMEHUB_API_KEY;
    await new Promise((resolve) => plainHttp.close(resolve));
    await new Promise((resolve) => webPages.close(resolve));
  });

  /** What the command says of its first request to `hub`, asking again for no time at all. */
  const firstRequest = (hub: string) =>
    connectToHub({ hub, wait: '0' }).request('/api/v1/uploads').then(
      () => 'answered',
      (error: Error) => error.message,
    );

  it('is said at once, with what to check, rather than asked again for a quarter of an hour', async () => {
    expect(await firstRequest('http://127.0.0.1:1')).toBe(
      "The hub's address given, http://127.0.0.1:1, names port 1, which browsers and this command refuse to connect to. Check --hub: it is the address the hub opens at in a browser.",
    );
    expect(await firstRequest(`https://127.0.0.1:${port}`)).toBe(
      `https://127.0.0.1:${port} does not answer in https: its port speaks plain http, most likely (the address then begins http://). Check --hub: it is the address the hub opens at in a browser.`,
    );
    expect(await firstRequest(`http://127.0.0.1:${port}`)).toBe('answered');
  });

  it('tells a name no computer has, and a certificate not trusted, from a hub that does not answer for a while', () => {
    const base = new URL('https://cme.example.invalid');
    const failed = (cause: object) => new TypeError('fetch failed', { cause: Object.assign(new Error('failed'), cause) });
    expect(addressFault(failed({ code: 'ENOTFOUND' }), base)).toBe(
      "No computer is named cme.example.invalid, the hub's address given (https://cme.example.invalid). Check --hub: it is the address the hub opens at in a browser.",
    );
    expect(addressFault(failed({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), base)).toContain('NODE_EXTRA_CA_CERTS=/path/to/authority.pem');
    // A hub restarting, or a network down for a while: asked again.
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN']) expect(addressFault(failed({ code }), base)).toBeNull();
  });

  it('answering as another server does (a web page where the hub answers JSON) is said to be no hub', async () => {
    const hub = connectToHub({ hub: `http://127.0.0.1:${port}`, wait: '0' });
    const answer = await hub.request('/not-found');
    expect((await hub.refusal(answer)).message).toBe(
      `http://127.0.0.1:${port} answered 404 with a web page, not as the hub answers. Check --hub: it is the address the hub opens at in a browser. ` +
        "If it is, a proxy in front of the hub answered instead: tell the hub's operator.",
    );
    const refusedAsTheHubDoes = await hub.request('/problem');
    expect((await hub.refusal(refusedAsTheHubDoes)).message).toBe('No upload has that id.');
  });

  it('is taken as the origin the hub opens at: a page of the web app pasted from the browser, or the address of the API, reaches the same hub', async () => {
    for (const given of ['/uploads/', '/uploads/0190b6a4-0000-7000-8000-000000000000?tab=rows', '/api/v1', '/api/v1/']) {
      asked.length = 0;
      const hub = connectToHub({ hub: `http://127.0.0.1:${port}${given}`, wait: '0' });
      expect(hub.origin).toBe(`http://127.0.0.1:${port}`);
      expect((await hub.request('api/v1/uploads')).status).toBe(200);
      expect(asked).toEqual(['/api/v1/uploads']);
    }
  });

  it('answering a web page where the API answers JSON, with 200, is said to be no hub, as a call to change (exit 2)', async () => {
    const uploads = uploadsAtHub(connectToHub({ hub: `http://127.0.0.1:${webPagesPort}/uploads/`, wait: '0' }));
    const refused = await uploads.list({ limit: 20 }).then(
      () => null,
      (error: Error) => error,
    );
    expect(refused?.message).toBe(
      `The address http://127.0.0.1:${webPagesPort} answered with a web page, not the hub's API: give --hub the address the hub opens at, such as https://cme.example.org. ` +
        "If it is, a proxy in front of the hub answered instead: tell the hub's operator.",
    );
    expect(exitStatusOf(refused)).toBe(2);
    // Nor is a web page written as a receipt.
    const receipt = await uploads
      .writeFile({ id: '0190b6a4-0000-7000-8000-000000000000' } as Parameters<typeof uploads.writeFile>[0], 'receipt', 'csv', '/nonexistent/receipt.csv')
      .then(
        () => null,
        (error: Error) => error.message,
      );
    expect(receipt).toMatch(/answered with a web page, not the hub's API/);
  });

  it('refuses a key saved with the words around it, saying what to keep, rather than sending it and hearing no answer', () => {
    const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-key-')), 'key.txt');
    fs.writeFileSync(keyFile, 'API key LMS (0190aa). Shown once, keep it safe:\ncmh_AAAAAAAAAAAA_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n');
    const connecting = () => connectToHub({ hub: `http://127.0.0.1:${port}`, apiKeyFile: keyFile, wait: '0' });
    expect(connecting).toThrow(`The file ${keyFile} holds more than an API key (2 lines): keep only the key in it, the one word that starts with cmh_.`);
    process.env.CMEHUB_API_KEY = 'cmh_test key';
    try {
      expect(() => connectToHub({ hub: `http://127.0.0.1:${port}`, wait: '0' })).toThrow('CMEHUB_API_KEY holds more than an API key (spaces)');
    } finally {
      process.env.CMEHUB_API_KEY = 'cmh_test_key';
    }
    // The key alone, with the line end a file ends on, is taken.
    fs.writeFileSync(keyFile, 'cmh_AAAAAAAAAAAA_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n');
    expect(connecting).not.toThrow();
  });

  it('is asked again when the hub refuses the connection, as one restarting does, until the time to wait has passed', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await firstRequest(`http://127.0.0.1:${closedPort}`)).toMatch(/^The hub at http:\/\/127\.0\.0\.1:\d+ has not answered for 0 s \(ECONNREFUSED\)\./);
  });
});
