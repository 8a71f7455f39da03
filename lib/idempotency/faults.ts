// Fault injection for the reliability suite: a pause between taking the key
// and the operation, so a test can kill the process while it holds the key
// (its advisory lock inside the transaction, or its lease on the leased path).
// Active only when both variables are set; production never sets them.
import { config } from '@/lib/config';

export async function faultAfterClaim(): Promise<void> {
  const { ENABLE_FAULT_INJECTION, FAULT_DELAY_AFTER_CLAIM_MS } = config();
  if (!ENABLE_FAULT_INJECTION || FAULT_DELAY_AFTER_CLAIM_MS <= 0) return;
  await new Promise((resolve) => setTimeout(resolve, FAULT_DELAY_AFTER_CLAIM_MS));
}
