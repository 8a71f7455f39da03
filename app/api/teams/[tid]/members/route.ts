import { methods } from '@/lib/http/methods';
import { listMembers } from '@/lib/teams/members';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/teams/[tid]/members', {
  GET: (route) => route.handle(async ({ team, db }) => ({ status: 200, data: await listMembers(db, team.id) })),
});
