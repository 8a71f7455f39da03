// One HTTP POST of a signed message to an address checked beforehand
// (lib/webhooks/address.ts): the connection goes to that address, never to
// a second DNS answer, while the Host header and TLS name stay the URL's.
// No redirects are followed; no answer (headers) within the timeout fails.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Target } from './address';

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
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}
