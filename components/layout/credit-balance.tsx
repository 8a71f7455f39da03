'use client';
import { useEffect, useSyncExternalStore } from 'react';
import { useTranslations } from 'next-intl';
import Link from 'next/link';

// The header's balance outlives client navigations (layouts are not re-rendered),
// so a write that spends a credit publishes the new balance here.
let published: number | null = null;
const listeners = new Set<() => void>();

export function publishCreditBalance(balance: number): void {
  published = balance;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function CreditBalance({ initial }: { initial: number }) {
  const t = useTranslations('header');
  const balance = useSyncExternalStore(subscribe, () => published ?? initial, () => initial);
  return (
    <Link
      href="/billing"
      aria-label={`${t('creditsLabel')}: ${t('credits', { count: balance })}`}
      data-testid="credit-balance"
      data-balance={balance}
      className="inline-flex items-center gap-1.5 rounded-full bg-amber-50 px-3 py-1 text-sm font-medium text-amber-900 ring-1 ring-amber-600/30 ring-inset hover:bg-amber-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
    >
      <span aria-hidden="true">●</span>
      {t('credits', { count: balance })}
    </Link>
  );
}

/**
 * Puts a balance a page has just read on the server into the header (the
 * billing page after a purchase settles: the header's layout is not read again
 * on a client navigation, so without this it kept the balance from before).
 */
export function PublishCreditBalance({ balance }: { balance: number }) {
  useEffect(() => publishCreditBalance(balance), [balance]);
  return null;
}
