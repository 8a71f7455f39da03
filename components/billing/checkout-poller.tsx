'use client';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useEffect } from 'react';
import { apiCall } from '@/lib/actions/api-client';
import { apiRoute } from '@/lib/api-routes';

const INTERVAL_MS = 2_000;
const GIVE_UP_MS = 10 * 60_000;

/**
 * While a checkout is open, asks for its status every 2 s (for 10 minutes at
 * most) and re-renders the page once the webhook has settled it, so the
 * balance and the history update by themselves.
 */
export function CheckoutPoller({ checkoutId }: { checkoutId: string }) {
  const t = useTranslations('billing');
  const router = useRouter();
  useEffect(() => {
    const started = Date.now();
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const result = await apiCall(apiRoute('GET', '/api/billing/checkouts/[id]'), { params: { id: checkoutId }, signal: abort.signal });
      if (abort.signal.aborted) return;
      if (result.ok && result.data.checkout.status !== 'open') {
        router.refresh();
        return;
      }
      if (Date.now() - started < GIVE_UP_MS) timer = setTimeout(tick, INTERVAL_MS);
    };
    timer = setTimeout(tick, INTERVAL_MS);
    return () => {
      abort.abort();
      if (timer) clearTimeout(timer);
    };
  }, [checkoutId, router]);
  return (
    <p role="status" className="rounded-xl bg-indigo-50 p-4 text-sm text-indigo-900 ring-1 ring-indigo-200" data-testid="checkout-waiting">
      {t('waiting')}
    </p>
  );
}
