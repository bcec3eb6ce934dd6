import type { FastifyInstance } from 'fastify';
import type { Hub } from './hub.ts';
import { buildApp } from './http/app.ts';
import { workersFor } from './workers.ts';

export type RunningServer = { app: FastifyInstance; url: string; stop(): Promise<void> };

/** Serves the hub and runs its background workers until stopped. */
export async function startServer(hub: Hub): Promise<RunningServer> {
  const app = await buildApp(hub);
  await app.listen({ port: hub.config.port, host: hub.config.host });
  const workers = workersFor(hub).map((worker) => worker.start(hub));
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : hub.config.port;
  return {
    app,
    url: `http://localhost:${port}`,
    async stop() {
      await Promise.all(workers.map((worker) => worker.stop()));
      await app.close();
      await hub.database.close();
    },
  };
}
