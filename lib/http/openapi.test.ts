import { describe, expect, it } from 'vitest';
import { openApiDocument, servedOperations } from './openapi';

type Operation = { operationId?: string; requestBody?: unknown; security?: unknown[]; responses: Record<string, { description: string }> };
type Doc = { openapi: string; servers: unknown[]; paths: Record<string, Record<string, Operation>> };

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

  it('names every operation once, so generated clients call them by name', () => {
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(servedOperations().length);
    expect(doc.paths['/api/events']?.post?.operationId).toBe('createEvent');
  });

  it("gives every operation its 4xx answers in the envelope, each naming its codes", () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const refusals = Object.keys(op.responses).filter((status) => /^4\d\d$/.test(status));
        expect(refusals.length, `${method} ${path}`).toBeGreaterThan(0);
      }
    }
    const patch = doc.paths['/api/events/{id}']?.patch?.responses;
    expect(patch?.['412']?.description).toContain('VERSION_CONFLICT');
    expect(patch?.['402']?.description).toContain('CREDIT_CONFIRMATION_REQUIRED');
    expect(JSON.stringify(patch?.['412'])).toContain('#/components/schemas/ErrorEnvelope');
    expect(doc.paths['/api/api-keys']?.get?.responses['403']?.description).toContain('FORBIDDEN_FOR_API_KEY');
    expect(doc.paths['/api/auth/sign-in']?.post?.responses['429']?.description).toContain('RATE_LIMITED');
  });

  it('names a server and expresses null as a type (OpenAPI 3.1), as Redocly\'s recommended rules ask', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers.length).toBeGreaterThan(0);
    expect(JSON.stringify(doc)).not.toContain('"nullable"');
  });
});
