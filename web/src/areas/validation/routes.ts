import type { RouteObject } from 'react-router-dom';
import { ValidationPage } from './ValidationPage.tsx';

export const validationRoutes: RouteObject[] = [{ index: true, Component: ValidationPage }];
