// The SMTP side: one pooled nodemailer transport per worker, from SMTP_URL.
import nodemailer, { type Transporter } from 'nodemailer';
import type { RenderedMail } from './render';

export type MailTransport = {
  send(mail: RenderedMail & { from: string; to: string; messageId: string }): Promise<void>;
  close(): void;
};

/** Timeouts stay well inside the worker's lease, so a hung server never outlives the claim. */
export function smtpTransport(url: string, options: { connections: number; timeoutMs: number }): MailTransport {
  const transporter: Transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: options.connections,
    maxMessages: 1000,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  return {
    async send(mail) {
      await transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        attachments: mail.attachments,
      });
    },
    close() {
      transporter.close();
    },
  };
}
