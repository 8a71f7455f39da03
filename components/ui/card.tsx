import type { HTMLAttributes } from 'react';
import { cx } from './cx';

type Padding = 'none' | 'sm' | 'md' | 'lg';

const paddings: Record<Padding, string> = {
  none: '',
  sm: 'p-4',
  md: 'p-5 sm:p-6',
  lg: 'p-5 sm:p-8',
};

const tones = {
  raised: 'bg-white shadow-sm ring-1 ring-slate-200',
  dashed: 'border border-dashed border-slate-300 bg-white',
} as const;

type CardStyle = { padding?: Padding; tone?: keyof typeof tones; className?: string };

/** The classes of a card, for an element that is not one of Card's (a link that is a whole card). */
export function cardClasses({ padding = 'md', tone = 'raised', className }: CardStyle = {}): string {
  return cx('rounded-2xl', tones[tone], paddings[padding], className);
}

type CardProps = HTMLAttributes<HTMLElement> & CardStyle & { as?: 'div' | 'section' | 'li' | 'dl' | 'p' };

/** A white panel on the page: a form, a group of facts, a section, an empty or not-found state. */
export function Card({ as: Element = 'div', padding, tone, className, ...rest }: CardProps) {
  return <Element className={cardClasses({ padding, tone, className })} {...rest} />;
}

const titleSizes = {
  /** A small uppercase label over a fact or a section. */
  eyebrow: 'text-xs font-medium tracking-wide text-slate-600 uppercase',
  label: 'text-sm font-medium text-slate-600',
  base: 'font-semibold text-slate-900',
  lg: 'text-lg font-semibold',
  page: 'text-2xl font-semibold tracking-tight',
} as const;

type CardTitleProps = HTMLAttributes<HTMLElement> & { as?: 'h1' | 'h2' | 'h3' | 'p' | 'dt'; size?: keyof typeof titleSizes };

export function CardTitle({ as: Element = 'h2', size = 'lg', className, ...rest }: CardTitleProps) {
  return <Element className={cx(titleSizes[size], className)} {...rest} />;
}

/** The sentence under a card's title. */
export function CardDescription({ className, ...rest }: HTMLAttributes<HTMLParagraphElement>) {
  return <p className={cx('mt-1 text-sm text-slate-700', className)} {...rest} />;
}
