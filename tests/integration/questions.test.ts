// Questions for guests (docs/api.md, "Questions") on real Postgres through the
// exported route handlers: the organiser's CRUD and versions, each kind's
// checks with the exact fieldErrors path, answers saved with the registration
// or order or not at all (the deferred trigger), the waitlist and a late
// payment carrying them, the guest's edits, the erasure, lists, search, CSV.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { POST as postEvent } from '@/app/api/events/route';
import { GET as listQuestionsRoute, POST as postQuestion } from '@/app/api/events/[id]/questions/route';
import { DELETE as deleteQuestionRoute, PATCH as patchQuestion } from '@/app/api/events/[id]/questions/[qid]/route';
import { PUT as putOrder } from '@/app/api/events/[id]/questions/order/route';
import { GET as listRegistrations } from '@/app/api/events/[id]/registrations/route';
import { GET as registrationsCsv } from '@/app/api/events/[id]/registrations.csv/route';
import { POST as organiserCancel } from '@/app/api/events/[id]/registrations/[rid]/cancel/route';
import { DELETE as erase } from '@/app/api/events/[id]/registrations/[rid]/personal-data/route';
import { GET as getPublicEvent } from '@/app/api/public/events/[slug]/route';
import { POST as postRegistration } from '@/app/api/public/events/[slug]/registrations/route';
import { POST as postOrder } from '@/app/api/public/events/[slug]/orders/route';
import { PATCH as patchRegistrationAnswers } from '@/app/api/public/registrations/[token]/answers/route';
import { PATCH as patchOrderAnswers } from '@/app/api/public/orders/[token]/answers/route';
import { POST as testPay } from '@/app/api/public/orders/[token]/test-pay/route';
import { manualClock, setClock } from '@/lib/clock';
import { closeDb, getDb, getPool } from '@/lib/db/pool';
import { openOrderPayment } from '@/lib/tickets/payments';
import { validEventBody, type EventBody } from '../support/event-body';
import en from '@/lib/i18n/messages/en.json';
import { buildRequest, call, createOrganiser, type Organiser } from './support';
import { ticketedEvent } from './ticket-support';

afterAll(closeDb);
afterEach(() => setClock(undefined));

type Option = { id: string; label: string };
type Question = { id: string; label: string; kind: string; options: Option[]; required: boolean; per: string; ticketTypeIds: string[]; position: number; version: number };
type Answer = { questionId: string; version: number; label: string; value: unknown; text: string | null };
type Registration = { id: string; name: string; email: string; status: string; answers: Answer[] };
type ErrorJson = { error: { code: string; fieldErrors?: Record<string, string[]> } };

const data = <T>(res: { json: Record<string, unknown> | null }): T => (res.json as { data: T }).data;
const errorOf = (res: { json: Record<string, unknown> | null }) => (res.json as unknown as ErrorJson).error;

/** A field's error as the wire carries it: the message of its key, in English (no Accept-Language). */
const m = (key: keyof typeof en.validation) => [en.validation[key]];

let organiser: Organiser;
async function owner(): Promise<Organiser> {
  organiser ??= await createOrganiser();
  return organiser;
}

async function createEvent(overrides: Partial<EventBody> = {}): Promise<{ id: string; slug: string }> {
  const o = await owner();
  const res = await call(postEvent, 'POST', '/api/events', { cookie: o.cookie, key: randomUUID(), body: validEventBody(overrides) });
  expect(res.status, res.text).toBe(201);
  return data<{ event: { id: string; slug: string } }>(res).event;
}

async function ask(eventId: string, body: Record<string, unknown>, cookie?: string): Promise<Question> {
  const res = await call(postQuestion, 'POST', `/api/events/${eventId}/questions`, {
    cookie: cookie ?? (await owner()).cookie,
    key: randomUUID(),
    params: { id: eventId },
    body,
  });
  expect(res.status, res.text).toBe(201);
  return data<{ question: Question }>(res).question;
}

async function edit(eventId: string, qid: string, body: Record<string, unknown>) {
  return call(patchQuestion, 'PATCH', `/api/events/${eventId}/questions/${qid}`, { cookie: (await owner()).cookie, key: randomUUID(), params: { id: eventId, qid }, body });
}

function register(slug: string, body: Record<string, unknown>, key = randomUUID()) {
  return call(postRegistration, 'POST', `/api/public/events/${slug}/registrations`, { key, params: { slug }, body });
}

const guest = (extra: Record<string, unknown> = {}) => ({ name: 'Ann', email: `ann-${randomUUID().slice(0, 8)}@example.com`, ...extra });

async function list(eventId: string, query = ''): Promise<Registration[]> {
  const res = await call(listRegistrations, 'GET', `/api/events/${eventId}/registrations${query}`, { cookie: (await owner()).cookie, params: { id: eventId } });
  expect(res.status, res.text).toBe(200);
  return data<{ registrations: Registration[] }>(res).registrations;
}

/** Runs `statements` in one transaction on its own connection; the error of the commit, if any. */
async function commitError(statements: (client: { query: (text: string, values?: unknown[]) => Promise<unknown> }) => Promise<unknown>): Promise<(Error & { constraint?: string }) | null> {
  const client = await getPool().connect();
  try {
    await client.query('begin');
    await statements(client);
    await client.query('commit');
    return null;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    return error as Error & { constraint?: string };
  } finally {
    client.release();
  }
}

describe('the organiser\'s questions', () => {
  it('creates, versions an edit keeping option ids, reorders and deletes; the public event asks the live ones in order', async () => {
    const event = await createEvent();
    const size = await ask(event.id, { label: 'T-shirt size', kind: 'choice', options: [{ label: 'S' }, { label: 'M' }] });
    expect(size.version).toBe(1);
    expect(size.options.map((o) => o.label)).toEqual(['S', 'M']);
    expect(size.options.every((o) => /^[0-9a-f-]{36}$/.test(o.id))).toBe(true);
    const company = await ask(event.id, { label: 'Company', kind: 'text' });
    expect([size.position, company.position]).toEqual([0, 1]);

    const [small, medium] = size.options;
    const edited = await edit(event.id, size.id, { label: 'Shirt size', options: [{ id: small?.id, label: 'Small' }, { id: medium?.id, label: 'M' }, { label: 'L' }] });
    expect(edited.status, edited.text).toBe(200);
    const v2 = data<{ question: Question }>(edited).question;
    expect(v2.version).toBe(2);
    expect(v2.options.slice(0, 2).map((o) => o.id)).toEqual([small?.id, medium?.id]);
    expect(v2.options[2]?.id).toMatch(/^[0-9a-f-]{36}$/);

    const unknownOption = await edit(event.id, size.id, { options: [{ id: randomUUID(), label: 'X' }] });
    expect(unknownOption.status).toBe(400);
    expect(errorOf(unknownOption).fieldErrors).toEqual({ options: m('questionOptions') });

    const o = await owner();
    const reordered = await call(putOrder, 'PUT', `/api/events/${event.id}/questions/order`, { cookie: o.cookie, key: randomUUID(), params: { id: event.id }, body: { ids: [company.id, size.id] } });
    expect(reordered.status, reordered.text).toBe(200);
    expect(data<{ questions: Question[] }>(reordered).questions.map((q) => q.id)).toEqual([company.id, size.id]);
    const partial = await call(putOrder, 'PUT', `/api/events/${event.id}/questions/order`, { cookie: o.cookie, key: randomUUID(), params: { id: event.id }, body: { ids: [company.id] } });
    expect(partial.status).toBe(400);
    expect(errorOf(partial).fieldErrors).toEqual({ ids: m('questionOrder') });

    const removed = await call(deleteQuestionRoute, 'DELETE', `/api/events/${event.id}/questions/${company.id}`, { cookie: o.cookie, key: randomUUID(), params: { id: event.id, qid: company.id } });
    expect(removed.status).toBe(204);
    const publicEvent = await call(getPublicEvent, 'GET', `/api/public/events/${event.slug}`, { params: { slug: event.slug } });
    expect(data<{ questions: Question[] }>(publicEvent).questions.map((q) => [q.id, q.label])).toEqual([[size.id, 'Shirt size']]);
    const listed = await call(listQuestionsRoute, 'GET', `/api/events/${event.id}/questions`, { cookie: o.cookie, params: { id: event.id } });
    expect(data<{ questions: Question[] }>(listed).questions.map((q) => q.id)).toEqual([size.id]);
  });

  it('refuses a choice without options, options on a text, a ticket type of another event; another organiser gets 404', async () => {
    const event = await createEvent();
    const o = await owner();
    const post = (body: Record<string, unknown>, cookie = o.cookie) =>
      call(postQuestion, 'POST', `/api/events/${event.id}/questions`, { cookie, key: randomUUID(), params: { id: event.id }, body });
    const noOptions = await post({ label: 'Size', kind: 'choice' });
    expect(noOptions.status).toBe(400);
    expect(errorOf(noOptions).fieldErrors).toEqual({ options: m('questionOptions') });
    const textOptions = await post({ label: 'Size', kind: 'text', options: [{ label: 'S' }] });
    expect(errorOf(textOptions).fieldErrors).toEqual({ options: m('questionOptions') });
    const foreignType = await post({ label: 'Size', kind: 'text', ticketTypeIds: [randomUUID()] });
    expect(foreignType.status).toBe(400);
    expect(errorOf(foreignType).fieldErrors).toEqual({ ticketTypeIds: m('questionTicketTypes') });
    const stranger = await createOrganiser();
    expect((await post({ label: 'Size', kind: 'text' }, stranger.cookie)).status).toBe(404);
  });
});

describe('answers with a free registration', () => {
  it('checks every kind, with each error at answers.<questionId>, keeps nothing of a refused one, and stores the text as read', async () => {
    const event = await createEvent();
    const text = await ask(event.id, { label: 'Company', kind: 'text', required: true });
    const long = await ask(event.id, { label: 'About you', kind: 'long_text' });
    const choice = await ask(event.id, { label: 'Size', kind: 'choice', required: true, options: [{ label: 'S' }, { label: 'M' }] });
    const multi = await ask(event.id, { label: 'Diet', kind: 'multi_choice', options: [{ label: 'Vegan' }, { label: 'No nuts' }] });
    const consent = await ask(event.id, { label: 'I agree', kind: 'checkbox', required: true });
    const number = await ask(event.id, { label: 'Age', kind: 'number' });
    const date = await ask(event.id, { label: 'Arrival', kind: 'date' });

    const wrong = await register(event.slug, guest({
      answers: {
        [text.id]: 'x'.repeat(501),
        [long.id]: 'y'.repeat(5001),
        [choice.id]: randomUUID(),
        [multi.id]: [multi.options[0]?.id, 'nope'],
        [consent.id]: false,
        [number.id]: 'twelve',
        [date.id]: '2027-02-30',
        [randomUUID()]: 'stray',
      },
    }));
    expect(wrong.status).toBe(400);
    const fieldErrors = errorOf(wrong).fieldErrors ?? {};
    expect(fieldErrors[`answers.${text.id}`]).toEqual(m('answerTooLong'));
    expect(fieldErrors[`answers.${long.id}`]).toEqual(m('longAnswerTooLong'));
    expect(fieldErrors[`answers.${choice.id}`]).toEqual(m('choice'));
    expect(fieldErrors[`answers.${multi.id}`]).toEqual(m('choice'));
    expect(fieldErrors[`answers.${consent.id}`]).toEqual(m('consent'));
    expect(fieldErrors[`answers.${number.id}`]).toEqual(m('number'));
    expect(fieldErrors[`answers.${date.id}`]).toEqual(m('date'));
    expect(Object.keys(fieldErrors).filter((k) => k.startsWith('answers.')).length).toBe(8);

    const missing = await register(event.slug, guest());
    expect(missing.status).toBe(400);
    expect(errorOf(missing).fieldErrors).toEqual({ [`answers.${text.id}`]: m('required'), [`answers.${choice.id}`]: m('required'), [`answers.${consent.id}`]: m('consent') });
    expect(await list(event.id)).toEqual([]);

    const ok = await register(event.slug, guest({
      answers: {
        [text.id]: '  Acme  ',
        [choice.id]: choice.options[1]?.id,
        [multi.id]: [multi.options[1]?.id, multi.options[0]?.id],
        [consent.id]: true,
        [number.id]: 42,
        [date.id]: '2027-03-01',
        [long.id]: '',
      },
    }));
    expect(ok.status, ok.text).toBe(201);
    const [row] = await list(event.id);
    const byQuestion = new Map(row?.answers.map((a) => [a.questionId, a]));
    expect(byQuestion.get(text.id)).toMatchObject({ value: 'Acme', text: 'Acme', label: 'Company', version: 1 });
    expect(byQuestion.get(choice.id)).toMatchObject({ value: choice.options[1]?.id, text: 'M' });
    expect(byQuestion.get(multi.id)).toMatchObject({ value: [multi.options[0]?.id, multi.options[1]?.id], text: 'Vegan, No nuts' });
    expect(byQuestion.get(consent.id)).toMatchObject({ value: true, text: 'yes' });
    expect(byQuestion.get(number.id)).toMatchObject({ value: 42, text: '42' });
    expect(byQuestion.get(date.id)).toMatchObject({ value: '2027-03-01', text: '2027-03-01' });
    expect(byQuestion.has(long.id)).toBe(false);
  });

  it('a replay answers the same and writes the answers once', async () => {
    const event = await createEvent();
    const q = await ask(event.id, { label: 'Company', kind: 'text', required: true });
    const key = randomUUID();
    const body = guest({ answers: { [q.id]: 'Acme' } });
    const first = await register(event.slug, body, key);
    const again = await register(event.slug, body, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    const { rows } = await getPool().query('select count(*)::int as n from answers where question_id = $1', [q.id]);
    expect(rows[0].n).toBe(1);
  });

  it('an edit of the question keeps the label and option labels answered; the CSV heads with the current label and shows the text as answered', async () => {
    const event = await createEvent();
    const q = await ask(event.id, { label: 'Size', kind: 'choice', options: [{ label: 'Small' }, { label: '=cmd()' }] });
    expect((await register(event.slug, guest({ name: 'Ann', answers: { [q.id]: q.options[0]?.id } }))).status).toBe(201);
    expect((await register(event.slug, guest({ name: 'Bob', answers: { [q.id]: q.options[1]?.id } }))).status).toBe(201);
    const relabelled = await edit(event.id, q.id, { label: 'Shirt', options: [{ id: q.options[0]?.id, label: 'S' }, { id: q.options[1]?.id, label: 'M' }] });
    expect(relabelled.status).toBe(200);
    const rows = await list(event.id);
    expect(rows.map((r) => r.answers[0])).toEqual([
      { questionId: q.id, version: 1, label: 'Size', value: q.options[0]?.id, text: 'Small' },
      { questionId: q.id, version: 1, label: 'Size', value: q.options[1]?.id, text: '=cmd()' },
    ]);
    const csv = await registrationsCsv(buildRequest('GET', `/api/events/${event.id}/registrations.csv`, { cookie: (await owner()).cookie }), {
      params: Promise.resolve({ id: event.id }),
    });
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('id,name,email,status,position,created_at,checked_in_at,cancelled_at,Shirt');
    expect(lines[1]?.endsWith(',Small')).toBe(true);
    // Formula-safe: a cell a spreadsheet would run is prefixed with '.
    expect(lines[2]?.endsWith(",'=cmd()")).toBe(true);
  });

  it('the registration.created webhook carries the answers as given', async () => {
    const o = await createOrganiser();
    const created = await call(postEvent, 'POST', '/api/events', { cookie: o.cookie, key: randomUUID(), body: validEventBody() });
    const event = data<{ event: { id: string; slug: string } }>(created).event;
    const q = await ask(event.id, { label: 'Company', kind: 'text' }, o.cookie);
    await getPool().query(`insert into webhook_endpoints (team_id, url, events, secret) values ($1, 'https://hooks.example.com/q', '{registration.created}', 'whsec_q')`, [o.id]);
    expect((await register(event.slug, guest({ answers: { [q.id]: 'Acme' } }))).status).toBe(201);
    const { rows } = await getPool().query(
      `select d.payload from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id where e.team_id = $1 and d.type = 'registration.created'`,
      [o.id],
    );
    expect(rows.length).toBe(1);
    expect(rows[0].payload.data.registration.answers).toEqual([{ questionId: q.id, version: 1, label: 'Company', value: 'Acme', text: 'Acme' }]);
  });

  it('lists answers in the order the questions are asked now', async () => {
    const event = await createEvent();
    const first = await ask(event.id, { label: 'First', kind: 'text' });
    const second = await ask(event.id, { label: 'Second', kind: 'text' });
    await register(event.slug, guest({ answers: { [second.id]: 'b', [first.id]: 'a' } }));
    expect((await list(event.id))[0]?.answers.map((a) => a.label)).toEqual(['First', 'Second']);
    const o = await owner();
    const reordered = await call(putOrder, 'PUT', `/api/events/${event.id}/questions/order`, { cookie: o.cookie, key: randomUUID(), params: { id: event.id }, body: { ids: [second.id, first.id] } });
    expect(reordered.status).toBe(200);
    expect((await list(event.id))[0]?.answers.map((a) => a.label)).toEqual(['Second', 'First']);
  });

  it('q= finds a registration by the text of its answers', async () => {
    const event = await createEvent();
    const q = await ask(event.id, { label: 'Company', kind: 'text' });
    await register(event.slug, guest({ name: 'Ann', answers: { [q.id]: 'Globex' } }));
    await register(event.slug, guest({ name: 'Bob', answers: { [q.id]: 'Initech' } }));
    expect((await list(event.id, '?q=glob')).map((r) => r.name)).toEqual(['Ann']);
  });
});

describe('the database refuses a confirmed registration without its required answers', () => {
  it('at the commit, whether inserted confirmed or moved to confirmed; an answer in the same transaction satisfies it', async () => {
    const event = await createEvent();
    const q = await ask(event.id, { label: 'Company', kind: 'text', required: true });
    const insert = (client: { query: (text: string, values?: unknown[]) => Promise<unknown> }, id: string, status: string) =>
      client.query(
        `insert into registrations (id, event_id, name, email, status, token_hash, created_at) values ($1, $2, 'Raw', $3, $4, $5, now() + interval '1 second')`,
        [id, event.id, `raw-${id.slice(0, 8)}@example.com`, status, randomUUID()],
      );
    const confirmedWithout = await commitError((client) => insert(client, randomUUID(), 'confirmed'));
    expect(confirmedWithout?.constraint).toBe('registrations_required_answers');

    const waitlisted = randomUUID();
    expect(await commitError((client) => insert(client, waitlisted, 'waitlisted'))).toBeNull();
    const promotedWithout = await commitError(async (client) => {
      await client.query(`update registrations set status = 'confirmed' where id = $1`, [waitlisted]);
    });
    expect(promotedWithout?.constraint).toBe('registrations_required_answers');

    const answered = randomUUID();
    expect(
      await commitError(async (client) => {
        await insert(client, answered, 'confirmed');
        await client.query(`insert into answers (event_id, question_id, version, registration_id, value, text) values ($1, $2, 1, $3, '"Acme"', 'Acme')`, [event.id, q.id, answered]);
      }),
    ).toBeNull();
  });

  it('a question made required after a guest registered does not block that guest\'s promotion; the waitlist promotion carries the answers', async () => {
    const event = await createEvent({ maxParticipants: 1 });
    const q = await ask(event.id, { label: 'Company', kind: 'text', required: true });
    const first = await register(event.slug, guest({ answers: { [q.id]: 'First' } }));
    const second = await register(event.slug, guest({ answers: { [q.id]: 'Second' } }));
    expect(data<{ registration: Registration }>(second).registration.status).toBe('waitlisted');
    const later = await ask(event.id, { label: 'Later', kind: 'text' });
    expect((await edit(event.id, later.id, { required: true })).status).toBe(200);
    const firstId = data<{ registration: Registration }>(first).registration.id;
    const cancelled = await call(organiserCancel, 'POST', `/api/events/${event.id}/registrations/${firstId}/cancel`, {
      cookie: (await owner()).cookie,
      key: randomUUID(),
      params: { id: event.id, rid: firstId },
    });
    expect(cancelled.status, cancelled.text).toBe(200);
    const rows = await list(event.id, '?status=confirmed');
    expect(rows.map((r) => [r.status, r.answers.map((a) => a.text)])).toEqual([['confirmed', ['Second']]]);
  });
});

describe('answers with an order', () => {
  it('asks per-ticket questions of each holder (errors at items.<i>.holders.<j>.answers.<qid>), names the tickets, and a late payment links the answers', async () => {
    const o = await owner();
    const { event, typeIds } = await ticketedEvent(o, [0, 1500]);
    const [freeType, paidType] = typeIds as [string, string];
    const diet = await ask(event.id, { label: 'Diet', kind: 'choice', required: true, per: 'ticket', options: [{ label: 'Vegan' }, { label: 'Any' }] });
    const vat = await ask(event.id, { label: 'VAT number', kind: 'text', required: true, per: 'order', ticketTypeIds: [paidType] });
    const [vegan, any] = diet.options as [Option, Option];
    const order = (body: Record<string, unknown>) => call(postOrder, 'POST', `/api/public/events/${event.slug}/orders`, { key: randomUUID(), params: { slug: event.slug }, body });

    const wrong = await order({
      ...guest(),
      items: [{ ticketTypeId: paidType, quantity: 2, holders: [{ name: 'Ann', answers: { [diet.id]: vegan.id } }, { name: 'Bob', answers: {} }] }],
    });
    expect(wrong.status).toBe(400);
    expect(errorOf(wrong).fieldErrors).toEqual({ [`answers.${vat.id}`]: m('required'), [`items.0.holders.1.answers.${diet.id}`]: m('required') });
    const short = await order({ ...guest(), answers: { [vat.id]: 'DE1' }, items: [{ ticketTypeId: paidType, quantity: 2, holders: [{ name: 'Ann' }] }] });
    expect(errorOf(short).fieldErrors).toEqual({ 'items.0.holders': m('holders') });

    // Free tickets: the VAT question is not asked (it is limited to the paid type).
    const free = await order({ ...guest(), items: [{ ticketTypeId: freeType, quantity: 1, holders: [{ name: 'Cleo', answers: { [diet.id]: any.id } }] }] });
    expect(free.status, free.text).toBe(201);

    const paid = await order({
      ...guest({ name: 'Buyer' }),
      answers: { [vat.id]: 'DE123' },
      items: [{ ticketTypeId: paidType, quantity: 2, holders: [{ name: 'Ann', answers: { [diet.id]: vegan.id } }, { name: 'Bob', answers: { [diet.id]: any.id } }] }],
    });
    expect(paid.status, paid.text).toBe(201);
    const token = data<{ manageUrl: string }>(paid).manageUrl.split('/').pop() ?? '';
    expect(await openOrderPayment(getDb(), token, 'http://localhost:3000')).not.toBeNull();
    const settled = await call(testPay, 'POST', `/api/public/orders/${token}/test-pay`, { key: randomUUID(), params: { token }, body: { outcome: 'paid' } });
    expect(settled.status, settled.text).toBe(200);

    const rows = await list(event.id);
    expect(rows.map((r) => [r.name, r.answers.map((a) => `${a.label}: ${a.text}`)])).toEqual([
      ['Cleo', ['Diet: Any']],
      ['Ann', ['VAT number: DE123', 'Diet: Vegan']],
      ['Bob', ['VAT number: DE123', 'Diet: Any']],
    ]);

    // Erasing a ticket's holder removes the name the order gave for them too, and only theirs.
    const ann = rows[1]?.id ?? '';
    const erased = await call(erase, 'DELETE', `/api/events/${event.id}/registrations/${ann}/personal-data`, { cookie: (await owner()).cookie, key: randomUUID(), params: { id: event.id, rid: ann } });
    expect(erased.status, erased.text).toBe(200);
    const holders = await getPool().query<{ name: string }>(
      'select h.name from ticket_holders h join orders o on o.id = h.order_id where o.event_id = $1 order by h.name',
      [event.id],
    );
    expect(holders.rows.map((h) => h.name)).toEqual(['Bob', 'Cleo']);

    // The guest edits a holder's answer on /o/<token>; the ticket ids come from the list.
    const bob = rows[2]?.id ?? '';
    const edited = await call(patchOrderAnswers, 'PATCH', `/api/public/orders/${token}/answers`, { key: randomUUID(), params: { token }, body: { holders: { [bob]: { [diet.id]: vegan.id } } } });
    expect(edited.status, edited.text).toBe(200);
    expect(data<{ holders: Record<string, Answer[]> }>(edited).holders[bob]?.map((a) => a.text)).toEqual(['Vegan']);
    const badEdit = await call(patchOrderAnswers, 'PATCH', `/api/public/orders/${token}/answers`, { key: randomUUID(), params: { token }, body: { answers: { [vat.id]: '' } } });
    expect(errorOf(badEdit).fieldErrors).toEqual({ [`answers.${vat.id}`]: m('required') });
  });
});

describe('the guest\'s edits and the organiser\'s erasure', () => {
  it('edits answers until the event starts, then REGISTRATION_CLOSED', async () => {
    const event = await createEvent();
    const q = await ask(event.id, { label: 'Company', kind: 'text', required: true });
    const created = await register(event.slug, guest({ answers: { [q.id]: 'Acme' } }));
    const token = data<{ manageUrl: string }>(created).manageUrl.split('/').pop() ?? '';
    const patch = (answers: Record<string, unknown>) =>
      call(patchRegistrationAnswers, 'PATCH', `/api/public/registrations/${token}/answers`, { key: randomUUID(), params: { token }, body: { answers } });
    const cleared = await patch({ [q.id]: '' });
    expect(errorOf(cleared).fieldErrors).toEqual({ [`answers.${q.id}`]: m('required') });
    const edited = await patch({ [q.id]: 'Globex' });
    expect(edited.status, edited.text).toBe(200);
    expect(data<{ answers: Answer[] }>(edited).answers.map((a) => a.text)).toEqual(['Globex']);
    const startsAt = new Date(validEventBody().startsAt).getTime();
    setClock(manualClock(startsAt + 1000));
    expect(errorOf(await patch({ [q.id]: 'Late' })).code).toBe('REGISTRATION_CLOSED');
  });

  it('erases name, email and answers (choices kept unlinked), keeps the seat', async () => {
    const event = await createEvent();
    const text = await ask(event.id, { label: 'Company', kind: 'text', required: true });
    const size = await ask(event.id, { label: 'Size', kind: 'choice', options: [{ label: 'S' }] });
    const created = await register(event.slug, guest({ answers: { [text.id]: 'Acme', [size.id]: size.options[0]?.id } }));
    const id = data<{ registration: Registration }>(created).registration.id;
    const res = await call(erase, 'DELETE', `/api/events/${event.id}/registrations/${id}/personal-data`, { cookie: (await owner()).cookie, key: randomUUID(), params: { id: event.id, rid: id } });
    expect(res.status, res.text).toBe(200);
    const { registration } = data<{ registration: Registration }>(res);
    expect(registration).toMatchObject({ name: 'Erased guest', email: `erased-${id}@erased.invalid`, status: 'confirmed' });
    expect(registration.answers.map((a) => [a.value, a.text])).toEqual([[null, null], [null, null]]);
    expect((await list(event.id, '?q=acme')).length).toBe(0);
    const { rows } = await getPool().query('select registration_id, order_id, value from answers where question_id = $1 order by created_at, registration_id nulls first', [size.id]);
    expect(rows).toEqual([
      { registration_id: null, order_id: null, value: size.options[0]?.id },
      { registration_id: id, order_id: null, value: null },
    ]);
    const stranger = await createOrganiser();
    const foreign = await call(erase, 'DELETE', `/api/events/${event.id}/registrations/${id}/personal-data`, { cookie: stranger.cookie, key: randomUUID(), params: { id: event.id, rid: id } });
    expect(foreign.status).toBe(404);
  });
});
