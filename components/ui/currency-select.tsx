'use client';
import type { SelectHTMLAttributes } from 'react';
import { useLocale } from 'next-intl';
import { CURRENCY_CHOICES, currencyLabel } from '@/lib/money';
import { Select } from './input';

type Props = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'children'> & {
  value: string;
  /** The empty first option ("Choose a currency"). */
  placeholder: string;
};

/** A currency picker: the common codes named in the page's language; a code chosen before that is not among them is offered too. */
export function CurrencySelect({ value, placeholder, ...rest }: Props) {
  const locale = useLocale();
  const choices: string[] = value && !CURRENCY_CHOICES.some((code) => code === value) ? [value, ...CURRENCY_CHOICES] : [...CURRENCY_CHOICES];
  return (
    <Select value={value} {...rest}>
      <option value="">{placeholder}</option>
      {choices.map((code) => (
        <option key={code} value={code}>
          {currencyLabel(code, locale)}
        </option>
      ))}
    </Select>
  );
}
