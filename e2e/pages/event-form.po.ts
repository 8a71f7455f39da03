import { expect, type Page } from '@playwright/test';

export type EventFormInput = {
  title: string;
  description?: string;
  startsAt: string;
  endsAt: string;
  timezone?: string;
  address?: string;
  url?: string;
  maxParticipants: number | string;
  visibility?: 'public' | 'unlisted';
  /** Unchecks "Waitlist when full" when false (it starts checked). */
  waitlist?: boolean;
};

const LABELS = {
  en: {
    title: 'Title',
    description: 'Description',
    startsAt: 'Start',
    endsAt: 'End',
    timezone: 'Time zone',
    inPerson: 'In person',
    online: 'Online',
    address: 'Address',
    url: 'Link',
    maxParticipants: 'Max participants',
    visibility: 'Visibility',
    create: 'Create event',
    saveDraft: 'Save as draft',
    waitlist: 'Waitlist when full',
    save: 'Save changes',
    confirm: 'Confirm and publish',
    cancel: 'Cancel',
  },
  ru: {
    title: 'Название',
    description: 'Описание',
    startsAt: 'Начало',
    endsAt: 'Окончание',
    timezone: 'Часовой пояс',
    inPerson: 'Очно',
    online: 'Онлайн',
    address: 'Адрес',
    url: 'Ссылка',
    maxParticipants: 'Максимум участников',
    visibility: 'Видимость',
    create: 'Создать событие',
    saveDraft: 'Сохранить черновик',
    waitlist: 'Лист ожидания, когда мест нет',
    save: 'Сохранить изменения',
    confirm: 'Подтвердить и опубликовать',
    cancel: 'Отмена',
  },
} as const;

/** The event form (create and edit) and its credit modal. */
export class EventFormPage {
  readonly labels: (typeof LABELS)['en' | 'ru'];

  constructor(
    readonly page: Page,
    readonly locale: 'en' | 'ru' = 'en',
  ) {
    this.labels = LABELS[locale];
  }

  async gotoNew() {
    await this.page.goto('/events/new');
    await expect(this.submitButton('create')).toBeEnabled();
  }

  async gotoEdit(eventId: string) {
    await this.page.goto(`/events/${eventId}/edit`);
    await expect(this.submitButton('edit')).toBeEnabled();
  }

  field(name: 'title' | 'description' | 'startsAt' | 'endsAt' | 'timezone' | 'address' | 'url' | 'maxParticipants' | 'visibility') {
    return this.page.getByLabel(this.labels[name], { exact: true });
  }

  async fill(input: EventFormInput) {
    await this.field('title').fill(input.title);
    if (input.description !== undefined) await this.field('description').fill(input.description);
    await this.field('startsAt').fill(input.startsAt);
    await this.field('endsAt').fill(input.endsAt);
    if (input.timezone) await this.field('timezone').selectOption(input.timezone);
    if (input.url !== undefined) {
      await this.page.getByLabel(this.labels.online, { exact: true }).check();
      await this.field('url').fill(input.url);
    } else {
      await this.page.getByLabel(this.labels.inPerson, { exact: true }).check();
      await this.field('address').fill(input.address ?? 'Main street 1');
    }
    await this.field('maxParticipants').fill(String(input.maxParticipants));
    if (input.visibility) await this.field('visibility').selectOption(input.visibility);
    if (input.waitlist !== undefined) await this.waitlistCheckbox().setChecked(input.waitlist);
  }

  waitlistCheckbox() {
    return this.page.getByRole('checkbox', { name: this.labels.waitlist, exact: true });
  }

  saveDraftButton() {
    return this.page.getByRole('button', { name: this.labels.saveDraft, exact: true });
  }

  submitButton(mode: 'create' | 'edit' = 'create') {
    return this.page.getByRole('button', { name: mode === 'create' ? this.labels.create : this.labels.save, exact: true });
  }

  modal() {
    return this.page.getByRole('dialog');
  }

  confirmButton() {
    return this.modal().getByRole('button', { name: this.labels.confirm, exact: true });
  }

  cancelButton() {
    return this.modal().getByRole('button', { name: this.labels.cancel, exact: true });
  }

  /** Waits for the event page the form lands on; returns the event id. */
  async expectLandedOnEvent(): Promise<string> {
    await this.page.waitForURL(/\/events\/[0-9a-f-]{36}(\?|$)/);
    const id = await this.page.getByTestId('event-page').getAttribute('data-event-id');
    if (!id) throw new Error('no event id on the event page');
    return id;
  }
}

/** A date-time-local value `daysAhead` days from now at `time`, always in the future. */
export function futureWallTime(daysAhead: number, time = '18:00'): string {
  const date = new Date(Date.now() + daysAhead * 86_400_000);
  return `${date.toISOString().slice(0, 10)}T${time}`;
}
