import { expect } from 'chai';
import { MAIL_CONCURRENCY, sendSetPasswordMails } from '../../../src/features/accounts/users.service.js';
import type { MailMessage, Mailer } from '../../../src/mail/mailer.js';

function link(i: number, language: 'sw' | 'en' = 'sw') {
  return { email: `u${i}@ega.go.tz`, name: `U ${i}`, language, url: `http://x.test/set-password/token${i}` };
}

/** A mailer that takes a little time per message and records how many were in flight at once. */
function slowMailer(failFor: Set<string> = new Set()) {
  const sent: MailMessage[] = [];
  const state = { inFlight: 0, max: 0 };
  const mailer: Mailer = {
    async send(message) {
      state.inFlight += 1;
      state.max = Math.max(state.max, state.inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      state.inFlight -= 1;
      if (failFor.has(message.to)) throw new Error('refused');
      sent.push(message);
    },
  };
  return { mailer, sent, state };
}

describe('sendSetPasswordMails', () => {
  it('when many links are mailed, then each user gets exactly their own link, never more than the limit at once', async () => {
    const links = Array.from({ length: 50 }, (_, i) => link(i, i % 2 ? 'en' : 'sw'));
    const { mailer, sent, state } = slowMailer();
    const result = await sendSetPasswordMails(links, mailer);
    expect(result.failed).to.deep.equal([]);
    expect(sent.map((m) => m.to).sort()).to.deep.equal(links.map((l) => l.email).sort());
    for (const m of sent) {
      const i = Number(/^u(\d+)@/.exec(m.to)?.[1]);
      expect(m.text).to.include(`token${i}`);
      expect(m.text).not.to.match(new RegExp(`token(?!${i}\\b)\\d+`));
    }
    expect(state.max).to.be.greaterThan(1);
    expect(state.max).to.be.at.most(MAIL_CONCURRENCY);
  });

  it('when the limit is 1, then messages go one at a time', async () => {
    const { mailer, sent, state } = slowMailer();
    await sendSetPasswordMails([link(1), link(2), link(3)], mailer, 1);
    expect(sent).to.have.length(3);
    expect(state.max).to.equal(1);
  });

  it('when some sends fail, then it does not throw and returns the failed addresses in input order', async () => {
    const { mailer, sent } = slowMailer(new Set(['u7@ega.go.tz', 'u2@ega.go.tz']));
    const result = await sendSetPasswordMails(Array.from({ length: 10 }, (_, i) => link(i)), mailer);
    expect(result.failed).to.deep.equal(['u2@ega.go.tz', 'u7@ega.go.tz']);
    expect(sent).to.have.length(8);
  });

  it('when there are no links, then nothing is sent', async () => {
    const { mailer, sent } = slowMailer();
    expect(await sendSetPasswordMails([], mailer)).to.deep.equal({ failed: [] });
    expect(sent).to.have.length(0);
  });
});
