import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerFromFile } from './incoming-file.ts';

describe('a form\'s file answered from', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-incoming-'));
  const app = Fastify();
  const readings: Array<{ read: string | Error; leftAfterReading: boolean }> = [];
  let address = '';

  beforeAll(async () => {
    app.post('/check', async (request, reply) => {
      const source = path.join(directory, (request.query as { name: string }).name);
      const senderGone = new Promise((resolve) => reply.raw.once('close', resolve));
      return answerFromFile(reply, { source, format: 'csv', fileName: null }, async () => {
        // The sender leaves before the reader opens the file, as one who closes the page does.
        if ((request.query as { leave?: string }).leave) await senderGone;
        const read = await fs.promises.readFile(source, 'utf8').catch((error: Error) => error);
        readings.push({ read, leftAfterReading: fs.existsSync(source) });
        return reply.send(typeof read === 'string' ? read : 'unread');
      });
    });
    address = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  const whenGone = async (file: string) => {
    for (let waited = 0; waited < 2000 && fs.existsSync(file); waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    return !fs.existsSync(file);
  };

  it('is read whole though its sender left first, and deleted once read', async () => {
    const file = path.join(directory, 'left.csv');
    fs.writeFileSync(file, 'Name,License\nKim Lee,A1\n');
    const request = http.request(`${address}/check?name=left.csv&leave=yes`, { method: 'POST' });
    request.on('error', () => undefined);
    request.end(() => setTimeout(() => request.destroy(), 50));
    expect(await whenGone(file)).toBe(true);
    expect(readings.at(-1)).toEqual({ read: 'Name,License\nKim Lee,A1\n', leftAfterReading: true });
  });

  it('is kept while the answer is sent and deleted once it is', async () => {
    const file = path.join(directory, 'answered.csv');
    fs.writeFileSync(file, 'Name,License\nAna Ruiz,B2\n');
    const answer = await fetch(`${address}/check?name=answered.csv`, { method: 'POST' });
    expect(await answer.text()).toBe('Name,License\nAna Ruiz,B2\n');
    expect(await whenGone(file)).toBe(true);
  });
});
