import type { RouteObject } from 'react-router-dom';
import { BoardHomePage } from './BoardHomePage.tsx';

export const boardRoutes: RouteObject[] = [{ index: true, Component: BoardHomePage }];
