import { Link } from 'react-router-dom';
import { organizationsApi } from '../../api/organizations.ts';
import { ORGANIZATION_KINDS, type Organization, type OrganizationKind } from '../../api/types.ts';
import type { Column } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { FilterBar } from '../../components/FilterBar.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { CursorTable } from '../../components/ResultTable.tsx';
import { useUrlFilter } from '../../components/useUrlFilter.ts';
import { accreditationStatusLabel, formatDate, organizationKindLabels } from '../../format.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { organizationIdentifier } from './organizationSummary.ts';

const PAGE_SIZE = 50;
const filterKeys = ['q', 'kind'] as const;

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
  const filter = useUrlFilter(filterKeys);
  const { q, kind } = filter.applied;
  const organizations = useCursorList(
    (cursor, signal) => organizationsApi.list({ q, kind: kind as OrganizationKind | '', limit: PAGE_SIZE, cursor }, signal),
    [filter.key],
  );
  const newOrganization = (
    <Link className="button" to="/operator/organizations/new">
      New organization
    </Link>
  );

  return (
    <>
      <PageHeader
        title="Organizations"
        subtitle="Accredited providers, licensing boards and certifying boards using the hub."
        actions={newOrganization}
      />
      <FilterBar label="Find organizations" filter={filter}>
        <TextField label="Name or identifier" type="search" {...filter.field('q')} />
        <SelectField label="Kind" options={kindOptions} placeholder="All kinds" {...filter.field('kind')} />
      </FilterBar>
      <CursorTable
        caption="Organizations"
        hideCaption
        columns={columns}
        list={organizations}
        rowKey={(organization) => organization.id}
        loadingLabel="Loading organizations…"
        noun="organizations"
        empty={
          filter.filtered ? (
            <EmptyState title="No organizations match">
              <p>Try another name or identifier, or clear the filter.</p>
            </EmptyState>
          ) : (
            <EmptyState title="No organizations yet" action={newOrganization}>
              <p>Providers and boards you create will appear here.</p>
            </EmptyState>
          )
        }
      />
    </>
  );
}
