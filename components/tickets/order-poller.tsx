'use client';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/** While the payment is being confirmed (the guest came back before the webhook), the page reads the order again every two seconds. */
export function OrderPoller({ active }: { active: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [active, router]);
  return null;
}
