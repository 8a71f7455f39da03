// npm run openapi:check (the lint stage of CI): the OpenAPI document that
// GET /api/openapi.json serves, written from the code without a server to
// .data/openapi.json, linted with Redocly's recommended rules, and turned into
// TypeScript by openapi-typescript, which tsc then compiles together with a few
// reads of it: what an outside client generator makes of the document must
// compile, name every operation and carry its refusals.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openApiDocument } from '../lib/http/openapi';

const root = path.resolve(import.meta.dirname, '..');
const document = path.join(root, '.data/openapi.json');
const generated = path.join(root, '.data/openapi-types');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);
const run = (command: string, args: string[]) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });

mkdirSync(generated, { recursive: true });
writeFileSync(document, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
run(bin('redocly'), ['lint', document, '--format=stylish']);
run(bin('openapi-typescript'), [document, '--output', path.join(generated, 'schema.ts')]);
writeFileSync(
  path.join(generated, 'use.ts'),
  `import type { operations, paths } from './schema';
// A generated client's view: named operations, bodies from the zod schemas, refusals in the envelope.
type Create = operations['createEvent'];
export type Title = NonNullable<Create['requestBody']>['content']['application/json']['title'];
export type Asked = Create['responses'][402]['content']['application/json']['error']['code'];
export type Replayed = paths['/api/events/{id}']['patch']['responses'][412]['content']['application/problem+json']['status'];
export const title: Title = 'A title';
`,
);
run(bin('tsc'), ['--noEmit', '--strict', '--noUncheckedIndexedAccess', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', path.join(generated, 'use.ts')]);
console.log('openapi:check: the document is lint clean and its generated types compile');
