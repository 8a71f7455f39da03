// Browser code reaches the API through the route table (apiCall, apiUrl):
// a URL written by hand escapes the compiler's check of its path, its
// parameters and its answer's type.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file) && !/\.test(-d)?\.tsx?$/.test(file))
    .map((file) => path.join(dir, file).split(path.sep).join('/'));
}

describe('browser code', () => {
  const files = [...sources('components'), ...sources('lib/actions')];

  it('builds no API URL by hand', () => {
    const handBuilt = files.flatMap((file) =>
      readFileSync(path.join(root, file), 'utf8')
        .split('\n')
        .flatMap((line, index) => (/[`'"]\/api\//.test(line) && !/apiRoute\(|apiUrl\(|ResponseOf</.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
    );
    expect(handBuilt).toEqual([]);
  });

  it('calls the API through apiCall, which types the answer by its route', () => {
    const raw = files.filter((file) => file !== 'lib/actions/api-client.ts' && /\bapiRequest\b/.test(readFileSync(path.join(root, file), 'utf8')));
    expect(raw).toEqual([]);
  });
});
