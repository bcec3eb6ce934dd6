import { randomBytes } from 'node:crypto';

/**
 * A UUID (version 7 layout) that starts with the current time in milliseconds, so that ids created together
 * sit together in a primary-key index: a million-row roster load appends to the index instead of writing
 * all over it.
 */
export function timeOrderedId(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
