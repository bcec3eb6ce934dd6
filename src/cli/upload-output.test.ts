import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const uploadOutput = fileURLToPath(new URL('./upload-output.ts', import.meta.url));

describe('a receipt written to a file', () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('leaves nothing behind when Ctrl-C stops it halfway, and exits as a shell reports the signal', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-receipt-'));
    const target = path.join(dir, 'receipt.csv');
    // A command writing a receipt that takes long to come, as from a hub far away.
    const script = `
      import { Readable } from 'node:stream';
      import { writeFileWhole } from ${JSON.stringify(uploadOutput)};
      const slow = new Readable({ read() { setTimeout(() => this.push('12,R-12,accepted\\n'.repeat(500)), 5); } });
      await writeFileWhole(slow, ${JSON.stringify(target)});
    `;
    const command = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const ended = new Promise<number | null>((resolve) => command.on('exit', (code) => resolve(code)));
    while (!fs.readdirSync(dir).some((name) => name.endsWith('.part'))) await new Promise((resolve) => setTimeout(resolve, 20));
    command.kill('SIGINT');
    expect(await ended).toBe(130);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
