import { creditPacks } from '@/lib/billing/packs';
import { methods } from '@/lib/http/methods';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/billing/packs', {
  GET: (route) => route
    .public()
    .handle(async () => ({ status: 200, data: { packs: creditPacks() } })),
});
