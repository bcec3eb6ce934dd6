import { api, request } from './client.ts';
import type { Me, SessionUser } from './types.ts';

export const authApi = {
  login: (email: string, password: string) =>
    api.post<{ user: SessionUser }>('/api/v1/auth/login', { email, password }),
  logout: () => api.post<void>('/api/v1/auth/logout'),
  changePassword: (currentPassword: string, newPassword: string) =>
    api.post<void>('/api/v1/auth/password', { currentPassword, newPassword }),
  me: () => request<Me>('GET', '/api/v1/me', { announceUnauthorized: false }),
};

/** The hub's minimum password length, checked here too so people learn it before they submit. */
export const MIN_PASSWORD_LENGTH = 12;
