import type { RouteObject } from 'react-router-dom';
import { PassportHomePage } from './PassportHomePage.tsx';

export const passportRoutes: RouteObject[] = [{ index: true, Component: PassportHomePage }];
