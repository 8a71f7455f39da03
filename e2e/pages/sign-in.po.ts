import type { Page } from '@playwright/test';

type Labels = { email: string; password: string; submit: string };

const LABELS: Record<'en' | 'ru', { signIn: Labels; signUp: Labels & { name: string } }> = {
  en: {
    signIn: { email: 'Email', password: 'Password', submit: 'Sign in' },
    signUp: { email: 'Email', password: 'Password', submit: 'Create account', name: 'Name' },
  },
  ru: {
    signIn: { email: 'Эл. почта', password: 'Пароль', submit: 'Войти' },
    signUp: { email: 'Эл. почта', password: 'Пароль', submit: 'Создать аккаунт', name: 'Имя' },
  },
};

export class AuthPage {
  constructor(
    readonly page: Page,
    readonly locale: 'en' | 'ru' = 'en',
  ) {}

  error() {
    return this.page.getByTestId('auth-error');
  }

  demoHint() {
    return this.page.getByTestId('demo-hint');
  }

  async signIn(email: string, password: string, next?: string) {
    const labels = LABELS[this.locale].signIn;
    await this.page.goto(next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in');
    await this.page.getByLabel(labels.email).fill(email);
    await this.page.getByLabel(labels.password).fill(password);
    await this.page.getByRole('button', { name: labels.submit, exact: true }).click();
  }

  async signUp(email: string, password: string, name?: string) {
    const labels = LABELS[this.locale].signUp;
    await this.page.goto('/sign-up');
    if (name) await this.page.getByLabel(labels.name).fill(name);
    await this.page.getByLabel(labels.email).fill(email);
    await this.page.getByLabel(labels.password).fill(password);
    await this.page.getByRole('button', { name: labels.submit, exact: true }).click();
  }
}
