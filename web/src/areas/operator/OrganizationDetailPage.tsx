import { useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client.ts';
import { organizationsApi } from '../../api/organizations.ts';
import { ACCREDITATION_STATUSES, type AccreditationStatus, type Organization } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
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
      <section aria-labelledby="organization-details" className="section">
        <h2 id="organization-details">Details</h2>
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
      </section>
      <section aria-labelledby="organization-users" className="section">
        <h2 id="organization-users">Users</h2>
        <UsersPanel organization={current} headingLevel={3} />
      </section>
      <section aria-labelledby="organization-api-keys" className="section">
        <h2 id="organization-api-keys">API keys</h2>
        <ApiKeysPanel organization={current} headingLevel={3} />
      </section>
    </>
  );
}

const editableFields = ['name', 'accreditationStatus'];

type EditOrganizationFormProps = { organization: Organization; onSaved: (organization: Organization) => void };

function EditOrganizationForm({ organization, onSaved }: EditOrganizationFormProps) {
  const [name, setName] = useState(organization.name);
  const [accreditationStatus, setAccreditationStatus] = useState(organization.accreditationStatus ?? '');
  // A status once recorded can be changed but not cleared.
  const statusRecorded = Boolean(organization.accreditationStatus);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);
  const isProvider = organization.kind === 'provider';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    setError(undefined);
    if (!name.trim()) {
      setFieldErrors({ name: 'Enter the organization’s name.' });
      return;
    }
    setFieldErrors({});
    setSaving(true);
    try {
      const changes = {
        name: name.trim(),
        accreditationStatus: isProvider && accreditationStatus ? (accreditationStatus as AccreditationStatus) : undefined,
      };
      onSaved(await organizationsApi.update(organization.id, changes));
      setSaved(true);
    } catch (failure) {
      if (failure instanceof ApiError) setFieldErrors(failure.fieldErrors());
      setError(failure);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate aria-label="Edit organization">
      <ErrorBanner error={error} title="The changes were not saved" fields={editableFields} />
      {saved ? <StatusMessage>Changes saved.</StatusMessage> : null}
      <div className="form__row">
        <TextField
          label="Name"
          required
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={fieldErrors.name}
        />
        {isProvider ? (
          <SelectField
            label="Accreditation status"
            placeholder={statusRecorded ? undefined : 'Not recorded'}
            options={ACCREDITATION_STATUSES.map((status) => ({ value: status, label: accreditationStatusLabels[status] }))}
            value={accreditationStatus}
            onChange={(event) => setAccreditationStatus(event.target.value)}
            error={fieldErrors.accreditationStatus}
          />
        ) : null}
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--secondary" disabled={saving}>
          {saving ? 'Saving…' : 'Save changes'}
        </button>
      </div>
    </form>
  );
}
