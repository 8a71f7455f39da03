import 'server-only';
import { localProvider } from './local-provider';
import type { AuthProvider } from './types';

export type { AuthProvider, AuthUser, CurrentUser, RequestMeta } from './types';

/** The one auth provider of this process, chosen by configuration. */
export function authProvider(): AuthProvider {
  return localProvider;
}
