import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';
import { logger } from '../logger.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** A mailer that keeps messages in memory (tests read `outbox`). */
export interface CapturingMailer extends Mailer {
  readonly outbox: MailMessage[];
}

const log = logger.child({ module: 'mail' });

/**
 * SMTP through nodemailer when SMTP_URL is set; otherwise each message is written as an .eml
 * file under DATA_DIR/mail/ so developers can open it (nothing leaves the machine).
 */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'dataDir'>): Mailer {
  const transport = config.smtpUrl
    ? nodemailer.createTransport(config.smtpUrl)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const mailDir = join(config.dataDir, 'mail');

  return {
    async send(message) {
      const info = await transport.sendMail({ from: config.mailFrom, ...message });
      if (config.smtpUrl) {
        log.info({ to: message.to, subject: message.subject }, 'mail sent');
        return;
      }
      // These files hold set-password links: only the app's user may read them.
      await mkdir(mailDir, { recursive: true, mode: 0o700 });
      const file = join(mailDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`);
      await writeFile(file, (info as unknown as { message: Buffer }).message, { mode: 0o600, flag: 'wx' });
      log.info({ to: message.to, subject: message.subject, file }, 'mail written to file (no SMTP_URL)');
    },
  };
}

export function createCapturingMailer(): CapturingMailer {
  const outbox: MailMessage[] = [];
  return {
    outbox,
    async send(message) {
      outbox.push({ ...message });
    },
  };
}
