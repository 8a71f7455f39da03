// What the settings page reads, once per request (React cache).
import 'server-only';
import { cache } from 'react';
import { getDb } from '@/lib/db/pool';
import { listEndpoints } from './endpoints';

export const webhookEndpointsOf = cache((teamId: string) => listEndpoints(getDb(), teamId));
