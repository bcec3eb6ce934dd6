import type { RouteObject } from 'react-router-dom';
import { ProviderHomePage } from './ProviderHomePage.tsx';

export const providerRoutes: RouteObject[] = [{ index: true, Component: ProviderHomePage }];
