import { methods } from '@/lib/http/methods';
import { reorderQuestions } from '@/lib/questions/questions';
import { reorderQuestionsSchema } from '@/lib/questions/schemas';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/questions/order', {
  PUT: (route) => route
    .body(reorderQuestionsSchema)
    .idempotent()
    .handle(async ({ team, params, body, db }) => {
      const questions = await reorderQuestions(db, { eventId: params.id, teamId: team.id }, body);
      return { status: 200, data: { questions } };
    }),
});
