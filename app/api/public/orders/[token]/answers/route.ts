import { methods } from '@/lib/http/methods';
import { editOrderAnswersSchema } from '@/lib/questions/schemas';
import { editOrderAnswersByToken } from '@/lib/tickets/guest-orders';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/public/orders/[token]/answers', {
  PATCH: (route) => route
    .public()
    .body(editOrderAnswersSchema)
    .idempotent()
    .handle(async ({ params, body, db }) => {
      const result = await editOrderAnswersByToken(db, params.token, body);
      return { status: 200, data: result };
    }),
});
