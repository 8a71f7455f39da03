// What became of an attempt whose answer was lost (docs/api.md, "Attempt
// outcomes"): the caller's own record only, a user's or a guest's.
import { z } from '@/lib/zod';
import { AppError } from '@/lib/errors';
import { methods } from '@/lib/http/methods';
import { findOutcome, parseIdempotencyKey } from '@/lib/idempotency';

const outcomeQuerySchema = z.object({
  route: z
    .string({ error: 'required' })
    .regex(/^(POST|PUT|PATCH|DELETE) \/api\/\S{1,200}$/, 'invalid'),
});

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/idempotency/[key]', {
  GET: (route) => route
    .public()
    .query(outcomeQuerySchema)
    .handle(async ({ params, query, principal, db }) => {
      const key = parseIdempotencyKey(params.key);
      if (key === null) throw new AppError('INVALID_IDEMPOTENCY_KEY');
      const record = await findOutcome(db, { principal, route: query.route, key });
      if (!record) throw new AppError('NOT_FOUND');
      return {
        status: 200,
        data: {
          record: {
            status: record.status,
            responseStatus: record.responseStatus,
            resource: record.resource,
            expiresAt: record.expiresAt.toISOString(),
          },
        },
      };
    }),
});
