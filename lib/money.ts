// Amounts in minor units (cents) shown in a locale. Browser-safe: the pages, the forms and the mails share it.
export function formatMoney(amount: number, currency: string, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

/** Minor units per major unit of the currency (100 for EUR, 1 for JPY). */
export function minorPerMajor(currency: string): number {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2;
  return 10 ** digits;
}

/** The currencies the settings and the ticket-type form offer first (ISO 4217); any other valid code is accepted too. */
export const CURRENCY_CHOICES = ['EUR', 'USD', 'GBP', 'CHF', 'PLN', 'CZK', 'SEK', 'NOK', 'DKK', 'RUB', 'UAH', 'KZT', 'GEL', 'AMD', 'TRY', 'ILS', 'CAD', 'AUD', 'JPY', 'INR', 'BRL'] as const;

/** "EUR · Euro" in the locale's words, for a currency picker. */
export function currencyLabel(code: string, locale: string): string {
  const name = new Intl.DisplayNames([locale], { type: 'currency' }).of(code.toUpperCase());
  return name && name !== code.toUpperCase() ? `${code.toUpperCase()} · ${name}` : code.toUpperCase();
}
