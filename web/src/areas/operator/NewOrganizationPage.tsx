import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
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
import { FormActions } from '../../components/FormActions.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useForm } from '../../components/useForm.ts';
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
  const form = useForm<Draft>(emptyDraft);
  const draft = form.values;

  const jurisdictions = useApi((signal) => referenceApi.jurisdictions(signal), []);
  const certifyingBoards = useApi((signal) => referenceApi.certifyingBoards(signal), []);

  function submit(event: FormEvent<HTMLFormElement>) {
    return form.submit(event, {
      check: () => checkDraft(draft),
      send: async () => {
        const organization = await organizationsApi.create(toNewOrganization(draft));
        navigate(`/operator/organizations/${organization.id}`, {
          state: { notice: `${organization.name} was created. Add its first administrator below.` },
        });
      },
    });
  }

  return (
    <>
      <PageHeader
        title="New organization"
        subtitle={<Link to="/operator/organizations">Back to organizations</Link>}
      />
      <form className="form form--narrow" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorBanner ref={form.errorRef} error={form.error} title="The organization was not created" fields={draftFields} />
        <SelectField
          label="Kind"
          required
          options={creatableKinds.map((kind) => ({ value: kind, label: organizationKindLabels[kind] }))}
          {...form.field('kind')}
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
              form.setValues((current) => ({
                ...current,
                boardCode: code,
                name: current.name.trim() ? current.name : (board?.name ?? ''),
              }));
            }}
            error={form.fieldErrors.boardCode ?? (certifyingBoards.error ? 'The list of boards could not be loaded.' : undefined)}
          />
        ) : null}

        <TextField
          label="Name"
          required
          autoComplete="organization"
          {...form.field('name')}
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
              {...form.field('providerId')}
            />
            <SelectField
              label="Accreditation status"
              optional
              placeholder="Not recorded"
              options={ACCREDITATION_STATUSES.map((status) => ({ value: status, label: accreditationStatusLabels[status] }))}
              {...form.field('accreditationStatus')}
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
              {...form.field('jurisdiction')}
              error={
                form.fieldErrors.jurisdiction ??
                (jurisdictions.error ? 'The list of jurisdictions could not be loaded.' : undefined)
              }
            />
            <SelectField
              label="Board type"
              required
              placeholder="Choose a board type"
              options={BOARD_TYPES.map((type) => ({ value: type, label: boardTypeLabels[type] }))}
              {...form.field('boardType')}
            />
          </>
        ) : null}

        <FormActions label="Create organization" busyLabel="Creating…" busy={form.submitting}>
          <Link className="button button--secondary" to="/operator/organizations">
            Cancel
          </Link>
        </FormActions>
      </form>
    </>
  );
}
