import { expect } from 'chai';
import request from 'supertest';
import { pino } from 'pino';
import { createApp } from '../../src/app.js';
import { createCapturingMailer } from '../../src/mail/mailer.js';
import { issueSetPasswordLink } from '../../src/features/accounts/users.service.js';
import { testConfig } from '../helpers/config.js';
import { createUser } from '../helpers/fixtures.js';
import { csrfFrom } from '../helpers/http.js';

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('security: secrets in the request log', () => {
  it('when a set-password post fails validation or a token rides in a query string, then the log has neither token', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const mailer = createCapturingMailer();
    const app = createApp({ config: testConfig({ LOG_LEVEL: 'info' }), logger, mailer, now: () => new Date(), options: { loginRateLimit: 1000 } });
    const created = await createUser({ role: 'institution', password: null });
    const link = await issueSetPasswordLink(created.user._id.toString(), { id: created.user._id.toString(), role: 'admin', institutionId: null }, { baseUrl: 'http://localhost:3000', mailer, now: new Date() });

    const agent = request.agent(app);
    const page = await agent.get(`/set-password/${link.token}`);
    expect(page.status).to.equal(200);
    const csrf = csrfFrom(page.text);
    const bad = await agent.post(`/set-password/${link.token}`).type('form').send({ _csrf: csrf, password: 'fupi', confirm: 'fupi' });
    expect(bad.status).to.equal(400);
    const forged = await agent.post(`/logout?_csrf=${encodeURIComponent(csrf)}&lang=en`).type('form').send({});
    expect(forged.status).to.equal(403);
    const unknown = await agent.get(`/set-password/${link.token}/x?token=${link.token}`);
    expect(unknown.status).to.equal(404);
    await settle();

    const logged = lines.join('\n');
    expect(lines.filter((l) => l.includes('request completed')).length).to.be.at.least(3);
    expect(logged).to.not.contain(link.token);
    expect(logged).to.not.contain(csrf);
    expect(logged).to.contain('/set-password/:token');
  });
});
