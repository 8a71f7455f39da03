import { methods } from '@/lib/http/methods';
import { editRegistrationAnswersSchema } from '@/lib/questions/schemas';
import { editAnswersByToken } from '@/lib/registrations/service';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/public/registrations/[token]/answers', {
  PATCH: (route) => route
    .public()
    .body(editRegistrationAnswersSchema)
    .idempotent()
    .handle(async ({ params, body, db }) => {
      const result = await editAnswersByToken(db, params.token, body.answers);
      return { status: 200, data: result, resource: { type: 'registration', id: result.registration.id } };
    }),
});
