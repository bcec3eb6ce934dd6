import fs from 'node:fs';
import path from 'node:path';
import { uploadsDirectory } from '../src/modules/uploads/upload-storage.ts';

/** A part of a multipart form: a text field, or a file when it has a file name. */
export type FormPart = { name: string; content: string | Buffer; fileName?: string };

/** The body and headers of a multipart form of these parts, in this order, as an HTTP client builds it. */
export function formBody(parts: FormPart[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----cmehubform';
  const payload = Buffer.concat([
    ...parts.flatMap((part) => [
      Buffer.from(
        part.fileName === undefined
          ? `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n`
          : `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.from(part.content),
      Buffer.from('\r\n'),
    ]),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The files being received, or kept while a roster loads, in a hub's data directory: to see that a request left none. */
export function incomingFiles(dataDir: string): string[] {
  const incoming = path.join(uploadsDirectory(dataDir), 'incoming');
  return fs.existsSync(incoming) ? fs.readdirSync(incoming) : [];
}
