// The upload thread, but dying the first time it starts (as on a fatal error), for the restart test.

import fs from 'node:fs';
import path from 'node:path';
import { workerData } from 'node:worker_threads';
import type { UploadThreadData } from '../upload-thread.ts';

const marker = path.join((workerData as UploadThreadData).config.dataDir, 'upload-thread-died');
if (!fs.existsSync(marker)) {
  fs.writeFileSync(marker, '');
  throw new Error('the upload thread died');
}
await import('../upload-thread.ts');
