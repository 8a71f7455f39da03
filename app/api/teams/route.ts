import { methods } from '@/lib/http/methods';
import { createTeamSchema } from '@/lib/teams/schemas';
import { createTeam, listTeams } from '@/lib/teams/teams';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/teams', {
  GET: (route) => route.handle(async ({ user, db }) => ({ status: 200, data: { teams: await listTeams(db, user.id) } })),
  POST: (route) => route
    .body(createTeamSchema)
    .idempotent()
    .handle(async ({ user, body, db }) => {
      const team = await createTeam(db, { userId: user.id, name: body.name });
      return { status: 201, data: { team }, resource: { type: 'team', id: team.id } };
    }),
});
