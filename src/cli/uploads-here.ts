import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Hub } from '../hub.ts';
import { systemContext } from '../http/actor.ts';
import { withdrawalPageRows } from '../modules/uploads/upload-worker.ts';
import { claimWithdrawal } from '../modules/uploads/uploads.repository.ts';
import { createUploadsService } from '../modules/uploads/uploads.service.ts';
import { runWithdrawal } from '../modules/uploads/use-cases/run-withdrawal.ts';
import { providerNamed, writeFileWhole } from './upload-output.ts';
import type { UploadsAccess } from './upload-output.ts';

const context = systemContext('command line');
const leaseMs = 60_000;

/** The uploads on the hub's own database, through the same service as the API, as the operator. */
export function uploadsHere(hub: Hub): UploadsAccess {
  const uploads = createUploadsService({ db: hub.db, config: hub.config });
  return {
    hubOption: '',
    async list({ limit, provider }) {
      const providerOrgId = provider ? (await providerNamed(hub, provider)).id : undefined;
      return (await uploads.list(context, { limit, providerOrgId })).items;
    },
    get: (id) => uploads.get(context, id),
    stop: (id) => uploads.stop(context, id),
    withdraw: async (id, reason) => (await uploads.withdraw(context, id, reason)).upload,
    /** Carried out here, as the server's worker would; when a server already carries it out, followed there. */
    async followWithdrawal(asked, show) {
      const run = randomUUID();
      const claimed = await claimWithdrawal(hub.db, run, leaseMs, asked.id);
      if (claimed) {
        await runWithdrawal({ db: hub.db, run, leaseMs, pageRows: withdrawalPageRows(hub.database.kind), onPage: show }, claimed);
      } else {
        for (let upload = asked; upload.withdrawal?.status === 'withdrawing'; upload = await uploads.get(context, asked.id)) {
          show(upload.withdrawal.reports);
          await sleep(500);
        }
      }
      return uploads.get(context, asked.id);
    },
    async writeFile(upload, kind, format, target) {
      const file = kind === 'receipt' ? await uploads.receiptFile(context, upload.id, format) : await uploads.rowsToFix(context, upload.id, format);
      await writeFileWhole(file.stream, target);
    },
  };
}
