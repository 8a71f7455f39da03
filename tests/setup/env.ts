import { inject } from 'vitest';

process.env.DATABASE_URL = inject('databaseUrl');
process.env.LOG_LEVEL ??= 'silent';
// Route handlers are called in-process here: no socket, so no peer address.
// Every request says where it came from through one trusted proxy hop instead
// (tests/integration/support.ts gives each a distinct address unless it names one).
process.env.TRUST_PROXY_HOPS ??= '1';
