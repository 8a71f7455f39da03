/** One JSON object per line on stdout/stderr: what log collectors ingest. */
export function logLine(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  if (level === 'info' && process.env.LOG_LEVEL === 'silent') return;
  const line = JSON.stringify({ level, msg, time: new Date().toISOString(), ...fields });
  if (level === 'error') console.error(line);
  else console.log(line);
}
