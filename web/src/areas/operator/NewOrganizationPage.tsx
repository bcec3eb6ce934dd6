import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError } from '../../api/client.ts';
import { organizationsApi } from '../../api/organizations.ts';
import { referenceApi } from '../../api/reference.ts';
import {
  ACCREDITATION_STATUSES,
  BOARD_TYPES,
  type AccreditationStatus,
  type BoardType,
  type NewOrganization,
} from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { accreditationStatusLabels, organizationKindLabels } from '../../format.ts';
import { useApi } from '../../hooks/useApi.ts';

const creatableKinds = ['provider', 'licensing_board', 'certifying_board'] as const;
type CreatableKind = (typeof creatableKinds)[number];

const boardTypeLabels: Record<BoardType, string> = {
  MD: 'MD (allopathic)',
  DO: 'DO (osteopathic)',
  combined: 'Combined MD and DO',
};

const PROVIDER_ID = /^\d{7}$/;

const draftFields = ['kind', 'name', 'providerId', 'accreditationStatus', 'jurisdiction', 'boardType', 'boardCode'];

type Draft = {
  kind: CreatableKind;
  name: string;
  providerId: string;
  accreditationStatus: AccreditationStatus | '';
  jurisdiction: string;
  boardType: BoardType | '';
  boardCode: string;
};

const emptyDraft: Draft = {
  kind: 'provider',
  name: '',
  providerId: '',
  accreditationStatus: '',
  jurisdiction: '',
  boardType: '',
  boardCode: '',
};

/** What the hub needs for each kind; fields of other kinds are not sent. */
function toNewOrganization(draft: Draft): NewOrganization {
  const name = draft.name.trim();
  switch (draft.kind) {
    case 'provider':
      return {
        kind: 'provider',
        name,
        providerId: draft.providerId.trim(),
        accreditationStatus: draft.accreditationStatus || undefined,
      };
    case 'licensing_board':
      return { kind: 'licensing_board', name, jurisdiction: draft.jurisdiction, boardType: draft.boardType || undefined };
    case 'certifying_board':
      return { kind: 'certifying_board', name, boardCode: draft.boardCode };
  }
}

function checkDraft(draft: Draft): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!draft.name.trim()) problems.name = 'Enter the organization’s name.';
  if (draft.kind === 'provider' && !PROVIDER_ID.test(draft.providerId.trim()))
    problems.providerId = 'The provider ID is 7 digits, for example 1234567.';
  if (draft.kind === 'licensing_board') {
    if (!draft.jurisdiction) problems.jurisdiction = 'Choose the state or territory the board licenses in.';
    if (!draft.boardType) problems.boardType = 'Choose which physicians the board licenses.';
  }
  if (draft.kind === 'certifying_board' && !draft.boardCode) problems.boardCode = 'Choose the certifying board.';
  return problems;
}

export function NewOrganizationPage() {
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const errorRef = useRef<HTMLDivElement>(null);

  const jurisdictions = useApi((signal) => referenceApi.jurisdictions(signal), []);
  const certifyingBoards = useApi((signal) => referenceApi.certifyingBoards(signal), []);

  function update<K extends keyof Draft>(key: K, value: Draft[K]) {
    setDraft((current) => ({ ...current, [key]: value }));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems = checkDraft(draft);
    setFieldErrors(problems);
    setError(undefined);
    if (Object.keys(problems).length > 0) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    setSaving(true);
    try {
      const organization = await organizationsApi.create(toNewOrganization(draft));
      navigate(`/operator/organizations/${organization.id}`, {
        state: { notice: `${organization.name} was created. Add its first administrator below.` },
      });
    } catch (failure) {
      if (failure instanceof ApiError) setFieldErrors(failure.fieldErrors());
      setError(failure);
      setSaving(false);
      requestAnimationFrame(() => errorRef.current?.focus());
    }
  }

  return (
    <>
      <PageHeader
        title="New organization"
        subtitle={<Link to="/operator/organizations">Back to organizations</Link>}
      />
      <form className="form form--narrow" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorBanner ref={errorRef} error={error} title="The organization was not created" fields={draftFields} />
        <SelectField
          label="Kind"
          required
          options={creatableKinds.map((kind) => ({ value: kind, label: organizationKindLabels[kind] }))}
          value={draft.kind}
          onChange={(event) => update('kind', event.target.value as CreatableKind)}
          error={fieldErrors.kind}
        />

        {draft.kind === 'certifying_board' ? (
          <SelectField
            label="Certifying board"
            required
            placeholder="Choose a board"
            options={(certifyingBoards.data?.items ?? []).map((board) => ({
              value: board.code,
              label: `${board.name} (${board.code})`,
            }))}
            value={draft.boardCode}
            onChange={(event) => {
              const code = event.target.value;
              const board = certifyingBoards.data?.items.find((item) => item.code === code);
              setDraft((current) => ({
                ...current,
                boardCode: code,
                name: current.name.trim() ? current.name : (board?.name ?? ''),
              }));
            }}
            error={fieldErrors.boardCode ?? (certifyingBoards.error ? 'The list of boards could not be loaded.' : undefined)}
          />
        ) : null}

        <TextField
          label="Name"
          required
          autoComplete="organization"
          value={draft.name}
          onChange={(event) => update('name', event.target.value)}
          error={fieldErrors.name}
        />

        {draft.kind === 'provider' ? (
          <>
            <TextField
              label="Provider ID"
              required
              hint="The 7-digit ID the accreditor assigned, for example 1234567."
              inputMode="numeric"
              maxLength={7}
              pattern="\d{7}"
              autoComplete="off"
              value={draft.providerId}
              onChange={(event) => update('providerId', event.target.value)}
              error={fieldErrors.providerId}
            />
            <SelectField
              label="Accreditation status"
              optional
              placeholder="Not recorded"
              options={ACCREDITATION_STATUSES.map((status) => ({ value: status, label: accreditationStatusLabels[status] }))}
              value={draft.accreditationStatus}
              onChange={(event) => update('accreditationStatus', event.target.value as AccreditationStatus | '')}
              error={fieldErrors.accreditationStatus}
            />
          </>
        ) : null}

        {draft.kind === 'licensing_board' ? (
          <>
            <SelectField
              label="Jurisdiction"
              required
              placeholder="Choose a state or territory"
              options={(jurisdictions.data?.items ?? []).map((item) => ({
                value: item.code,
                label: `${item.name} (${item.code})`,
              }))}
              value={draft.jurisdiction}
              onChange={(event) => update('jurisdiction', event.target.value)}
              error={
                fieldErrors.jurisdiction ?? (jurisdictions.error ? 'The list of jurisdictions could not be loaded.' : undefined)
              }
            />
            <SelectField
              label="Board type"
              required
              placeholder="Choose a board type"
              options={BOARD_TYPES.map((type) => ({ value: type, label: boardTypeLabels[type] }))}
              value={draft.boardType}
              onChange={(event) => update('boardType', event.target.value as BoardType | '')}
              error={fieldErrors.boardType}
            />
          </>
        ) : null}

        <div className="form__actions">
          <button type="submit" className="button" disabled={saving}>
            {saving ? 'Creating…' : 'Create organization'}
          </button>
          <Link className="button button--secondary" to="/operator/organizations">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}

function focusFirstInvalid(form: HTMLFormElement) {
  requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}
