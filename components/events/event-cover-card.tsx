'use client';
// The organiser's cover image of an event (docs/api.md, "Covers"): choose a
// file and see it at once, then save it (PUT /api/events/:id/cover, the bytes
// as they are, one Idempotency-Key per attempt) or discard it; replace or
// remove a saved one. The
// server re-encodes it (WebP, at most 1600 px wide, no metadata). What the
// browser can check first (type, 5 MB) it says before sending anything;
// while a request runs the buttons are disabled and the preview says so.
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { useTranslations } from 'next-intl';
import { apiCall, type ClientError } from '@/lib/actions/api-client';
import { useActionController } from '@/lib/actions/use-action-controller';
import { tabPersistence } from '@/lib/actions/attempt-persistence';
import { apiRoute, routeLabel } from '@/lib/api-routes';
import type { EventDto } from '@/lib/events/schemas';
import { Alert } from '@/components/ui/alert';
import { AttemptInterrupted } from '@/components/ui/attempt-interrupted';
import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { Spinner } from '@/components/ui/spinner';
import { useErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';

const TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const PUT = apiRoute('PUT', '/api/events/[id]/cover');
const DELETE = apiRoute('DELETE', '/api/events/[id]/cover');
const MAX_BYTES = 5 * 1024 * 1024;

type Cover = Pick<EventDto, 'id' | 'title' | 'coverUrl' | 'coverSize'>;
type Notice = { tone: 'success' | 'error'; text: string } | null;

export function EventCoverCard({ event }: { event: Cover }) {
  const t = useTranslations('cover');
  const router = useRouter();
  const hydrated = useHydrated();
  const input = useRef<HTMLInputElement>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [pending, setPending] = useState<File | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [last, setLast] = useState<'local' | 'upload' | 'remove' | null>(null);
  const errorText = useErrorText((error: ClientError) => (error.code === 'PAYLOAD_TOO_LARGE' ? t('tooLarge') : error.message));

  const [upload, uploader] = useActionController(
    async (file: File, { correlationId, signal }) => {
      const result = await apiCall(PUT, { params: { id: event.id }, body: file, correlationId, signal, timeoutMs: 60_000 });
      // The page's event (its cover, its version) is read again.
      if (result.ok) router.refresh();
      return result;
    },
    // Lost answers are looked up by key (the server may have saved it); a file cannot be kept in the tab, so nothing is resumed after a reload.
    { persistence: tabPersistence<File>(PUT, `${routeLabel(PUT)}:${event.id}`, () => null) },
  );
  const [removal, remover] = useActionController(
    async (_: null, { correlationId, signal }) => {
      const result = await apiCall(DELETE, { params: { id: event.id }, correlationId, signal });
      if (result.ok) router.refresh();
      return result;
    },
    { persistence: tabPersistence<null>(DELETE, `${routeLabel(DELETE)}:${event.id}`, () => null) },
  );
  const busy = upload.status === 'running' || removal.status === 'running';

  // The object URL of a preview is the page's until it is replaced or the card goes.
  useEffect(
    () => () => {
      if (preview) URL.revokeObjectURL(preview);
    },
    [preview],
  );

  function chosen(file: File | undefined) {
    if (input.current) input.current.value = '';
    if (!file) return;
    setLast('local');
    if (!TYPES.includes(file.type)) return setLocalError(t('wrongType'));
    if (file.size > MAX_BYTES) return setLocalError(t('tooLarge'));
    setLocalError(null);
    setLast(null);
    setPending(file);
    setPreview(URL.createObjectURL(file));
  }

  function save() {
    if (!pending) return;
    setLast('upload');
    void uploader.submit(pending);
  }

  function discard() {
    setPending(null);
    setPreview(null);
  }

  function remove() {
    setPending(null);
    setPreview(null);
    setLast('remove');
    void remover.submit(null);
  }

  // What the last thing the organiser did came to: a check in the browser, the upload, or the removal.
  const state = last === 'upload' ? upload : last === 'remove' ? removal : null;
  const notice: Notice =
    last === 'local' && localError
      ? { tone: 'error', text: localError }
      : state?.status === 'succeeded'
        ? { tone: 'success', text: last === 'upload' ? t('saved') : t('removed') }
        : state?.status === 'failed'
          ? { tone: 'error', text: errorText(state.error) }
          : null;
  const failedUpload = last === 'upload' && (upload.status === 'failed' || upload.status === 'interrupted');
  // A chosen file waits for Save; once saved (or refused) the choice is over.
  const choosing = pending !== null && !(last === 'upload' && upload.status !== 'idle');

  // The cover the server has: the last answer's, until the page's data is read again.
  const saved =
    last === 'upload' && upload.status === 'succeeded'
      ? upload.result.event.coverUrl
      : last === 'remove' && removal.status === 'succeeded'
        ? removal.result.event.coverUrl
        : event.coverUrl;
  const uploading = upload.status === 'running';
  const shown = (choosing || uploading) && preview && !failedUpload ? preview : saved;

  return (
    <Card as="section" className="flex flex-col gap-3" aria-labelledby="cover-heading" data-testid="event-cover-card">
      <CardTitle id="cover-heading" size="eyebrow">
        {t('title')}
      </CardTitle>
      {shown ? (
        <div className="relative overflow-hidden rounded-lg bg-slate-100">
          {/* biome-ignore lint/performance/noImgElement: a local preview (blob:) or the already encoded cover. */}
          <img
            src={shown}
            alt={t('alt', { title: event.title })}
            width={event.coverSize?.width ?? 1600}
            height={event.coverSize?.height ?? 800}
            className="aspect-[2/1] w-full object-cover"
            data-testid="event-cover-preview"
          />
          {uploading && (
            <div className="absolute inset-0 flex items-center justify-center gap-2 bg-white/70 text-sm font-medium text-slate-900" data-testid="cover-uploading">
              <Spinner /> {t('uploading')}
            </div>
          )}
        </div>
      ) : (
        <p className="rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-700" data-testid="cover-empty">
          {t('empty')}
        </p>
      )}
      <p className="text-sm text-slate-700" id="cover-hint">
        {t('hint')}
      </p>
      <input
        ref={input}
        type="file"
        accept={TYPES.join(',')}
        className="sr-only"
        tabIndex={-1}
        aria-hidden="true"
        onChange={(e) => chosen(e.target.files?.[0])}
        data-testid="cover-file"
      />
      <div className="flex flex-wrap gap-2">
        {(choosing || uploading) && (
          <>
            <Button size="sm" busy={uploading} disabled={!hydrated || busy} onClick={save} data-testid="cover-save">
              {t('save')}
            </Button>
            <Button variant="secondary" size="sm" disabled={busy} onClick={discard} data-testid="cover-discard">
              {t('discard')}
            </Button>
          </>
        )}
        <Button variant="secondary" size="sm" disabled={!hydrated || busy} aria-describedby="cover-hint" onClick={() => input.current?.click()} data-testid="cover-choose">
          {choosing || saved ? t('replace') : t('choose')}
        </Button>
        {saved && !choosing && (
          <Button variant="secondary" size="sm" busy={removal.status === 'running'} disabled={!hydrated || busy} onClick={remove} data-testid="cover-remove">
            {t('remove')}
          </Button>
        )}
      </div>
      {state?.status === 'interrupted' && (
        <AttemptInterrupted
          onResend={() => void (last === 'upload' ? uploader.resend() : remover.resend())}
          onDiscard={last === 'upload' ? uploader.cancel : remover.cancel}
        />
      )}
      <div aria-live="polite">
        {notice && (
          <Alert tone={notice.tone} testId={notice.tone === 'error' ? 'cover-error' : 'cover-notice'}>
            {notice.text}
          </Alert>
        )}
      </div>
    </Card>
  );
}
