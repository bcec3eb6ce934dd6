import type { RouteObject } from 'react-router-dom';
import { AuditLogPage } from './AuditLogPage.tsx';
import { NewOrganizationPage } from './NewOrganizationPage.tsx';
import { OperatorHomePage } from './OperatorHomePage.tsx';
import { OrganizationDetailPage } from './OrganizationDetailPage.tsx';
import { OrganizationsPage } from './OrganizationsPage.tsx';

export const operatorHomeRoutes: RouteObject[] = [{ index: true, Component: OperatorHomePage }];

export const organizationsRoutes: RouteObject[] = [
  { index: true, Component: OrganizationsPage },
  { path: 'new', Component: NewOrganizationPage },
  { path: ':organizationId', Component: OrganizationDetailPage },
];

export const auditLogRoutes: RouteObject[] = [{ index: true, Component: AuditLogPage }];
