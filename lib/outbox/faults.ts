// Fault injection for the reliability suite (like lib/idempotency/faults.ts):
// a pause after the SMTP server accepted a message and before the row is
// marked sent, so a test can kill -9 the worker exactly there. Active only
// with ENABLE_FAULT_INJECTION=1; production never sets it.
import { config } from '@/lib/config';

export async function faultAfterSmtpAccept(): Promise<void> {
  const env = config();
  if (!env.ENABLE_FAULT_INJECTION) return;
  const ms = env.FAULT_DELAY_AFTER_SMTP_ACCEPT_MS;
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}
