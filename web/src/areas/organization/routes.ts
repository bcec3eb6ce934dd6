import type { RouteObject } from 'react-router-dom';
import { OwnApiKeysPage, OwnUsersPage } from './OwnOrganizationPages.tsx';

export const usersRoutes: RouteObject[] = [{ index: true, Component: OwnUsersPage }];
export const apiKeysRoutes: RouteObject[] = [{ index: true, Component: OwnApiKeysPage }];
