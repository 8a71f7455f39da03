// What server-rendered pages read about an organiser's account, looked up at
// most once per request (React cache) however many components ask.
import 'server-only';
import { cache } from 'react';
import { getOrganiserAccount } from './accounts';
import { getLedger } from './credits';
import { getDb } from '@/lib/db/pool';

export const organiserAccount = cache((userId: string) => getOrganiserAccount(userId));

export const creditLedgerOf = cache((userId: string) => getLedger(getDb(), userId));
