import { useId, useState, type FormEvent } from 'react';
import { MIN_PASSWORD_LENGTH } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { organizationsApi } from '../../api/organizations.ts';
import type { OrganizationKind, OrganizationUser, Role } from '../../api/types.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { DataTable, type Column } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { Heading, type HeadingLevel } from '../../components/Heading.tsx';
import { Loading } from '../../components/Loading.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { formatDate, formatDateTime, roleLabels, rolesForOrganizationKind } from '../../format.ts';
import { useApi } from '../../hooks/useApi.ts';
import { useMe } from '../../session/SessionContext.tsx';

type UsersPanelProps = {
  organization: { id: string; kind: OrganizationKind; name: string };
  headingLevel: HeadingLevel;
};

/** The people who can sign in for one organization: list, add with a role, remove. */
export function UsersPanel({ organization, headingLevel }: UsersPanelProps) {
  const me = useMe();
  const users = useApi((signal) => organizationsApi.listUsers(organization.id, signal), [organization.id]);
  const [notice, setNotice] = useState<string>();
  const listHeadingId = useId();

  async function remove(user: OrganizationUser) {
    await organizationsApi.removeUser(organization.id, user.id);
    setNotice(`${user.displayName || user.email} can no longer sign in to ${organization.name}.`);
    users.reload();
  }

  const columns: Column<OrganizationUser>[] = [
    { header: 'Name', rowHeader: true, render: (user) => user.displayName || user.email },
    { header: 'Email', render: (user) => user.email },
    { header: 'Role', render: (user) => roleLabels[user.role] ?? user.role },
    { header: 'Added', nowrap: true, render: (user) => formatDate(user.createdAt) },
    { header: 'Last sign-in', nowrap: true, render: (user) => formatDateTime(user.lastLoginAt, 'Never') },
    {
      header: 'Actions',
      render: (user) =>
        user.id === me.user?.id ? (
          <span className="muted">You</span>
        ) : (
          <ConfirmButton
            label="Remove"
            accessibleLabel={`Remove ${user.displayName || user.email}`}
            question={`Remove ${user.displayName || user.email}?`}
            confirmLabel="Remove"
            onConfirm={() => remove(user)}
          />
        ),
    },
  ];

  return (
    <div className="panel-stack">
      <section aria-labelledby={listHeadingId}>
        <Heading level={headingLevel} id={listHeadingId}>
          People with access
        </Heading>
        {notice ? <StatusMessage>{notice}</StatusMessage> : null}
        <ErrorBanner error={users.error} />
        {users.loading && !users.data ? (
          <Loading label="Loading users…" />
        ) : (
          <DataTable
            caption={`Users of ${organization.name}`}
            hideCaption
            columns={columns}
            rows={users.data?.items ?? []}
            rowKey={(user) => user.id}
            empty={
              users.error ? null : (
                <EmptyState title="No users yet">
                  <p>People you add here can sign in and work for {organization.name}.</p>
                </EmptyState>
              )
            }
          />
        )}
      </section>
      <AddUserForm
        organization={organization}
        headingLevel={headingLevel}
        onAdded={(user) => {
          setNotice(`${user.displayName || user.email} was added as ${roleLabels[user.role] ?? user.role}.`);
          users.reload();
        }}
      />
    </div>
  );
}

type AddUserFormProps = {
  organization: { id: string; kind: OrganizationKind };
  headingLevel: HeadingLevel;
  onAdded: (user: OrganizationUser) => void;
};

function AddUserForm({ organization, headingLevel, onAdded }: AddUserFormProps) {
  const roles = rolesForOrganizationKind(organization.kind);
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>(roles.at(-1) ?? 'provider_staff');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const headingId = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!email.trim()) problems.email = 'Enter the person’s email address.';
    if (password.length < MIN_PASSWORD_LENGTH)
      problems.password = `The first password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
    setFieldErrors(problems);
    setError(undefined);
    if (Object.keys(problems).length > 0) return;

    setSaving(true);
    try {
      const user = await organizationsApi.addUser(organization.id, {
        email: email.trim(),
        password,
        role,
        displayName: displayName.trim() || undefined,
      });
      setEmail('');
      setDisplayName('');
      setPassword('');
      onAdded(user);
    } catch (failure) {
      if (failure instanceof ApiError) setFieldErrors(failure.fieldErrors());
      setError(failure);
    } finally {
      setSaving(false);
    }
  }

  return (
    <section aria-labelledby={headingId}>
      <Heading level={headingLevel} id={headingId}>
        Add a person
      </Heading>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorBanner error={error} title="The person was not added" fields={['email', 'displayName', 'role', 'password']} />
        <div className="form__row">
          <TextField
            label="Email"
            type="email"
            autoComplete="off"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            error={fieldErrors.email}
          />
          <TextField
            label="Name"
            optional
            hint="As it should appear in the hub, for example Dana Reyes."
            autoComplete="off"
            value={displayName}
            onChange={(event) => setDisplayName(event.target.value)}
            error={fieldErrors.displayName}
          />
        </div>
        <div className="form__row">
          <SelectField
            label="Role"
            required
            options={roles.map((value) => ({ value, label: roleLabels[value] }))}
            value={role}
            onChange={(event) => setRole(event.target.value as Role)}
            error={fieldErrors.role}
          />
          <TextField
            label="First password"
            type="password"
            autoComplete="new-password"
            required
            hint={`At least ${MIN_PASSWORD_LENGTH} characters. Give it to the person privately; they can change it after signing in.`}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={fieldErrors.password}
          />
        </div>
        <div className="form__actions">
          <button type="submit" className="button" disabled={saving}>
            {saving ? 'Adding…' : 'Add person'}
          </button>
        </div>
      </form>
    </section>
  );
}
