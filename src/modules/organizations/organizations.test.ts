import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demoLogins, demoPassword, login } from '../../../test/helpers.ts';
import type { Session, TestApp } from '../../../test/helpers.ts';

describe('organizations', () => {
  let t: TestApp;
  let operator: Session;
  let coordinator: Session;
  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    operator = await login(t.app, demoLogins.operator, demoPassword);
    coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
  });
  afterAll(() => t.close());

  it('lets the operator create a provider, a licensing board and a certifying board', async () => {
    const provider = await operator.post('/api/v1/organizations', {
      kind: 'provider',
      name: 'Lakeside Medical Society',
      providerId: '4567890',
      accreditationStatus: 'accredited',
    });
    expect(provider.statusCode).toBe(201);
    expect(provider.json()).toMatchObject({ id: expect.any(String), kind: 'provider', providerId: '4567890' });

    const texas = await operator.post('/api/v1/organizations', {
      kind: 'licensing_board',
      name: 'Texas Medical Board',
      jurisdiction: 'TX',
      boardType: 'combined',
    });
    expect(texas.statusCode).toBe(201);

    const floridaDo = await operator.post('/api/v1/organizations', {
      kind: 'licensing_board',
      name: 'Florida Board of Osteopathic Medicine',
      jurisdiction: 'FL',
      boardType: 'DO',
    });
    expect(floridaDo.statusCode).toBe(201);
  });

  it('reports every missing or wrong field at once', async () => {
    const response = await operator.post('/api/v1/organizations', {
      kind: 'licensing_board',
      name: 'Board without a state',
      providerId: '1111111',
    });
    expect(response.statusCode).toBe(422);
    const fields = response.json().problems.map((problem: { field: string }) => problem.field);
    expect(fields).toEqual(expect.arrayContaining(['jurisdiction', 'boardType', 'providerId']));

    const badShape = await operator.post('/api/v1/organizations', { kind: 'provider', name: 'X Y', providerId: '12' });
    expect(badShape.statusCode).toBe(400);
    expect(badShape.json().problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'providerId', message: 'Provider ID must be 7 digits' })]),
    );
  });

  it('knows which states have separate MD and DO boards', async () => {
    const response = await operator.post('/api/v1/organizations', {
      kind: 'licensing_board',
      name: 'Ohio DO board',
      jurisdiction: 'OH',
      boardType: 'DO',
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().problems[0].message).toBe('OH has one board for MDs and DOs: use combined.');
  });

  it('refuses a second organization with the same provider ID', async () => {
    const response = await operator.post('/api/v1/organizations', {
      kind: 'provider',
      name: 'Impostor Academy',
      providerId: '1234567',
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('organization_exists');
  });

  it('lets only the operator create organizations', async () => {
    const response = await coordinator.post('/api/v1/organizations', {
      kind: 'provider',
      name: 'Sneaky Provider',
      providerId: '9999999',
    });
    expect(response.statusCode).toBe(403);
  });

  it('shows the operator every organization and anyone else only their own', async () => {
    const all = await operator.get('/api/v1/organizations?limit=500');
    expect(all.json().items.length).toBeGreaterThan(20);
    const boards = await operator.get('/api/v1/organizations?kind=certifying_board');
    expect(boards.json().items.map((org: { boardCode: string }) => org.boardCode).sort()).toEqual(
      ['ABA', 'ABIM', 'ABOHNS', 'ABOS', 'ABP', 'ABPATH', 'ABPMR', 'ABS', 'ABTS'],
    );
    const own = await coordinator.get('/api/v1/organizations');
    expect(own.json().items).toHaveLength(1);
    expect(own.json().items[0].providerId).toBe('1234567');
  });

  it('pages through organizations with a cursor, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await operator.get(`/api/v1/organizations?limit=7${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...page.items.map((org) => org.id));
      cursor = page.nextCursor;
    } while (cursor);
    const total = (await operator.get('/api/v1/organizations?limit=500')).json().items.length;
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('refuses a cursor with filters other than those it was made with, saying to start again without it', async () => {
    const boards = (await operator.get('/api/v1/organizations?kind=licensing_board&limit=1')).json();
    const next = await operator.get(`/api/v1/organizations?kind=licensing_board&limit=1&cursor=${boards.nextCursor}`);
    expect(next.json().items).toEqual([expect.objectContaining({ kind: 'licensing_board' })]);
    // Every kind, or providers, would have gone on from where the licensing boards stopped.
    for (const filters of ['', 'kind=provider', 'kind=licensing_board&q=Medical']) {
      const refused = await operator.get(`/api/v1/organizations?${filters}&limit=1&cursor=${boards.nextCursor}`);
      expect(refused.statusCode, filters).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'invalid_cursor', detail: expect.stringMatching(/^The cursor belongs to a listing with other filters.*without cursor/) });
    }
  });

  it('lets the operator change and clear an accreditation status', async () => {
    const provider = (await operator.get('/api/v1/organizations?kind=provider&q=Northside')).json().items[0];
    const changed = await operator.patch(`/api/v1/organizations/${provider.id}`, { accreditationStatus: 'probation' });
    expect(changed.json().accreditationStatus).toBe('probation');
    const cleared = await operator.patch(`/api/v1/organizations/${provider.id}`, { accreditationStatus: null });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().accreditationStatus).toBeNull();
  });

  it('answers a garbled cursor with a 400 that says what to do', async () => {
    const response = await operator.get('/api/v1/organizations?cursor=not-a-cursor');
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('invalid_cursor');
  });
});
