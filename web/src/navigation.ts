// Every area of the app, in navigation order. To add an area: create web/src/areas/<area>/routes.ts exporting
// its routes (relative to the area's path) and add one entry here; the shell builds the menu and the
// router from this list, and only the listed roles can open the area.
import type { RouteObject } from 'react-router-dom';
import type { OrganizationKind, Role } from './api/types.ts';
import { activitiesRoutes } from './areas/activities/routes.ts';
import { boardRoutes } from './areas/board/routes.ts';
import { auditLogRoutes, operatorHomeRoutes, organizationsRoutes } from './areas/operator/routes.ts';
import { apiKeysRoutes, usersRoutes } from './areas/organization/routes.ts';
import { passportRoutes } from './areas/passport/routes.ts';
import { providerRoutes } from './areas/provider/routes.ts';
import { claimReportsRoutes, licenseeCreditsRoutes, reportingDashboardRoutes, reportsRoutes } from './areas/reports/routes.ts';
import { rosterRoutes } from './areas/roster/routes.ts';
import { uploadsRoutes } from './areas/uploads/routes.ts';
import { validationRoutes } from './areas/validation/routes.ts';

export type NavigationArea = {
  /** Absolute path of the area; its routes nest under it. */
  path: string;
  /** The menu label. */
  label: string;
  /** The menu label for an organization of this kind, where it differs (a certifying board has no licensees). */
  labelFor?: Partial<Record<OrganizationKind, string>>;
  /** Who sees the area in the menu and may open it. */
  roles: readonly Role[];
  routes: RouteObject[];
};

const providerRoles = ['provider_admin', 'provider_staff'] as const;
const boardRoles = ['board_admin', 'board_staff'] as const;
const organizationAdminRoles = ['provider_admin', 'board_admin'] as const;

export const areas: readonly NavigationArea[] = [
  { path: '/operator', label: 'Console', roles: ['operator'], routes: operatorHomeRoutes },
  { path: '/operator/organizations', label: 'Organizations', roles: ['operator'], routes: organizationsRoutes },
  { path: '/operator/audit-log', label: 'Audit log', roles: ['operator'], routes: auditLogRoutes },
  { path: '/provider', label: 'Home', roles: providerRoles, routes: providerRoutes },
  { path: '/activities', label: 'Activities', roles: providerRoles, routes: activitiesRoutes },
  { path: '/reports', label: 'Learner reports', roles: providerRoles, routes: reportsRoutes },
  { path: '/uploads', label: 'Uploads', roles: providerRoles, routes: uploadsRoutes },
  { path: '/reports/dashboard', label: 'Reporting dashboard', roles: providerRoles, routes: reportingDashboardRoutes },
  { path: '/validation', label: 'Validate learners', roles: providerRoles, routes: validationRoutes },
  { path: '/board', label: 'Home', roles: boardRoles, routes: boardRoutes },
  { path: '/board/roster', label: 'Roster', roles: boardRoles, routes: rosterRoutes },
  { path: '/board/credits', label: 'Licensee credits', labelFor: { certifying_board: 'MOC credit reported' }, roles: boardRoles, routes: licenseeCreditsRoutes },
  { path: '/passport', label: 'My passport', roles: ['physician'], routes: passportRoutes },
  { path: '/passport/claims', label: 'Reports to claim', roles: ['physician'], routes: claimReportsRoutes },
  { path: '/organization/users', label: 'Users', roles: organizationAdminRoles, routes: usersRoutes },
  { path: '/organization/api-keys', label: 'API keys', roles: organizationAdminRoles, routes: apiKeysRoutes },
];

/** Where a person lands after signing in. */
export const homePaths: Record<Role, string> = {
  operator: '/operator',
  provider_admin: '/provider',
  provider_staff: '/provider',
  board_admin: '/board',
  board_staff: '/board',
  physician: '/passport',
};

export function areasForRole(role: Role): NavigationArea[] {
  return areas.filter((area) => area.roles.includes(role));
}

/**
 * Whether a menu link should light up only on its exact path: true when another area lives beneath it
 * (the console at /operator must not stay current on /operator/organizations).
 */
export function matchesExactly(area: NavigationArea): boolean {
  return areas.some((other) => other !== area && other.path.startsWith(`${area.path}/`));
}
