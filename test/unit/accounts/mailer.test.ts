import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMailer, createCapturingMailer } from '../../../src/mail/mailer.js';

describe('mailer', () => {
  it('when SMTP_URL is unset, then each message is written as an .eml file under DATA_DIR/mail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maazimio-mail-'));
    try {
      const mailer = createMailer({ dataDir: dir, smtpUrl: undefined, mailFrom: 'Maazimio <no-reply@maazimio.local>' });
      await mailer.send({ to: 'neema@taasisi.go.tz', subject: 'Weka nenosiri', text: 'Habari Neema' });
      const files = readdirSync(join(dir, 'mail'));
      expect(files).to.have.length(1);
      expect(files[0]).to.match(/\.eml$/);
      const eml = readFileSync(join(dir, 'mail', files[0]), 'utf8');
      expect(eml).to.contain('To: neema@taasisi.go.tz');
      expect(eml).to.contain('From: Maazimio <no-reply@maazimio.local>');
      expect(eml).to.contain('Habari Neema');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when a capturing mailer sends, then the message lands in its outbox', async () => {
    const mailer = createCapturingMailer();
    await mailer.send({ to: 'a@b.go.tz', subject: 's', text: 't' });
    expect(mailer.outbox).to.deep.equal([{ to: 'a@b.go.tz', subject: 's', text: 't' }]);
  });
});
