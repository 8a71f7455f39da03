import { AppError } from '@/lib/errors';
import { methods } from '@/lib/http/methods';
import { createQuestion, listQuestions } from '@/lib/questions/questions';
import { createQuestionSchema } from '@/lib/questions/schemas';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/questions', {
  GET: (route) => route.handle(async ({ team, params, db }) => {
    const questions = await listQuestions(db, { eventId: params.id, teamId: team.id });
    if (!questions) throw new AppError('NOT_FOUND');
    return { status: 200, data: { questions } };
  }),

  POST: (route) => route
    .body(createQuestionSchema)
    .idempotent()
    .handle(async ({ team, params, body, db }) => {
      const question = await createQuestion(db, { eventId: params.id, teamId: team.id }, body);
      return { status: 201, data: { question }, resource: { type: 'question', id: question.id } };
    }),
});
