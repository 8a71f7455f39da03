import type { ReactNode } from 'react';

/** The heading of an organiser's page about one event: the page's title, a line naming the event, and the page's main action. */
export function EventPageHeader({ title, lead, action }: { title: string; lead: string; action: ReactNode }) {
  return (
    <header className="flex flex-wrap items-end justify-between gap-3">
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        <p className="mt-1 break-words text-slate-700">{lead}</p>
      </div>
      {action}
    </header>
  );
}
