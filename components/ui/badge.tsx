import type { ReactNode } from 'react';
import { cx } from './cx';

type Tone = 'green' | 'slate' | 'red' | 'indigo';

const tones: Record<Tone, string> = {
  green: 'bg-emerald-50 text-emerald-800 ring-emerald-600/30',
  slate: 'bg-slate-100 text-slate-700 ring-slate-500/30',
  red: 'bg-red-50 text-red-800 ring-red-600/30',
  indigo: 'bg-indigo-50 text-indigo-800 ring-indigo-600/30',
};

export function Badge({ tone = 'slate', children, testId }: { tone?: Tone; children: ReactNode; testId?: string }) {
  return (
    <span
      className={cx('inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', tones[tone])}
      data-testid={testId}
    >
      {children}
    </span>
  );
}
