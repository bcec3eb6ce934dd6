import { expect } from 'vitest';
import { startUploadWorker } from '../src/modules/uploads/upload-worker.ts';
import type { UploadWorker, UploadWorkerOptions } from '../src/modules/uploads/upload-worker.ts';
import { createTestApp, demoLogins, demoPassword, login, openActivity } from './helpers.ts';
import type { Session, TestApp } from './helpers.ts';

/** Where learner files are sent in tests: a demo hub taking uploads, its provider's coordinator, and an activity of theirs. */
export type UploadScene = { t: TestApp; worker: UploadWorker; coordinator: Session; activityId: string; close(): Promise<void> };

/**
 * A demo hub with an upload worker polling every 50 ms, the demo provider's coordinator logged in, and an
 * activity of theirs open for reporting, named as given.
 */
export async function startUploadScene(
  activity: { title: string; providerActivityId: string },
  workerOptions: Partial<Pick<UploadWorkerOptions, 'chunkSize'>> = {},
): Promise<UploadScene> {
  const t = await createTestApp({ demo: true });
  const worker = startUploadWorker({ db: t.db, config: t.hub.config, databaseKind: t.database.kind, pollMs: 50, ...workerOptions });
  const coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
  const created = await coordinator.post('/api/v1/activities', openActivity(activity));
  expect(created.statusCode, created.body).toBe(201);
  return {
    t,
    worker,
    coordinator,
    activityId: created.json().id,
    async close() {
      await worker.stop();
      await t.close();
    },
  };
}
