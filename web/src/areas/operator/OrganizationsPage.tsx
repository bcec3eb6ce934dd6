import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { organizationsApi } from '../../api/organizations.ts';
import { ORGANIZATION_KINDS, type Organization, type OrganizationKind } from '../../api/types.ts';
import { DataTable, type Column } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Pager } from '../../components/Pager.tsx';
import { accreditationStatusLabel, formatDate, organizationKindLabels } from '../../format.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { organizationIdentifier } from './organizationSummary.ts';

const PAGE_SIZE = 50;

const kindOptions = ORGANIZATION_KINDS.map((kind) => ({ value: kind, label: organizationKindLabels[kind] }));

const columns: Column<Organization>[] = [
  {
    header: 'Name',
    rowHeader: true,
    render: (organization) => <Link to={`/operator/organizations/${organization.id}`}>{organization.name}</Link>,
  },
  { header: 'Kind', render: (organization) => organizationKindLabels[organization.kind] ?? organization.kind },
  { header: 'Identifier', render: (organization) => organizationIdentifier(organization) || '—' },
  { header: 'Accreditation', render: (organization) => accreditationStatusLabel(organization.accreditationStatus) },
  { header: 'Created', nowrap: true, render: (organization) => formatDate(organization.createdAt) },
];

export function OrganizationsPage() {
  // The filter lives in the address so it survives reloads and the back button.
  const [searchParams, setSearchParams] = useSearchParams();
  const q = searchParams.get('q') ?? '';
  const kind = (searchParams.get('kind') ?? '') as OrganizationKind | '';
  const [draftQuery, setDraftQuery] = useState(q);
  const [draftKind, setDraftKind] = useState(kind);

  const organizations = useCursorList(
    (cursor, signal) => organizationsApi.list({ q, kind, limit: PAGE_SIZE, cursor }, signal),
    [q, kind],
  );

  function applyFilter(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draftQuery.trim()) next.set('q', draftQuery.trim());
    if (draftKind) next.set('kind', draftKind);
    setSearchParams(next);
  }

  const filtered = Boolean(q || kind);

  return (
    <>
      <PageHeader
        title="Organizations"
        subtitle="Accredited providers, licensing boards and certifying boards using the hub."
        actions={
          <Link className="button" to="/operator/organizations/new">
            New organization
          </Link>
        }
      />
      <form className="filter-bar" role="search" aria-label="Find organizations" onSubmit={applyFilter}>
        <TextField
          label="Name or identifier"
          type="search"
          value={draftQuery}
          onChange={(event) => setDraftQuery(event.target.value)}
        />
        <SelectField
          label="Kind"
          options={kindOptions}
          placeholder="All kinds"
          value={draftKind}
          onChange={(event) => setDraftKind(event.target.value as OrganizationKind | '')}
        />
        <div className="filter-bar__actions">
          <button type="submit" className="button">
            Search
          </button>
          {filtered ? (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                setDraftQuery('');
                setDraftKind('');
                setSearchParams(new URLSearchParams());
              }}
            >
              Clear
            </button>
          ) : null}
        </div>
      </form>
      <ErrorBanner error={organizations.error} />
      {organizations.loading ? (
        <Loading label="Loading organizations…" />
      ) : (
        <>
          <DataTable
            caption="Organizations"
            hideCaption
            columns={columns}
            rows={organizations.items}
            rowKey={(organization) => organization.id}
            empty={
              organizations.error ? null : filtered ? (
                <EmptyState title="No organizations match">
                  <p>Try another name or identifier, or clear the filter.</p>
                </EmptyState>
              ) : (
                <EmptyState
                  title="No organizations yet"
                  action={
                    <Link className="button" to="/operator/organizations/new">
                      New organization
                    </Link>
                  }
                >
                  <p>Providers and boards you create will appear here.</p>
                </EmptyState>
              )
            }
          />
          <Pager
            shown={organizations.items.length}
            hasMore={organizations.hasMore}
            loadingMore={organizations.loadingMore}
            onLoadMore={organizations.loadMore}
            noun="organizations"
          />
        </>
      )}
    </>
  );
}
