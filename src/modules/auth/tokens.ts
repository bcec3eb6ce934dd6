import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Session tokens and API keys are long random strings, so a fast hash is enough to store them safely. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const apiKeyPattern = /^cmh_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export function newApiKey(): { key: string; prefix: string } {
  const prefix = randomBytes(9).toString('base64url').replace(/[-_]/g, 'x').slice(0, 12);
  return { key: `cmh_${prefix}_${randomToken(32)}`, prefix };
}

export function apiKeyPrefix(key: string): string | null {
  return apiKeyPattern.exec(key)?.[1] ?? null;
}
