// Fault injection for the reliability suite: a pause between taking the key
// and the operation, so a test can kill the process while it holds the key
// (its advisory lock inside the transaction, or its lease on the leased path).
// Active only when both variables are set; production never sets them.
export async function faultAfterClaim(): Promise<void> {
  if (process.env.ENABLE_FAULT_INJECTION !== '1') return;
  const ms = Number(process.env.FAULT_DELAY_AFTER_CLAIM_MS ?? 0);
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}
