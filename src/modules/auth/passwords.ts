import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id` of @node-rs/argon2, whose const enum cannot be imported under type stripping. */
const argon2id = 2;

export const minimumPasswordLength = 12;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: argon2id });
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password);
}

/** Failed logins lock the account for a while that doubles with each further failure, up to 15 minutes. */
export function lockoutSeconds(failedCount: number): number {
  const freeAttempts = 5;
  if (failedCount < freeAttempts) return 0;
  return Math.min(15 * 60, 30 * 2 ** (failedCount - freeAttempts));
}
