import type { RouteObject } from 'react-router-dom';
import { ChangePasswordPage } from './ChangePasswordPage.tsx';

/** Pages every signed-in person has, whatever their role. */
export const accountRoutes: RouteObject[] = [{ path: 'password', Component: ChangePasswordPage }];
