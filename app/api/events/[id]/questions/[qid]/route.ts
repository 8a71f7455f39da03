import { methods } from '@/lib/http/methods';
import { deleteQuestion, updateQuestion } from '@/lib/questions/questions';
import { updateQuestionSchema } from '@/lib/questions/schemas';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/questions/[qid]', {
  PATCH: (route) => route
    .body(updateQuestionSchema)
    .idempotent()
    .handle(async ({ team, params, body, db }) => {
      const question = await updateQuestion(db, { eventId: params.id, teamId: team.id, questionId: params.qid }, body);
      return { status: 200, data: { question }, resource: { type: 'question', id: question.id } };
    }),

  DELETE: (route) => route
    .idempotent()
    .handle(async ({ team, params, db }) => {
      await deleteQuestion(db, { eventId: params.id, teamId: team.id, questionId: params.qid });
      return { status: 204, resource: { type: 'question', id: params.qid } };
    }),
});
