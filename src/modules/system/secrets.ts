import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Executor } from '../../db/database.ts';

export type HubSecrets = {
  /** Signs cookies. */
  cookieSecret: string;
  /** Ed25519 key pair (PEM) that signs transcripts. */
  signingPrivateKey: string;
  signingPublicKey: string;
};

/** Reads the hub's secrets, generating each on first start. They live in the database, never in the repo. */
export async function ensureSecrets(executor: Executor): Promise<HubSecrets> {
  const existing = new Map(
    (await executor.selectFrom('hub_secrets').select(['name', 'value']).execute()).map((row) => [row.name, row.value]),
  );
  const wanted: Record<string, () => string> = {
    cookie_secret: () => randomBytes(32).toString('base64url'),
  };
  const missing = Object.keys(wanted).filter((name) => !existing.has(name));
  if (!existing.has('signing_private_key')) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const generated = {
      signing_private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      signing_public_key: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    await executor.insertInto('hub_secrets').values(Object.entries(generated).map(([name, value]) => ({ name, value }))).onConflict((oc) => oc.column('name').doNothing()).execute();
  }
  if (missing.length) {
    await executor
      .insertInto('hub_secrets')
      .values(missing.map((name) => ({ name, value: wanted[name]() })))
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  }
  const all = new Map(
    (await executor.selectFrom('hub_secrets').select(['name', 'value']).execute()).map((row) => [row.name, row.value]),
  );
  return {
    cookieSecret: all.get('cookie_secret')!,
    signingPrivateKey: all.get('signing_private_key')!,
    signingPublicKey: all.get('signing_public_key')!,
  };
}
