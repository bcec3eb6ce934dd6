import type { RouteObject } from 'react-router-dom';
import { BoardCreditsPage } from './BoardCreditsPage.tsx';
import { ClaimReportsPage } from './ClaimReportsPage.tsx';
import { DashboardPage } from './DashboardPage.tsx';
import { ReportDetailPage } from './ReportDetailPage.tsx';
import { ReportLearnerPage } from './ReportLearnerPage.tsx';
import { ReportsPage } from './ReportsPage.tsx';

export const reportsRoutes: RouteObject[] = [
  { index: true, Component: ReportsPage },
  { path: 'new', Component: ReportLearnerPage },
  { path: ':reportId', Component: ReportDetailPage },
  { path: ':reportId/edit', Component: ReportLearnerPage },
];

export const reportingDashboardRoutes: RouteObject[] = [{ index: true, Component: DashboardPage }];

export const licenseeCreditsRoutes: RouteObject[] = [{ index: true, Component: BoardCreditsPage }];

export const claimReportsRoutes: RouteObject[] = [{ index: true, Component: ClaimReportsPage }];
