import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_ROUTES, allApiRoutes, apiRoute, routeLabel, type ApiPath } from '@/lib/api-routes';

const APP = path.join(import.meta.dirname, '..', '..', 'app');

/** Every route.ts under app/api, by the path its folder serves (`/api/events/[id]`). */
function routeFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(path.join(APP, 'api'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name !== 'route.ts') continue;
    const folder = path.relative(APP, entry.parentPath).split(path.sep).join('/');
    files.set(`/${folder}`, path.join(entry.parentPath, entry.name));
  }
  return files;
}

describe('API_ROUTES', () => {
  const files = routeFiles();

  it('has an entry for every route file under app/api, and a route file for every entry', () => {
    expect([...files.keys()].sort()).toEqual(Object.keys(API_ROUTES).sort());
  });

  it('is named by each route file for its own folder, through methods()', () => {
    for (const [apiPath, file] of files) {
      expect(readFileSync(file, 'utf8'), file).toContain(`methods('${apiPath}',`);
    }
  });

  it('spells scopes as docs/api.md does: method, one space, the template with [param] segments', () => {
    expect(routeLabel(apiRoute('POST', '/api/events'))).toBe('POST /api/events');
    expect(routeLabel(apiRoute('PATCH', '/api/events/[id]'))).toBe('PATCH /api/events/[id]');
    for (const endpoint of allApiRoutes()) expect(routeLabel(endpoint)).toMatch(/^(GET|POST|PUT|PATCH|DELETE) \/api(\/[\w.-]+|\/\[(\.\.\.)?\w+\])+$/);
  });

  it('lists each method of a path once', () => {
    for (const apiPath of Object.keys(API_ROUTES) as ApiPath[]) {
      const served: readonly string[] = API_ROUTES[apiPath];
      expect(new Set(served).size, apiPath).toBe(served.length);
    }
  });
});
