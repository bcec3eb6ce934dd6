import path from 'node:path';
import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  CMEHUB_ADMIN_EMAIL: z.email('must be an email address').optional(),
  CMEHUB_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  CMEHUB_PUBLIC_URL: z.url('must be a URL such as https://cme.example.org').optional(),
  CMEHUB_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  CMEHUB_LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(20),
  CMEHUB_LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(300),
  CMEHUB_API_KEY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30_000),
  CMEHUB_ADDRESS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(1200),
  CMEHUB_MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(1024 * 1024 * 1024),
  CMEHUB_MAX_UPLOAD_ROWS: z.coerce.number().int().positive().default(2_000_000),
  CMEHUB_UPLOAD_FILE_DAYS: z.coerce.number().int().min(0, 'must be 0 or more days').default(30),
});

export type Config = {
  port: number;
  host: string;
  /** Absent means the embedded PGlite database under `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  logLevel: (typeof logLevels)[number];
  initialOperator: { email: string; password: string } | null;
  publicUrl: string | null;
  trustProxy: boolean;
  /** Sign-in attempts a minute at one account from one address. */
  loginRateLimitPerMinute: number;
  /** Sign-in attempts a minute from one address, every account together: staff behind one hospital address share it. */
  loginAddressRateLimitPerMinute: number;
  apiKeyRateLimitPerMinute: number;
  /** Requests a minute from one address without an API key: browsers (a hospital's staff may share one) and anonymous callers. */
  addressRateLimitPerMinute: number;
  maxUploadBytes: number;
  maxUploadRows: number;
  /** Days a learner file, and the values its rejected rows keep for their rows to fix, are kept after the upload is done. */
  uploadFileDays: number;
};

export class ConfigError extends Error {}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  if (Boolean(env.CMEHUB_ADMIN_EMAIL) !== Boolean(env.CMEHUB_ADMIN_PASSWORD)) {
    throw new ConfigError(
      'Invalid configuration:\n  CMEHUB_ADMIN_EMAIL and CMEHUB_ADMIN_PASSWORD must be set together',
    );
  }
  return {
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL ?? null,
    dataDir: path.resolve(env.DATA_DIR),
    logLevel: env.LOG_LEVEL,
    initialOperator:
      env.CMEHUB_ADMIN_EMAIL && env.CMEHUB_ADMIN_PASSWORD
        ? { email: env.CMEHUB_ADMIN_EMAIL, password: env.CMEHUB_ADMIN_PASSWORD }
        : null,
    publicUrl: env.CMEHUB_PUBLIC_URL ?? null,
    trustProxy: env.CMEHUB_TRUST_PROXY === 'true',
    loginRateLimitPerMinute: env.CMEHUB_LOGIN_RATE_LIMIT_PER_MINUTE,
    loginAddressRateLimitPerMinute: env.CMEHUB_LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE,
    apiKeyRateLimitPerMinute: env.CMEHUB_API_KEY_RATE_LIMIT_PER_MINUTE,
    addressRateLimitPerMinute: env.CMEHUB_ADDRESS_RATE_LIMIT_PER_MINUTE,
    maxUploadBytes: env.CMEHUB_MAX_UPLOAD_BYTES,
    maxUploadRows: env.CMEHUB_MAX_UPLOAD_ROWS,
    uploadFileDays: env.CMEHUB_UPLOAD_FILE_DAYS,
  };
}

/** The API key `cmehub import --hub` sends, when no key file is named: an organization's, for its uploads. */
export function apiKeyFromEnvironment(): string | undefined {
  return process.env.CMEHUB_API_KEY?.trim() || undefined;
}

/** Settings for tests and tools: defaults, overridden by what the caller gives. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), logLevel: 'silent', ...overrides };
}
