// The TCP peer of each request, as the Node HTTP server saw it. Next's route
// handlers get a Web Request with no socket, and Next copies the peer into
// X-Forwarded-For only when the client sent none (`??=`), so a client could
// pick its own address. Instead, every request the Node server receives gets
// PEER_HEADER written, overwriting whatever the client sent, through the
// public `http.server.request.start` diagnostics channel (published
// synchronously before the 'request' event; `next start`, `next dev` and
// `npm start` all serve through Node's HTTP server).
//
// The value carries a random per-process secret: a request that arrived
// before the subscription (Next listens before instrumentation has run) can
// hold a client-sent header, and that one is recognised as forged.
import { randomBytes } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { PEER_HEADER, peerSecretSlot } from './client-address';

type RequestStart = { request?: IncomingMessage; socket?: { remoteAddress?: string } };

export function installPeerAddress(): void {
  const slot = peerSecretSlot();
  if (slot.secret) return;
  const secret = randomBytes(18).toString('base64url');
  subscribe('http.server.request.start', (message) => {
    const { request, socket } = message as RequestStart;
    if (!request) return;
    const address = socket?.remoteAddress ?? request.socket?.remoteAddress ?? '';
    request.headers[PEER_HEADER] = `${secret} ${address}`;
  });
  slot.secret = secret;
}
