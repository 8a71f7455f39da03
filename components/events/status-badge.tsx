import { getTranslations } from 'next-intl/server';
import type { EventDto } from '@/lib/events/schemas';
import { Badge } from '@/components/ui/badge';

const tones = { published: 'green', draft: 'slate', cancelled: 'red' } as const;

export async function StatusBadge({ status }: { status: EventDto['status'] }) {
  const t = await getTranslations('events.status');
  return (
    <Badge tone={tones[status]} testId="event-status">
      {t(status)}
    </Badge>
  );
}
