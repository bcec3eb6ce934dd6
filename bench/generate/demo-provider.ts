import type { FastifyInstance } from 'fastify';
import { addDays, hubToday } from '../../src/modules/activities/dates.ts';

type Session = Record<string, string>;

/** The demo provider's coordinator, signed in: the headers that carry the session. */
export async function demoCoordinatorSession(app: FastifyInstance): Promise<Session> {
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: 'coordinator@demo-provider.org', password: 'cmehub-demo-2026' },
  });
  const cookies = Object.fromEntries(login.cookies.map((cookie) => [cookie.name, cookie.value]));
  return {
    cookie: Object.entries(cookies)
      .map(([name, value]) => `${name}=${value}`)
      .join('; '),
    'x-csrf-token': cookies.cmehub_csrf,
  };
}

/** An active in-person course of 2 AMA PRA Category 1 credits, open `daysOpen` days either side of today. */
export async function createCourse(app: FastifyInstance, session: Session, course: { providerActivityId: string; title: string; daysOpen: number }): Promise<string> {
  const today = hubToday();
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/activities',
    headers: session,
    payload: {
      providerActivityId: course.providerActivityId,
      title: course.title,
      type: 'C',
      deliveryMethod: 'in_person',
      location: { city: 'Chicago', state: 'IL', country: 'USA' },
      startDate: addDays(today, -course.daysOpen),
      endDate: addDays(today, course.daysOpen),
      credits: [{ type: 'AMA_PRA_CAT1', amount: 2 }],
      status: 'active',
    },
  });
  if (response.statusCode !== 201) throw new Error(`Could not create an activity: ${response.body}`);
  return response.json().id as string;
}

/** A new API key of the organization, as its system would use it. */
export async function createApiKey(app: FastifyInstance, session: Session, organizationId: string, name: string): Promise<string> {
  const response = await app.inject({ method: 'POST', url: `/api/v1/organizations/${organizationId}/api-keys`, headers: session, payload: { name } });
  if (response.statusCode !== 201) throw new Error(`Could not create an API key: ${response.body}`);
  return response.json().key as string;
}
