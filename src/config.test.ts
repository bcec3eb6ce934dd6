import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('uses the embedded database under ./data by default', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeNull();
    expect(config.dataDir).toMatch(/data$/);
    expect(config.port).toBe(3000);
  });

  it('names every bad value and what it must be', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    } catch (error) {
      expect((error as Error).message).toContain('PORT');
      expect((error as Error).message).toContain('DATABASE_URL: must start with postgres://');
    }
  });

  it('wants the first operator email and password together', () => {
    expect(() => loadConfig({ CMEHUB_ADMIN_EMAIL: 'ops@example.org' })).toThrow(/set together/);
    expect(() => loadConfig({ CMEHUB_ADMIN_EMAIL: 'ops@example.org', CMEHUB_ADMIN_PASSWORD: 'short' })).toThrow(
      /at least 12/,
    );
  });
});
