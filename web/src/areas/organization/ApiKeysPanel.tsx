import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { organizationsApi } from '../../api/organizations.ts';
import type { ApiKey, CreatedApiKey } from '../../api/types.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import type { Column } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { SelectField, TextField, type SelectOption } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { Heading, type HeadingLevel } from '../../components/Heading.tsx';
import { ResultTable } from '../../components/ResultTable.tsx';
import { Section } from '../../components/Section.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useForm, type FieldErrors } from '../../components/useForm.ts';
import { formatDate, formatDateTime } from '../../format.ts';
import { useApi } from '../../hooks/useApi.ts';

type ApiKeysPanelProps = {
  organization: { id: string; name: string; kind: string };
  headingLevel: HeadingLevel;
};

/** The system an organization of this kind most likely connects: a provider's LMS, a board's licensing system. */
function systemWords(kind: string): { system: string; example: string } {
  return kind === 'provider'
    ? { system: 'your learning management system', example: 'LMS export' }
    : kind === 'certifying_board'
      ? { system: 'your certification system', example: 'Certification system sync' }
      : { system: 'your licensing system', example: 'Licensing system sync' };
}

/** The API keys of one organization: list, create (the key is shown once), revoke. */
export function ApiKeysPanel({ organization, headingLevel }: ApiKeysPanelProps) {
  const keys = useApi((signal) => organizationsApi.listApiKeys(organization.id, signal), [organization.id]);
  const [created, setCreated] = useState<CreatedApiKey>();
  const [notice, setNotice] = useState<string>();
  const words = systemWords(organization.kind);

  async function revoke(key: ApiKey) {
    await organizationsApi.revokeApiKey(organization.id, key.id);
    setNotice(`The key “${key.name}” was revoked. Systems using it can no longer reach the hub.`);
    keys.reload();
  }

  const columns: Column<ApiKey>[] = [
    { header: 'Name', rowHeader: true, render: (key) => key.name },
    // The identifier is the part of the key between `cmh_` and the secret, so people can match a key they hold.
    { header: 'Key identifier', render: (key) => <code>{key.prefix}</code> },
    { header: 'Created', nowrap: true, render: (key) => formatDate(key.createdAt) },
    { header: 'Last used', nowrap: true, render: (key) => formatDateTime(key.lastUsedAt, 'Never') },
    { header: 'Expires', nowrap: true, render: (key) => formatDate(key.expiresAt, 'Never') },
    {
      header: 'Status',
      render: (key) => {
        if (key.revokedAt) return <span className="tag tag--muted">Revoked {formatDate(key.revokedAt)}</span>;
        const daysLeft = key.expiresAt ? (Date.parse(key.expiresAt) - Date.now()) / 86_400_000 : null;
        if (daysLeft !== null && daysLeft <= 0) return <span className="tag tag--muted">Expired</span>;
        // Time to create its successor and put it in the system that uses this one.
        if (daysLeft !== null && daysLeft <= expiresSoonDays) {
          const days = Math.ceil(daysLeft);
          return <span className="tag tag--warning">Expires in {days === 1 ? '1 day' : `${days} days`}</span>;
        }
        return <span className="tag tag--ok">Active</span>;
      },
    },
    {
      header: 'Actions',
      render: (key) =>
        key.revokedAt ? null : (
          <ConfirmButton
            label="Revoke"
            accessibleLabel={`Revoke ${key.name}`}
            question={`Revoke “${key.name}”? Systems using it stop working.`}
            confirmLabel="Revoke"
            onConfirm={() => revoke(key)}
          />
        ),
    },
  ];

  return (
    <div className="panel-stack">
      {created ? (
        <NewKeyNotice
          created={created}
          headingLevel={headingLevel}
          onDone={() => setCreated(undefined)}
        />
      ) : null}
      <Section title="Keys" level={headingLevel} divided={false}>
        {notice ? <StatusMessage>{notice}</StatusMessage> : null}
        <ResultTable
          caption={`API keys of ${organization.name}`}
          hideCaption
          columns={columns}
          rows={keys.data?.items ?? []}
          rowKey={(key) => key.id}
          error={keys.error}
          loading={keys.loading && !keys.data}
          loadingLabel="Loading API keys…"
          empty={
            <EmptyState title="No API keys yet">
              <p>
                Create a key for each system that sends data to the hub, such as {words.system}, so
                you can revoke one without stopping the others.
              </p>
            </EmptyState>
          }
        />
      </Section>
      <CreateKeyForm
        organizationId={organization.id}
        example={words.example}
        headingLevel={headingLevel}
        onCreated={(key) => {
          setNotice(undefined);
          setCreated(key);
          keys.reload();
        }}
      />
    </div>
  );
}

type NewKeyNoticeProps = { created: CreatedApiKey; headingLevel: HeadingLevel; onDone: () => void };

function NewKeyNotice({ created, headingLevel, onDone }: NewKeyNoticeProps) {
  const headingId = useId();
  const regionRef = useRef<HTMLElement>(null);

  // The key is what the person came for: take them to it.
  useEffect(() => regionRef.current?.focus(), [created.id]);

  return (
    <section ref={regionRef} className="new-key" aria-labelledby={headingId} tabIndex={-1}>
      <Heading level={headingLevel} id={headingId}>
        Copy your new key now
      </Heading>
      <p>
        This is the only time the hub shows the key “{created.name}”. Copy it into the system that will use it; the
        hub keeps only a fingerprint and cannot show it again. If it is lost, revoke it and create a new one.
        {created.expiresAt ? ` It works until ${formatDate(created.expiresAt)}: create its successor before then.` : null}
      </p>
      <div className="new-key__value">
        <label htmlFor={`${headingId}-key`} className="visually-hidden">
          API key {created.name}
        </label>
        <input
          id={`${headingId}-key`}
          className="input input--code"
          readOnly
          value={created.key}
          onFocus={(event) => event.currentTarget.select()}
        />
        <CopyButton value={created.key} label="Copy key" />
      </div>
      <button type="button" className="button" onClick={onDone}>
        I have copied the key
      </button>
    </section>
  );
}

type CreateKeyFormProps = {
  organizationId: string;
  /** A key's name for the system this organization would connect, as an example. */
  example: string;
  headingLevel: HeadingLevel;
  onCreated: (key: CreatedApiKey) => void;
};

/** A key this close to its expiry says so in the list. */
const expiresSoonDays = 14;

/** How long a new key works: a year unless chosen otherwise, so that a key forgotten in a system stops by itself. */
const keyLifetimes: SelectOption[] = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: '730', label: '2 years' },
  { value: '', label: 'Never (until revoked)' },
];

function CreateKeyForm({ organizationId, example, headingLevel, onCreated }: CreateKeyFormProps) {
  const form = useForm({ name: '', expiresInDays: '365' });

  function submit(event: FormEvent<HTMLFormElement>) {
    const name = form.values.name.trim();
    return form.submit(event, {
      check: (): FieldErrors => (name ? {} : { name: `Name the key after the system that will use it, for example “${example}”.` }),
      send: async () => {
        const days = form.values.expiresInDays;
        const key = await organizationsApi.createApiKey(organizationId, { name, expiresInDays: days ? Number(days) : null });
        form.reset();
        onCreated(key);
      },
    });
  }

  return (
    <Section title="Create a key" level={headingLevel} divided={false}>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorBanner ref={form.errorRef} error={form.error} title="The key was not created" fields={['name', 'expiresInDays']} />
        <TextField
          label="Key name"
          hint={`The system that will use it, for example “${example}”.`}
          required
          autoComplete="off"
          {...form.field('name')}
        />
        <SelectField
          label="Expires after"
          hint="The key stops working then; create a new one before it does."
          options={keyLifetimes}
          {...form.field('expiresInDays')}
        />
        <FormActions label="Create key" busyLabel="Creating…" busy={form.submitting} />
      </form>
    </Section>
  );
}
