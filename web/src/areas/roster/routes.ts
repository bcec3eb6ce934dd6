import type { RouteObject } from 'react-router-dom';
import { RosterPage } from './RosterPage.tsx';

export const rosterRoutes: RouteObject[] = [{ index: true, Component: RosterPage }];
