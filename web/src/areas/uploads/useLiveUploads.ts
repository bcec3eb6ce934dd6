import { useEffect, useState } from 'react';
import { isInProgress } from './UploadStatus.tsx';
import { uploadsApi, type Upload } from './uploadsApi.ts';

const pollMs = 2000;

/**
 * The uploads of a list, those still being taken in or withdrawn looked at again every two seconds until
 * they are done, so that the list's status and counts move as the detail page's do.
 */
export function useLiveUploads(items: Upload[]): Upload[] {
  const [looked, setLooked] = useState<ReadonlyMap<string, Upload>>(new Map());
  const [looks, setLooks] = useState(0);
  const current = items.map((upload) => looked.get(upload.id) ?? upload);
  const inProgress = current
    .filter(isInProgress)
    .map((upload) => upload.id)
    .join(',');

  useEffect(() => {
    if (!inProgress) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      Promise.all(inProgress.split(',').map((id) => uploadsApi.get(id, controller.signal)))
        .then((uploads) => setLooked((before) => new Map([...before, ...uploads.map((upload) => [upload.id, upload] as const)])))
        // A look that fails is tried again at the next one.
        .catch(() => undefined)
        .finally(() => {
          if (!controller.signal.aborted) setLooks((count) => count + 1);
        });
    }, pollMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [inProgress, looks]);

  return current;
}
