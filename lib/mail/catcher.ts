// A local SMTP server that accepts every message and keeps it: the
// development mail catcher of `npm run dev` (messages as JSON files in a
// folder that /dev/mail lists) and the SMTP server the tests and the bench
// count at. A message is recorded before the client gets its 250, so
// "accepted" means "recorded".
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type CaughtMail = {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  date: string;
  text: string;
  html: string;
  /** `content` is text for text/* parts, base64 otherwise (the ticket's QR image); `cid` for inline parts. */
  attachments: { filename: string; contentType: string; content: string; cid?: string }[];
  /** Date.now() when the server accepted it. */
  receivedAt: number;
};

export type MailCatcher = {
  port: number;
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  url: string;
  messages: CaughtMail[];
  close(): Promise<void>;
};

export type CatcherOptions = {
  /** 0 (default): any free port. */
  port?: number;
  /** Also write each message there as <time>-<id>.json. */
  dir?: string;
  onMessage?: (mail: CaughtMail) => void;
  /** Answer every message with this SMTP error instead (tests of a failing server). */
  reject?: () => string | null;
};

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((a) => a.value.map((v) => v.address ?? '')).filter(Boolean);
}

export async function startMailCatcher(options: CatcherOptions = {}): Promise<MailCatcher> {
  const messages: CaughtMail[] = [];
  if (options.dir) await mkdir(options.dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 200,
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (parsed) => {
          const refusal = options.reject?.();
          if (refusal) {
            callback(Object.assign(new Error(refusal), { responseCode: 451 }));
            return;
          }
          const mail: CaughtMail = {
            messageId: parsed.messageId ?? '',
            from: addresses(parsed.from)[0] ?? '',
            to: addresses(parsed.to),
            subject: parsed.subject ?? '',
            date: (parsed.date ?? new Date()).toISOString(),
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            attachments: parsed.attachments.map((a) => ({
              filename: a.filename ?? '',
              contentType: a.contentType,
              content: a.content.toString(a.contentType.startsWith('text/') ? 'utf8' : 'base64'),
              ...(a.cid && { cid: a.cid }),
            })),
            receivedAt: Date.now(),
          };
          if (options.dir) {
            await writeFile(path.join(options.dir, `${mail.receivedAt}-${randomUUID().slice(0, 8)}.json`), JSON.stringify(mail));
          }
          messages.push(mail);
          options.onMessage?.(mail);
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  server.on('error', () => {}); // a client dropping its connection is not ours to crash on
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
