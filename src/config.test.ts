import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCmehub } from '../test/hub-process.ts';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('uses the embedded database under ./data by default', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeNull();
    expect(config.dataDir).toMatch(/data$/);
    expect(config.port).toBe(3000);
  });

  it('names every bad value, as given, and what its setting takes; a value that may hold a password is not repeated', () => {
    const refused = () => loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://hub:s3cret@db/cme', LOG_LEVEL: 'loud', CMEHUB_MAX_UPLOAD_BYTES: '10MB', CMEHUB_UPLOAD_FILE_DAYS: '-1' });
    expect(refused).toThrow(ConfigError);
    expect(refused).toThrow(
      [
        'Invalid configuration:',
        '  PORT=abc: a port is a whole number from 1 to 65535 (or 0, for any free one)',
        '  DATABASE_URL (its value not shown here): an address that starts with postgres:// or postgresql://, such as postgres://user:pass@host:5432/db',
        '  LOG_LEVEL=loud: one of fatal, error, warn, info, debug, trace or silent',
        '  CMEHUB_MAX_UPLOAD_BYTES=10MB: a number of bytes, such as 10485760',
        '  CMEHUB_UPLOAD_FILE_DAYS=-1: a number of days, 0 or more, such as 30',
      ].join('\n'),
    );
    expect(() => loadConfig({ PORT: '99999' })).toThrow('PORT=99999: a port is a whole number from 1 to 65535');
    // Digits only: "1e6" or "2_000_000" read as a number would be a guess.
    expect(() => loadConfig({ CMEHUB_MAX_UPLOAD_ROWS: '2_000_000' })).toThrow('CMEHUB_MAX_UPLOAD_ROWS=2_000_000: a number of rows, 1 or more, such as 2000000');
    expect(loadConfig({ PORT: '0', CMEHUB_MAX_UPLOAD_BYTES: '10485760' })).toMatchObject({ port: 0, maxUploadBytes: 10_485_760 });
  });

  it('stops the hub on a bad value with the message naming it, before it opens its data', () => {
    const dataDir = path.join(os.tmpdir(), `cmehub-config-${process.pid}-${Date.now()}`);
    const environment: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '99999', CMEHUB_MAX_UPLOAD_BYTES: '10MB' };
    delete environment.DATABASE_URL;
    const serve = runCmehub(environment, 'serve');
    // A setting to change is a call to change, as a misspelt option is: a script tells it from a failure by its exit status.
    expect(serve.status).toBe(2);
    expect(serve.stderr.trim()).toBe(
      'Invalid configuration:\n  PORT=99999: a port is a whole number from 1 to 65535 (or 0, for any free one)\n  CMEHUB_MAX_UPLOAD_BYTES=10MB: a number of bytes, such as 10485760',
    );
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('wants the first operator email and password together', () => {
    expect(() => loadConfig({ CMEHUB_ADMIN_EMAIL: 'ops@example.org' })).toThrow(/set together/);
    expect(() => loadConfig({ CMEHUB_ADMIN_EMAIL: 'ops@example.org', CMEHUB_ADMIN_PASSWORD: 'short' })).toThrow(
      /at least 12/,
    );
  });
});
