// Fault injection for the reliability suite: a pause between taking the key
// and the operation, so a test can kill the process while it holds the key
// (its advisory lock inside the transaction, or its lease on the leased path).
// Active only when both variables are set; production never sets them.
import { config } from '@/lib/config';

export async function faultAfterClaim(): Promise<void> {
  // config() re-reads every variable to notice a change (about 0.1 ms on this
  // machine), which every first execution would pay; one lookup tells the
  // common case, where the variable is not even set, apart first.
  if (process.env.ENABLE_FAULT_INJECTION === undefined) return;
  const { ENABLE_FAULT_INJECTION, FAULT_DELAY_AFTER_CLAIM_MS } = config();
  if (!ENABLE_FAULT_INJECTION || FAULT_DELAY_AFTER_CLAIM_MS <= 0) return;
  await new Promise((resolve) => setTimeout(resolve, FAULT_DELAY_AFTER_CLAIM_MS));
}
