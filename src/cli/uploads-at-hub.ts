import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { uuidSchema } from '../http/common.schemas.ts';
import { count } from '../modules/uploads/upload-lines.ts';
import type { UploadView } from '../modules/uploads/uploads.schemas.ts';
import type { OrganizationView } from '../modules/organizations/organizations.schemas.ts';
import { CliError } from './cli-error.ts';
import { followAtHub, leaveProviderOut, lookRequest } from './hub-client.ts';
import type { HubClient } from './hub-client.ts';
import { noSuchProvider, writeFileWhole } from './upload-output.ts';
import type { UploadsAccess } from './upload-output.ts';

/** One upload, by its id; or the list, of one provider or not. */
type WhatWasAsked = { upload: string } | { provider: string | undefined };

/** Who an API key is, as `GET /api/v1/me` says. */
type KeyOwner = { apiKey?: { name: string }; organization: OrganizationView | null };

const organizationKinds: Record<OrganizationView['kind'], string> = {
  operator: "the hub's operator",
  provider: 'a provider',
  licensing_board: 'a licensing board',
  certifying_board: 'a certifying board',
};

/** A provider id the API would refuse for its form (not 7 digits, nor an organization id), refused as it is here. */
export function checkProviderId(id: string): void {
  if (!/^\d{7}$/.test(id) && !uuidSchema.safeParse(id).success) throw noSuchProvider(id);
}

/**
 * The uploads at a running hub, through its API, as the API key's organization sees them: a provider's own, or,
 * with an operator's key, every provider's.
 */
export function uploadsAtHub(hub: HubClient): UploadsAccess {
  const hubOption = ` --hub ${hub.origin}`;

  /**
   * Why the hub does not show this key an upload (404, as it answers for another organization's) or a list of
   * them (403): said with whose key it is, since the usual cause is a script given another organization's key.
   */
  async function notShown(answer: Response, about: WhatWasAsked): Promise<Error> {
    const said = await hub.refusal(answer);
    const me = await hub.request('api/v1/me');
    if (!me.ok) return said;
    const owner = await hub.json<KeyOwner>(me);
    const organization = owner.organization;
    if (!organization) return said;
    const key = owner.apiKey ? `the API key "${owner.apiKey.name}"` : 'the API key';
    if (organization.kind !== 'provider' && organization.kind !== 'operator') {
      return new CliError(
        `Uploads are shown to the provider that sent them (and the hub's operators): ${key} belongs to ${organization.name}, ${organizationKinds[organization.kind]}. ` +
          "Use a key of that provider (its admin creates one on the organization's page, under API keys).",
      );
    }
    if (!('upload' in about)) {
      if (organization.kind !== 'provider' || !about.provider) return said;
      return new CliError(
        `${key[0].toUpperCase()}${key.slice(1)} belongs to ${organization.name} (provider ${organization.providerId}) and lists that provider's uploads only: ${leaveProviderOut}`,
      );
    }
    const id = about.upload;
    if (organization.kind === 'operator') return new CliError(`The hub at ${hub.origin} has no upload ${id}. Check the id: cmehub upload list${hubOption} lists the latest.`);
    return new CliError(
      `The hub at ${hub.origin} has no upload ${id} of ${organization.name} (provider ${organization.providerId}), to which ${key} belongs. ` +
        `Check the id (cmehub upload list${hubOption} lists its uploads), or use a key of the provider that sent the file.`,
    );
  }

  /** Why the hub gave no answer to what was asked. */
  const refused = (answer: Response, about: WhatWasAsked) => (answer.status === 403 || answer.status === 404 ? notShown(answer, about) : hub.refusal(answer));

  /** The hub's answer, in JSON, about an upload or the list. */
  async function answerAbout<T>(about: WhatWasAsked, route: string, init?: () => RequestInit): Promise<T> {
    const answer = await hub.request(route, init);
    if (answer.ok) return hub.json<T>(answer);
    throw await refused(answer, about);
  }

  const get = (id: string) => answerAbout<UploadView>({ upload: id }, `api/v1/uploads/${id}`, lookRequest);
  const post = (id: string, action: 'stop' | 'withdraw', body?: object) =>
    answerAbout<UploadView>({ upload: id }, `api/v1/uploads/${id}/${action}`, () => ({
      method: 'POST',
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    }));

  return {
    hubOption,
    async list({ limit, provider }) {
      const query = new URLSearchParams({ limit: String(limit) });
      if (provider) {
        checkProviderId(provider);
        query.set('providerOrgId', provider);
      }
      return (await answerAbout<{ items: UploadView[] }>({ provider }, `api/v1/uploads?${query}`, lookRequest)).items;
    },
    get,
    stop: (id) => post(id, 'stop'),
    withdraw: (id, reason) => post(id, 'withdraw', { reason }),
    followWithdrawal: (asked, show) =>
      followAtHub(asked, {
        look: () => get(asked.id),
        show: (upload) => show(upload.withdrawal?.reports ?? 0),
        done: (upload) => upload.withdrawal?.status !== 'withdrawing',
        interrupted: (upload) =>
          `Interrupted: no longer following the withdrawal of upload ${upload.id} (${count(upload.withdrawal?.reports ?? 0)} reports deleted so far); ` +
          `the hub goes on deleting them. To see how far it is: cmehub upload show ${upload.id}${hubOption}`,
      }),
    async writeFile(upload, kind, format, target) {
      const route = `api/v1/uploads/${upload.id}/${kind === 'receipt' ? 'receipt' : 'rows-to-fix'}?format=${format}`;
      const answer = await hub.request(route);
      if (!answer.ok) throw await refused(answer, { upload: upload.id });
      await writeFileWhole(Readable.fromWeb((await hub.file(answer)) as ReadableStream), target);
    },
  };
}
