import { afterEach, describe, expect, it } from 'vitest';
import { JOB_NAMES, jobSwitch } from './jobs';

const SWITCHES = ['OUTBOX_WORKER', 'WEBHOOK_WORKER', 'TICKETS_WORKER', 'HOLDS_WORKER', 'REFUNDS_WORKER'];

const onJobs = () => JOB_NAMES.filter((name) => jobSwitch(name).on);

describe('one switch per job', () => {
  afterEach(() => {
    for (const name of SWITCHES) delete process.env[name];
  });

  it('runs every job by default', () => {
    expect(onJobs()).toEqual(['mail', 'webhooks', 'holds', 'refunds']);
  });

  it('OUTBOX_WORKER=off stops mail only', () => {
    process.env.OUTBOX_WORKER = 'off';
    expect(onJobs()).toEqual(['webhooks', 'holds', 'refunds']);
    expect(jobSwitch('mail').variable).toBe('OUTBOX_WORKER');
  });

  it('WEBHOOK_WORKER=off stops webhooks only', () => {
    process.env.WEBHOOK_WORKER = 'off';
    expect(onJobs()).toEqual(['mail', 'holds', 'refunds']);
  });

  it('TICKETS_WORKER=off stops both ticket jobs; HOLDS_WORKER and REFUNDS_WORKER each decide their own', () => {
    process.env.TICKETS_WORKER = 'off';
    expect(onJobs()).toEqual(['mail', 'webhooks']);
    process.env.REFUNDS_WORKER = 'on';
    expect(onJobs()).toEqual(['mail', 'webhooks', 'refunds']);
    expect(jobSwitch('holds')).toEqual({ variable: 'TICKETS_WORKER', on: false });
    delete process.env.TICKETS_WORKER;
    process.env.HOLDS_WORKER = 'off';
    expect(onJobs()).toEqual(['mail', 'webhooks', 'refunds']);
    expect(jobSwitch('holds')).toEqual({ variable: 'HOLDS_WORKER', on: false });
  });
});
