import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demoLogins, demoPassword, login } from '../../../test/helpers.ts';
import type { Session, TestApp } from '../../../test/helpers.ts';

// Uploads ("API key walk") and the audit log name a key by its name alone: an organization's keys in use each have their own.
describe("an organization's API keys, each known by its name", () => {
  let t: TestApp;
  let coordinator: Session;
  let operator: Session;
  let providerId: string;
  let boardId: string;
  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
    operator = await login(t.app, demoLogins.operator, demoPassword);
    providerId = (await coordinator.get('/api/v1/me')).json().organization.id;
    boardId = (await (await login(t.app, demoLogins.boardAdmin, demoPassword)).get('/api/v1/me')).json().organization.id;
  });
  afterAll(() => t.close());

  const keysNamed = async (organization: string, name: string) =>
    ((await operator.get(`/api/v1/organizations/${organization}/api-keys`)).json().items as { id: string; name: string; revokedAt: string | null }[]).filter(
      (key) => key.name.toLowerCase() === name.toLowerCase(),
    );

  it('refuses a second key of a name in use, in any case, saying to choose another or revoke the first; once it is revoked, the name is free', async () => {
    const first = await coordinator.post(`/api/v1/organizations/${providerId}/api-keys`, { name: 'walk' });
    expect(first.statusCode, first.body).toBe(201);
    for (const name of ['walk', ' Walk ', 'WALK']) {
      const again = await coordinator.post(`/api/v1/organizations/${providerId}/api-keys`, { name });
      expect(again.statusCode, name).toBe(409);
      expect(again.json()).toMatchObject({
        code: 'api_key_name_taken',
        detail: `This organization has a key named "${name.trim()}" already (key identifier ${first.json().prefix}): choose another name, or revoke that key first. Uploads and the audit log name a key by its name, so two of one name could not be told apart.`,
      });
    }
    expect(await keysNamed(providerId, 'walk')).toHaveLength(1);

    // Another organization's key of that name is told apart by its organization.
    expect((await operator.post(`/api/v1/organizations/${boardId}/api-keys`, { name: 'walk' })).statusCode).toBe(201);

    expect((await coordinator.delete(`/api/v1/organizations/${providerId}/api-keys/${first.json().id}`)).statusCode).toBe(204);
    const successor = await coordinator.post(`/api/v1/organizations/${providerId}/api-keys`, { name: 'Walk' });
    expect(successor.statusCode, successor.body).toBe(201);
    expect((await keysNamed(providerId, 'walk')).map((key) => key.revokedAt === null)).toEqual([true, false]);
  });

  it('makes one key of two of the same name asked for at once', async () => {
    const answers = await Promise.all([
      coordinator.post(`/api/v1/organizations/${providerId}/api-keys`, { name: 'nightly' }),
      operator.post(`/api/v1/organizations/${providerId}/api-keys`, { name: 'Nightly' }),
    ]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 409]);
    expect(await keysNamed(providerId, 'nightly')).toHaveLength(1);
  });
});
