import { useState, type FormEvent } from 'react';
import { MIN_PASSWORD_LENGTH } from '../../api/auth.ts';
import { organizationsApi } from '../../api/organizations.ts';
import type { OrganizationKind, OrganizationUser } from '../../api/types.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import type { Column } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import type { HeadingLevel } from '../../components/Heading.tsx';
import { ResultTable } from '../../components/ResultTable.tsx';
import { Section } from '../../components/Section.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useForm, type FieldErrors } from '../../components/useForm.ts';
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
      <Section title="People with access" level={headingLevel} divided={false}>
        {notice ? <StatusMessage>{notice}</StatusMessage> : null}
        <ResultTable
          caption={`Users of ${organization.name}`}
          hideCaption
          columns={columns}
          rows={users.data?.items ?? []}
          rowKey={(user) => user.id}
          error={users.error}
          loading={users.loading && !users.data}
          loadingLabel="Loading users…"
          empty={
            <EmptyState title="No users yet">
              <p>People you add here can sign in and work for {organization.name}.</p>
            </EmptyState>
          }
        />
      </Section>
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
  const form = useForm({ email: '', displayName: '', role: roles.at(-1) ?? 'provider_staff', password: '' });

  function submit(event: FormEvent<HTMLFormElement>) {
    const { email, displayName, role, password } = form.values;
    return form.submit(event, {
      check: () => {
        const problems: FieldErrors = {};
        if (!email.trim()) problems.email = 'Enter the person’s email address.';
        if (password.length < MIN_PASSWORD_LENGTH)
          problems.password = `The first password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
        return problems;
      },
      send: async () => {
        const user = await organizationsApi.addUser(organization.id, {
          email: email.trim(),
          password,
          role,
          displayName: displayName.trim() || undefined,
        });
        form.setValues((current) => ({ ...current, email: '', displayName: '', password: '' }));
        onAdded(user);
      },
    });
  }

  return (
    <Section title="Add a person" level={headingLevel} divided={false}>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorBanner ref={form.errorRef} error={form.error} title="The person was not added" fields={['email', 'displayName', 'role', 'password']} />
        <div className="form__row">
          <TextField label="Email" type="email" autoComplete="off" required {...form.field('email')} />
          <TextField
            label="Name"
            optional
            hint="As it should appear in the hub, for example Dana Reyes."
            autoComplete="off"
            {...form.field('displayName')}
          />
        </div>
        <div className="form__row">
          <SelectField
            label="Role"
            required
            options={roles.map((value) => ({ value, label: roleLabels[value] }))}
            {...form.field('role')}
          />
          <TextField
            label="First password"
            type="password"
            autoComplete="new-password"
            required
            hint={`At least ${MIN_PASSWORD_LENGTH} characters. Give it to the person privately; they can change it after signing in.`}
            {...form.field('password')}
          />
        </div>
        <FormActions label="Add person" busyLabel="Adding…" busy={form.submitting} />
      </form>
    </Section>
  );
}
