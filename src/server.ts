import type { FastifyInstance } from 'fastify';
import { ConfigError } from './config.ts';
import type { Config } from './config.ts';
import type { Hub } from './hub.ts';
import { buildApp } from './http/app.ts';
import { workersFor } from './workers.ts';

/** A port the hub cannot listen on is said as the setting to change, not as an unexpected error. */
function listenFailure(error: unknown, { port, host }: Pick<Config, 'port' | 'host'>): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new ConfigError(`Port ${port} is in use by another program (another hub, perhaps): stop it, or start the hub on another port, such as PORT=${port + 1} npm start.`);
  }
  if (code === 'EACCES') return new ConfigError(`Port ${port} is not this user's to listen on (ports under 1024 need administrator rights): set PORT to 1024 or above.`);
  if (code === 'EADDRNOTAVAIL') return new ConfigError(`HOST ${host} is no address of this machine: set HOST to one of its addresses, or leave it out to listen on all of them.`);
  return error;
}

export type RunningServer = { app: FastifyInstance; url: string; stop(): Promise<void> };

/** Serves the hub and runs its background workers until stopped. */
export async function startServer(hub: Hub): Promise<RunningServer> {
  const app = await buildApp(hub);
  await app.listen({ port: hub.config.port, host: hub.config.host }).catch(async (error: unknown) => {
    await app.close();
    throw listenFailure(error, hub.config);
  });
  const workers = workersFor(hub).map((worker) => worker.start(hub));
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : hub.config.port;
  const url = `http://localhost:${port}`;
  hub.database.servedAt?.(url);
  return {
    app,
    url,
    async stop() {
      await Promise.all(workers.map((worker) => worker.stop()));
      await app.close();
      await hub.database.close();
    },
  };
}
