import { expect, test } from '../support/fixtures';
import { recordMutations } from '../support/replay';
import { EventFormPage } from '../pages/event-form.po';
import { createEventViaApi } from './helpers';

test('an edit sends If-Match with the version and only what changed', async ({ page, organiser: _organiser, api }) => {
  const event = await createEventViaApi(api);
  const form = new EventFormPage(page);
  await form.gotoEdit(event.id);
  await expect(form.field('title')).toHaveValue(event.title);
  const recorder = recordMutations(page);
  await form.field('title').fill(`${event.title} (moved)`);
  await form.submitButton('edit').click();
  await form.expectLandedOnEvent();
  await expect(page.getByTestId('event-title')).toHaveText(`${event.title} (moved)`);

  const patch = await recorder.waitFor((e) => e.request.method === 'PATCH');
  expect(patch.request.headers['if-match']).toBe(`"${event.version}"`);
  expect(patch.request.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  expect(patch.request.json).toEqual({ title: `${event.title} (moved)` });
});

test('an edit with a stale version: the conflict message, and the reload shows the latest', async ({ page, organiser: _organiser, api }) => {
  const event = await createEventViaApi(api);
  const form = new EventFormPage(page);
  await form.gotoEdit(event.id);

  // A second tab saves first.
  const second = await page.context().newPage();
  const secondForm = new EventFormPage(second);
  await secondForm.gotoEdit(event.id);
  await secondForm.field('title').fill('Changed in the second tab');
  await secondForm.submitButton('edit').click();
  await secondForm.expectLandedOnEvent();
  await second.close();

  await form.field('maxParticipants').fill('25');
  await form.submitButton('edit').click();
  const conflict = page.getByTestId('version-conflict');
  await expect(conflict).toContainText('This event was changed elsewhere.');
  await expect(form.field('maxParticipants')).toHaveValue('25');

  await conflict.getByRole('button', { name: 'Reload the event' }).click();
  await expect(form.field('title')).toHaveValue('Changed in the second tab');
  await expect(conflict).toBeHidden();
  await form.field('maxParticipants').fill('25');
  await form.submitButton('edit').click();
  await form.expectLandedOnEvent();
  await expect(page.getByTestId('event-capacity')).toHaveText('25 participants');
});

test('leaving the form with unsaved changes asks first', async ({ page, organiser: _organiser, api }) => {
  const event = await createEventViaApi(api);
  const form = new EventFormPage(page);
  await form.gotoEdit(event.id);
  await form.field('title').fill('Not saved yet');

  const dialogs: string[] = [];
  page.once('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await page.getByRole('link', { name: 'Events', exact: true }).click();
  expect(dialogs).toEqual(['You have unsaved changes. Leave this page?']);
  await expect(page).toHaveURL(new RegExp(`/events/${event.id}/edit$`));
  await expect(form.field('title')).toHaveValue('Not saved yet');
});
