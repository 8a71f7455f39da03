'use client';
// Door devices on /events/:id/check-in (docs/api.md, "Teams, roles and door
// devices"), for the roles that may manage them: name a phone, then show its
// scanner link once, as a QR code to point the phone's camera at and as a link
// to copy; the list with when each last synced; revoke after a confirmation
// (the phone's next contact forgets the event). Mutations go through the
// ActionController (one Idempotency-Key per attempt), and the page is read
// again after each.
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import type { ResponseOf } from '@/lib/actions/api-responses';
import { apiRoute } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import { DOOR_DEVICE_NAME_MAX, type DoorDeviceDto } from '@/lib/checkin/schemas';
import { SecretOnce } from '@/components/integrations/secret-once';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardDescription, CardTitle } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { DataCell, DataRowHeader, DataTable } from '@/components/ui/data-table';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { RelativeTime } from '@/components/ui/relative-time';
import { useConfirmedAction } from '@/components/ui/use-confirmed-action';
import { useErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';
import { QrSvg } from './qr-svg';

/** `token` and `url` are missing when the answer is a replay (the first one was lost): they are never stored. */
type Created = ResponseOf<'POST', '/api/events/[id]/door-devices'>;

export function DoorDevicesPanel({ eventId, devices }: { eventId: string; devices: DoorDeviceDto[] }) {
  const t = useTranslations('checkin.devices');
  const locale = useLocale();
  const router = useRouter();
  const hydrated = useHydrated();
  const errorText = useErrorText();
  const [name, setName] = useState('');
  const [shown, setShown] = useState<Created | null>(null);

  const [create, createController] = useActionController((body: { name: string }, { correlationId, signal }) =>
    apiCall(apiRoute('POST', '/api/events/[id]/door-devices'), { params: { id: eventId }, body, correlationId, signal }),
  );
  const revoke = useConfirmedAction((device: DoorDeviceDto, { correlationId, signal }) =>
    apiCall(apiRoute('DELETE', '/api/events/[id]/door-devices/[did]'), { params: { id: eventId, did: device.id }, correlationId, signal }),
  );

  useEffect(() => {
    if (create.status !== 'succeeded') return;
    setShown(create.result);
    setName('');
    createController.reset();
    router.refresh();
  }, [create, createController, router]);

  const creating = create.status === 'running';
  const nameError = create.status === 'failed' ? create.error.fieldErrors?.name?.[0] : undefined;
  const otherError = create.status === 'failed' && !nameError ? errorText(create.error) : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    setShown(null);
    void createController.submit({ name });
  }

  return (
    <Card as="section" aria-labelledby="door-devices-heading" className="flex flex-col gap-4" data-testid="door-devices">
      <div>
        <CardTitle id="door-devices-heading">{t('heading')}</CardTitle>
        <CardDescription>{t('description')}</CardDescription>
      </div>
      <form onSubmit={submit} className="flex flex-col gap-3 sm:flex-row sm:items-end" noValidate>
        <Field id="door-device-name" label={t('name')} error={nameError} className="flex-1">
          {(control) => (
            <Input
              {...control}
              value={name}
              maxLength={DOOR_DEVICE_NAME_MAX}
              placeholder={t('namePlaceholder')}
              onChange={(e) => setName(e.target.value)}
              autoComplete="off"
              data-testid="door-device-name"
            />
          )}
        </Field>
        <Button type="submit" busy={creating} disabled={!hydrated || creating} data-testid="door-device-create">
          {t('create')}
        </Button>
      </form>
      {otherError && <Alert tone="error">{otherError}</Alert>}
      {shown && (
        <div className="flex flex-col gap-3 sm:flex-row sm:items-start" data-testid="door-device-created">
          {shown.url && <QrSvg value={shown.url} label={t('qrLabel', { name: shown.device.name })} className="max-w-56 shrink-0 self-center border border-slate-200 sm:self-start" testId="door-device-qr" />}
          <SecretOnce
            title={t('createdTitle', { name: shown.device.name })}
            body={t('createdBody')}
            secret={shown.url}
            lost={{ title: t('lostTitle', { name: shown.device.name }), body: t('lostBody') }}
            doneLabel={t('done')}
            onDone={() => setShown(null)}
            testId="door-device-link"
            fieldLabel={t('linkLabel')}
          />
        </div>
      )}
      {devices.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="door-devices-empty">
          {t('empty')}
        </p>
      ) : (
        <DataTable
          caption={t('heading')}
          labelledBy="door-devices-heading"
          columns={[
            { id: 'name', header: t('colName') },
            { id: 'seen', header: t('colLastSync') },
            { id: 'actions', header: t('colActions'), headerHidden: true },
          ]}
          testId="door-devices-table"
        >
          {devices.map((device) => (
            <tr key={device.id} data-testid="door-device-row" data-device-id={device.id}>
              <DataRowHeader className="break-words">{device.name}</DataRowHeader>
              <DataCell data-testid="door-device-last-sync" label={t('colLastSync')}>
                {device.lastSeenAt ? <RelativeTime at={device.lastSeenAt} locale={locale} /> : t('never')}
              </DataCell>
              <DataCell className="text-right" actions>
                <Button
                  variant="secondary"
                  size="sm"
                  disabled={!hydrated}
                  onClick={(e) => revoke.ask(device, e.currentTarget)}
                  aria-label={`${t('revoke')}: ${device.name}`}
                  data-testid="door-device-revoke"
                >
                  {t('revoke')}
                </Button>
              </DataCell>
            </tr>
          ))}
        </DataTable>
      )}
      <ConfirmDialog
        {...revoke.dialog}
        title={t('revokeTitle')}
        description={t('revokeBody', { name: revoke.target?.name ?? '' })}
        confirmLabel={t('revokeConfirm')}
        cancelLabel={t('keep')}
        testId="revoke-device-dialog"
        confirmTestId="revoke-device-confirm"
        cancelTestId="revoke-device-keep"
      >
        {revoke.error && <Alert tone="error">{revoke.error}</Alert>}
      </ConfirmDialog>
    </Card>
  );
}
