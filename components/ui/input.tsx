import type { InputHTMLAttributes, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import { cx } from './cx';

const control =
  'block rounded-lg border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ' +
  'placeholder:text-slate-500 focus:outline-2 focus:outline-offset-0 focus:outline-indigo-600 ' +
  'disabled:bg-slate-100 disabled:text-slate-500 aria-[invalid=true]:border-red-600 ' +
  'aria-[invalid=true]:focus:outline-red-600';

const border = 'border-slate-300';

/**
 * Full width unless the caller sets a width: both are one CSS property, and
 * which class wins goes by Tailwind's stylesheet order, not by the order in
 * `className` (`w-full` came after `w-24` and stretched the quantity select).
 */
function width(className: string | undefined): string | undefined {
  return className?.split(/\s+/).some((name) => name.startsWith('w-')) ? undefined : 'w-full';
}

export function Input({ className, ...rest }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={cx(control, width(className), border, 'min-h-10', className)} {...rest} />;
}

export function Textarea({ className, ...rest }: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea className={cx(control, width(className), border, 'min-h-24', className)} {...rest} />;
}

export function Select({ className, ...rest }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={cx(control, width(className), border, 'min-h-10 pr-8', className)} {...rest} />;
}
