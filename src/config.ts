import path from 'node:path';
import { z } from 'zod';
import { cutShort, inWords } from './words.ts';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A setting written in digits only, from `least` to `most`: "10MB", "1e6" or "2_000_000" is refused, not read as something else. */
const wholeNumber = (least: number, most = Number.MAX_SAFE_INTEGER) =>
  z.string().trim().regex(/^\d+$/).transform(Number).pipe(z.number().min(least).max(most));

const environmentSchema = z.object({
  PORT: wholeNumber(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//)
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  CMEHUB_ADMIN_EMAIL: z.email().optional(),
  CMEHUB_ADMIN_PASSWORD: z.string().min(12).optional(),
  CMEHUB_PUBLIC_URL: z.url().optional(),
  CMEHUB_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  CMEHUB_LOGIN_RATE_LIMIT_PER_MINUTE: wholeNumber(1).default(20),
  CMEHUB_LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE: wholeNumber(1).default(300),
  CMEHUB_API_KEY_RATE_LIMIT_PER_MINUTE: wholeNumber(1).default(30_000),
  CMEHUB_ADDRESS_RATE_LIMIT_PER_MINUTE: wholeNumber(1).default(1200),
  CMEHUB_MAX_UPLOAD_BYTES: wholeNumber(1).default(1024 * 1024 * 1024),
  CMEHUB_MAX_UPLOAD_ROWS: wholeNumber(1).default(2_000_000),
  CMEHUB_UPLOAD_FILE_DAYS: wholeNumber(0).default(30),
});

type Setting = keyof typeof environmentSchema.shape;

/** What each setting takes, said after its name and the value given when that value will not do. */
const whatEachTakes: Record<Setting, string> = {
  PORT: 'a port is a whole number from 1 to 65535 (or 0, for any free one)',
  HOST: 'an address of this machine to listen on, such as 0.0.0.0 (all of them) or 127.0.0.1',
  DATABASE_URL: 'an address that starts with postgres:// or postgresql://, such as postgres://user:pass@host:5432/db',
  DATA_DIR: 'a folder, such as ./data',
  LOG_LEVEL: `one of ${inWords([...logLevels], 'or')}`,
  CMEHUB_ADMIN_EMAIL: 'an email address',
  CMEHUB_ADMIN_PASSWORD: 'a password of at least 12 characters',
  CMEHUB_PUBLIC_URL: 'the address users reach, such as https://cme.example.org',
  CMEHUB_TRUST_PROXY: 'true or false',
  CMEHUB_LOGIN_RATE_LIMIT_PER_MINUTE: 'a number of sign-in attempts a minute, 1 or more, such as 20',
  CMEHUB_LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE: 'a number of sign-in attempts a minute, 1 or more, such as 300',
  CMEHUB_API_KEY_RATE_LIMIT_PER_MINUTE: 'a number of requests a minute, 1 or more, such as 30000',
  CMEHUB_ADDRESS_RATE_LIMIT_PER_MINUTE: 'a number of requests a minute, 1 or more, such as 1200',
  CMEHUB_MAX_UPLOAD_BYTES: 'a number of bytes, such as 10485760',
  CMEHUB_MAX_UPLOAD_ROWS: 'a number of rows, 1 or more, such as 2000000',
  CMEHUB_UPLOAD_FILE_DAYS: 'a number of days, 0 or more, such as 30',
};

/** Settings whose value may hold a password: named, their value never printed. */
const secretSettings = new Set<Setting>(['DATABASE_URL', 'CMEHUB_ADMIN_PASSWORD']);

/** One line of a refused configuration: "PORT=99999: a port is a whole number from 1 to 65535 (…)". */
function refusedSettingLine(setting: Setting, value: string | undefined): string {
  const given = secretSettings.has(setting) ? ' (its value not shown here)' : `=${cutShort(value ?? '', 100)}`;
  return `  ${setting}${given}: ${whatEachTakes[setting]}`;
}

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
    // A setting is refused once, however many of its checks it failed.
    const refused = new Set(parsed.error.issues.map((issue) => issue.path[0] as Setting));
    const lines = [...refused].map((setting) => refusedSettingLine(setting, environment[setting]));
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
