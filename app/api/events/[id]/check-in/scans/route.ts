import { SCAN_BATCH_BODY_LIMIT_BYTES, scanBatchSchema } from '@/lib/checkin/schemas';
import { recordScanBatch } from '@/lib/checkin/scans';
import { loadedServerKeys } from '@/lib/checkin/signing-key';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { methods } from '@/lib/http/methods';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/check-in/scans', {
  POST: (route) => route
    .body(scanBatchSchema, { limitBytes: SCAN_BATCH_BODY_LIMIT_BYTES })
    // The codes are verified inside the layer's transaction, with the key loaded before it.
    .withServerKeys()
    .idempotent()
    .handle(async ({ team, params, body, db }) => {
      if (!isUuid(params.id)) throw new AppError('NOT_FOUND');
      const result = await recordScanBatch(db, { eventId: params.id, teamId: team.id, batch: body, key: loadedServerKeys().signing });
      return { status: 200, data: result };
    }),
});
