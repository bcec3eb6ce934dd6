import type { RouteObject } from 'react-router-dom';
import { UploadDetailPage } from './UploadDetailPage.tsx';
import { UploadsPage } from './UploadsPage.tsx';

export const uploadsRoutes: RouteObject[] = [
  { index: true, Component: UploadsPage },
  { path: ':uploadId', Component: UploadDetailPage },
];
