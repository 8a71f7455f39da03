'use client';
// The scanner on a door device's phone (/door/:id#device=evd_…): the token
// comes from the link's fragment once, is kept in the phone's storage and
// taken out of the address bar, and every snapshot and scans request carries
// it (`Authorization: Bearer evd_…`). Without a token, the page says how to
// get one. Offline it works as the organiser's scanner does.
import { useTranslations } from 'next-intl';
import { useEffect, useMemo, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { DEVICE_FRAGMENT_KEY, doorScannerPath } from '@/lib/checkin/schemas';
import type { ScannerAuth } from './scan-sender';
import { Scanner } from './scanner';
import { storedDeviceToken, storeDeviceToken } from './scanner-store';

/** The token in `#device=evd_…`, or null. */
function tokenFromFragment(): string | null {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const token = fragment.get(DEVICE_FRAGMENT_KEY);
  return token?.startsWith('evd_') ? token : null;
}

export function DoorScanner({ eventId }: { eventId: string }) {
  const t = useTranslations('checkin.door');
  const [token, setToken] = useState<string | null | undefined>(undefined);

  useEffect(() => {
    let live = true;
    (async () => {
      const given = tokenFromFragment();
      if (given) {
        await storeDeviceToken(eventId, given);
        // Out of the address bar, the history and any screenshot of the page.
        window.history.replaceState(null, '', doorScannerPath(eventId));
      }
      const kept = given ?? (await storedDeviceToken(eventId));
      if (live) setToken(kept);
    })();
    return () => {
      live = false;
    };
  }, [eventId]);

  const auth = useMemo<ScannerAuth | null>(() => (token ? { kind: 'device', token } : null), [token]);

  if (token === undefined) return <div data-testid="door-loading" className="min-h-40" />;
  if (!auth) {
    return (
      <Alert tone="warning" title={t('noTokenTitle')} testId="door-no-token">
        {t('noTokenBody')}
      </Alert>
    );
  }
  return <Scanner eventId={eventId} auth={auth} scope={doorScannerPath(eventId)} />;
}
