// /dev/mail: the mail `npm run dev` caught locally (no SMTP_URL). 404 in production.
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { caughtMail } from '@/lib/mail/server';
import { Card } from '@/components/ui/card';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { robots: { index: false, follow: false } };

export default async function DevMailPage() {
  const mails = await caughtMail();
  if (mails === null) notFound();
  const t = await getTranslations('devMail');
  const format = await getFormatter();
  return (
    <section aria-labelledby="dev-mail-title" className="space-y-4">
      <h1 id="dev-mail-title" className="text-2xl font-bold">
        {t('title')}
      </h1>
      {mails.length === 0 ? (
        <Card as="p" tone="dashed" className="text-gray-600">
          {t('empty')}
        </Card>
      ) : (
        <ul className="space-y-3">
          {mails.map((mail) => (
            <Card as="li" padding="sm" key={`${mail.messageId}-${mail.receivedAt}`}>
              <details>
                <summary className="cursor-pointer">
                  <span className="font-semibold">{mail.subject}</span>
                  <span className="block text-sm text-gray-600">
                    {t('to')}: {mail.to.join(', ')} · {format.dateTime(new Date(mail.receivedAt), { dateStyle: 'medium', timeStyle: 'medium' })}
                  </span>
                </summary>
                <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 text-sm">
                  <dt className="text-gray-600">{t('messageId')}</dt>
                  <dd className="break-all">{mail.messageId}</dd>
                  <dt className="text-gray-600">{t('attachments')}</dt>
                  <dd>{mail.attachments.map((a) => a.filename).join(', ') || '—'}</dd>
                </dl>
                <h2 className="mt-3 text-sm font-semibold">{t('text')}</h2>
                <pre className="mt-1 whitespace-pre-wrap break-words rounded bg-gray-50 p-3 text-sm">{mail.text}</pre>
                {mail.html ? (
                  <details className="mt-2">
                    <summary className="cursor-pointer text-sm text-indigo-700">{t('html')}</summary>
                    <iframe title={mail.subject} sandbox="" srcDoc={mail.html} className="mt-2 h-96 w-full rounded border border-gray-200" />
                  </details>
                ) : null}
              </details>
            </Card>
          ))}
        </ul>
      )}
    </section>
  );
}
