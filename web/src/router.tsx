import { createBrowserRouter } from 'react-router-dom';
import { LoginPage } from './areas/account/LoginPage.tsx';
import { accountRoutes } from './areas/account/routes.ts';
import { areas } from './navigation.ts';
import { AppShell } from './shell/AppShell.tsx';
import { HomeRedirect } from './shell/HomeRedirect.tsx';
import { NotFoundPage } from './shell/NotFoundPage.tsx';
import { RequireSession } from './shell/RequireSession.tsx';
import { RoleGate } from './shell/RoleGate.tsx';

export const router = createBrowserRouter([
  { path: '/login', Component: LoginPage },
  {
    Component: RequireSession,
    children: [
      {
        Component: AppShell,
        children: [
          { index: true, Component: HomeRedirect },
          ...areas.map((area) => ({
            path: area.path,
            element: <RoleGate roles={area.roles} />,
            children: area.routes,
          })),
          { path: '/account', children: accountRoutes },
          { path: '*', Component: NotFoundPage },
        ],
      },
    ],
  },
]);
