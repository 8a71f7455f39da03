import en from './messages/en.json';
import ru from './messages/ru.json';
import type { Locale } from './config';

export type Messages = typeof en;

// ru.json must have every key en.json has: this line fails to compile otherwise.
const ruChecked: Messages = ru;

export const MESSAGES: Record<Locale, Messages> = { en, ru: ruChecked };
