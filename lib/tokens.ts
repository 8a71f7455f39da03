// Secret tokens handed to people (session cookies, manage links, API keys):
// the database keeps only their SHA-256, so a leaked table opens nothing.
import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The shape of a newToken(): a value of another shape names no row, without asking the database. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The stored form of a secret token: its SHA-256, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
