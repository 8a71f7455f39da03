// One HTTP POST of a signed message to an address checked beforehand
// (lib/webhooks/address.ts): the connection goes to that address, never to
// a second DNS answer, while the Host header and TLS name stay the URL's.
// No redirects are followed; no answer (headers) within the timeout fails.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { TargetRefused, type Target } from './address';

const TIMEOUT_CODE = 'WEBHOOK_NO_ANSWER';

// Node's own messages name the address it connected to ("connect ECONNREFUSED
// 10.1.2.3:443") and OpenSSL's internals; the organiser reads lastError and the
// logs are shipped elsewhere, so a failure is described by its code, in words
// that name neither (docs/ssot, "Integrations Standard").
const BY_CODE: Record<string, string> = {
  [TIMEOUT_CODE]: 'no answer in time',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'host unreachable',
  ENOTFOUND: 'host does not resolve',
  EAI_AGAIN: 'host does not resolve',
  HPE_INVALID_CONSTANT: 'not an HTTP answer',
};

const BY_PROBLEM: Record<TargetRefused['problem'], string> = {
  webhookUrlHttps: 'URL refused (https only)',
  webhookUrlPrivate: 'not a public address',
  webhookUrlUnresolved: 'host does not resolve',
};

/** TLS and certificate failures: Node's ERR_TLS_*, OpenSSL's ERR_SSL_* and EPROTO, and the certificate verification codes. */
function isTlsFailure(code: string): boolean {
  return /^(ERR_TLS_|ERR_SSL_|EPROTO$|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/.test(code);
}

/** A delivery failure in stable words that name no address and no TLS internals: what lastError and the log say. */
export function describeDeliveryError(error: unknown): string {
  if (error instanceof TargetRefused) return BY_PROBLEM[error.problem];
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : null;
  if (code === null) return 'delivery failed';
  if (isTlsFailure(code)) return 'TLS handshake failed';
  return BY_CODE[code] ?? `delivery failed (${code.replace(/[^A-Z0-9_]/gi, '').slice(0, 40)})`;
}

export async function postTo(target: Target, body: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const request = client.request(
      target.url,
      {
        method: 'POST',
        lookup: pinned,
        agent: false,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'event-app-webhooks/1' },
      },
      (response) => {
        clearTimeout(timer);
        resolve(response.statusCode ?? 0);
        // The answer's body is not read: drop it and the connection.
        response.destroy();
      },
    );
    const timer = setTimeout(() => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: TIMEOUT_CODE })), timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}
