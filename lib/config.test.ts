import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, config, parseConfig as parseEnv } from './config';

/** parseConfig of just these variables (a ProcessEnv type insists on NODE_ENV). */
const parseConfig = (env: Record<string, string>) => parseEnv(env as NodeJS.ProcessEnv);

/** Rows `| \`NAME\` | default | … |` of docs/deploy.md's "Environment variables" section. */
function deployTable(): Map<string, string> {
  const text = readFileSync(path.join(import.meta.dirname, '../docs/deploy.md'), 'utf8');
  const section = text.slice(text.indexOf('### Environment variables'));
  const body = section.slice(0, section.indexOf('\n### ', 1));
  const rows = new Map<string, string>();
  for (const line of body.split('\n')) {
    const match = /^\| `([A-Z][A-Z0-9_]*)` \| ([^|]+) \|/.exec(line);
    if (!match?.[1] || !match[2]) continue;
    expect(rows.has(match[1]), `${match[1]} is in the table twice`).toBe(false);
    rows.set(match[1], match[2].trim());
  }
  return rows;
}

describe('docs/deploy.md against lib/config.ts', () => {
  const table = deployTable();
  const defaults = parseConfig({});

  it('names every variable of the schema, and no other', () => {
    expect([...table.keys()].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it.each(CONFIG_VARIABLES)('gives %s the schema’s default', (name) => {
    const written = table.get(name);
    if (written === '–') {
      expect(defaults[name], `${name} has a default in lib/config.ts; the table says none`).toBeUndefined();
      return;
    }
    const raw = written?.replace(/^`(.*)`$/, '$1');
    expect(raw, `${name}: the table's default is not one \`value\``).toMatch(/^[^`]+$/);
    expect(parseConfig({ [name]: raw ?? '' })[name]).toEqual(defaults[name]);
  });
});

describe('parseConfig', () => {
  it('treats empty and unset alike', () => {
    expect(parseConfig({ TRUST_PROXY_HOPS: '', LOG_LEVEL: '  ' })).toEqual(parseConfig({}));
  });

  it('converts units and flags', () => {
    const parsed = parseConfig({ HOLD_MINUTES: '0.5', INSECURE_COOKIES: '1', OUTBOX_WORKER: 'off', APP_ORIGIN: 'https://events.example.com/' });
    expect(parsed.HOLD_MINUTES).toBe(0.5);
    expect(parsed.INSECURE_COOKIES).toBe(true);
    expect(parsed.OUTBOX_WORKER).toBe('off');
    expect(parsed.APP_ORIGIN).toBe('https://events.example.com');
  });

  it.each([
    ['TRUST_PROXY_HOPS', 'two'],
    ['TRUST_PROXY_HOPS', '11'],
    ['API_KEY_RATE_LIMIT', '0'],
    ['INSECURE_COOKIES', 'maybe'],
    ['OUTBOX_WORKER', 'paused'],
    ['APP_ORIGIN', 'events.example.com'],
    ['WEBHOOKS_RETRY_SCHEDULE', '5,0'],
    ['TICKETS_SWEEP_MS', '10'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    const thrown = (() => {
      try {
        parseConfig({ [name]: value });
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe(name);
    expect((thrown as ConfigError).message).toContain(name);
  });
});

describe('the spellings hosts use', () => {
  it.each([
    ['1', true],
    ['true', true],
    ['TRUE', true],
    ['yes', true],
    ['on', true],
    ['0', false],
    ['false', false],
    ['no', false],
    ['off', false],
  ])('a flag set to %s is %s, and so is a job switch', (value, on) => {
    const parsed = parseConfig({ WEBHOOKS_ALLOW_PRIVATE: value, OUTBOX_WORKER: value, DEV_WARMUP: value });
    expect(parsed.WEBHOOKS_ALLOW_PRIVATE).toBe(on);
    expect(parsed.DEV_WARMUP).toBe(on);
    expect(parsed.OUTBOX_WORKER).toBe(on ? 'on' : 'off');
  });

  it('takes any LOG_LEVEL and NODE_ENV (only silent and production change anything)', () => {
    const parsed = parseConfig({ LOG_LEVEL: 'debug', NODE_ENV: 'staging' });
    expect(parsed.LOG_LEVEL).toBe('debug');
    expect(parsed.NODE_ENV).toBe('staging');
  });
});

describe('config()', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('sees a change of process.env on the next call', () => {
    vi.stubEnv('HOLD_MINUTES', '7');
    expect(config().HOLD_MINUTES).toBe(7);
    vi.stubEnv('HOLD_MINUTES', '8');
    expect(config().HOLD_MINUTES).toBe(8);
  });
});
