import { creditPacks } from '@/lib/billing/packs';
import { methods } from '@/lib/http/methods';
import { route } from '@/lib/http/route';

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route('GET /api/billing/packs')
    .public()
    .handle(async () => ({ status: 200, data: { packs: creditPacks() } })),
});
