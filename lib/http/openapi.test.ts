import { describe, expect, it } from 'vitest';
import { openApiDocument, servedOperations } from './openapi';

type Doc = { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; security?: unknown[] }>> };

describe('the OpenAPI document', () => {
  const doc = openApiDocument() as Doc;

  it('has exactly the routes of lib/api-routes.ts, nothing more', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(servedOperations().sort());
  });

  it('describes bodies from the zod schemas the routes validate with', () => {
    expect(doc.openapi).toMatch(/^3\./);
    const body = doc.paths['/api/webhook-endpoints']?.post?.requestBody;
    expect(JSON.stringify(body)).toContain('registration.created');
    expect(JSON.stringify(doc.paths['/api/events']?.post?.requestBody)).toContain('maxParticipants');
    expect(doc.paths['/api/events/{id}']?.patch).toBeDefined();
    // API-key management takes a browser session only; other organiser routes take either.
    expect(doc.paths['/api/api-keys']?.get?.security).toEqual([{ cookieAuth: [] }]);
    expect(doc.paths['/api/webhook-endpoints']?.get?.security).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }]);
  });
});
