import { useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { organizationsApi } from '../../api/organizations.ts';
import { ACCREDITATION_STATUSES, type AccreditationStatus, type Organization } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useForm, type FieldErrors } from '../../components/useForm.ts';
import {
  accreditationStatusLabel,
  accreditationStatusLabels,
  formatDate,
  organizationKindLabels,
} from '../../format.ts';
import { useApi } from '../../hooks/useApi.ts';
import { ApiKeysPanel } from '../organization/ApiKeysPanel.tsx';
import { UsersPanel } from '../organization/UsersPanel.tsx';
import { organizationIdentifier } from './organizationSummary.ts';

export function OrganizationDetailPage() {
  const { organizationId = '' } = useParams();
  const location = useLocation();
  const arrivalNotice = (location.state as { notice?: string } | null)?.notice;
  const organization = useApi((signal) => organizationsApi.get(organizationId, signal), [organizationId]);

  if (organization.loading && !organization.data) {
    return (
      <>
        <PageHeader title="Organization" />
        <Loading label="Loading the organization…" />
      </>
    );
  }
  if (!organization.data) {
    return (
      <>
        <PageHeader title="Organization" subtitle={<Link to="/operator/organizations">Back to organizations</Link>} />
        <ErrorBanner error={organization.error} />
      </>
    );
  }

  const current = organization.data;
  return (
    <>
      <PageHeader
        title={current.name}
        subtitle={<Link to="/operator/organizations">Back to organizations</Link>}
      />
      {arrivalNotice ? <StatusMessage>{arrivalNotice}</StatusMessage> : null}
      <Section title="Details">
        <dl className="details">
          <div>
            <dt>Kind</dt>
            <dd>{organizationKindLabels[current.kind] ?? current.kind}</dd>
          </div>
          <div>
            <dt>Identifier</dt>
            <dd>{organizationIdentifier(current) || '—'}</dd>
          </div>
          {current.kind === 'provider' ? (
            <div>
              <dt>Accreditation</dt>
              <dd>{accreditationStatusLabel(current.accreditationStatus)}</dd>
            </div>
          ) : null}
          <div>
            <dt>Created</dt>
            <dd>{formatDate(current.createdAt)}</dd>
          </div>
        </dl>
        <EditOrganizationForm organization={current} onSaved={organization.setData} />
      </Section>
      <Section title="Users">
        <UsersPanel organization={current} headingLevel={3} />
      </Section>
      <Section title="API keys">
        <ApiKeysPanel organization={current} headingLevel={3} />
      </Section>
    </>
  );
}

const editableFields = ['name', 'accreditationStatus'];

type EditOrganizationFormProps = { organization: Organization; onSaved: (organization: Organization) => void };

function EditOrganizationForm({ organization, onSaved }: EditOrganizationFormProps) {
  const form = useForm({ name: organization.name, accreditationStatus: organization.accreditationStatus ?? '' });
  const [saved, setSaved] = useState(false);
  // A status once recorded can be changed but not cleared.
  const statusRecorded = Boolean(organization.accreditationStatus);
  const isProvider = organization.kind === 'provider';

  function submit(event: FormEvent<HTMLFormElement>) {
    const name = form.values.name.trim();
    const accreditationStatus = form.values.accreditationStatus as AccreditationStatus | '';
    setSaved(false);
    return form.submit(event, {
      check: (): FieldErrors => (name ? {} : { name: 'Enter the organization’s name.' }),
      send: async () => {
        const changes = { name, accreditationStatus: isProvider && accreditationStatus ? accreditationStatus : undefined };
        onSaved(await organizationsApi.update(organization.id, changes));
        setSaved(true);
      },
    });
  }

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate aria-label="Edit organization">
      <ErrorBanner ref={form.errorRef} error={form.error} title="The changes were not saved" fields={editableFields} />
      {saved ? <StatusMessage>Changes saved.</StatusMessage> : null}
      <div className="form__row">
        <TextField label="Name" required {...form.field('name')} />
        {isProvider ? (
          <SelectField
            label="Accreditation status"
            placeholder={statusRecorded ? undefined : 'Not recorded'}
            options={ACCREDITATION_STATUSES.map((status) => ({ value: status, label: accreditationStatusLabels[status] }))}
            {...form.field('accreditationStatus')}
          />
        ) : null}
      </div>
      <FormActions label="Save changes" busyLabel="Saving…" busy={form.submitting} variant="secondary" />
    </form>
  );
}
