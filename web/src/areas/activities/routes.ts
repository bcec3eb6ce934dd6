import type { RouteObject } from 'react-router-dom';
import { ActivitiesPage } from './ActivitiesPage.tsx';
import { ActivityDetailPage } from './ActivityDetailPage.tsx';
import { ActivityFormPage } from './ActivityFormPage.tsx';
import { ActivityUploadPage } from './ActivityUploadPage.tsx';

export const activitiesRoutes: RouteObject[] = [
  { index: true, Component: ActivitiesPage },
  { path: 'new', Component: ActivityFormPage },
  { path: 'upload', Component: ActivityUploadPage },
  { path: ':activityId', Component: ActivityDetailPage },
  { path: ':activityId/edit', Component: ActivityFormPage },
];
