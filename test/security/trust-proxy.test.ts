import { expect } from 'chai';
import request from 'supertest';
import { loadConfig, ConfigError } from '../../src/config.js';
import { buildTestApp } from '../helpers/app.js';
import { testConfig } from '../helpers/config.js';
import { csrfFrom } from '../helpers/http.js';

describe('security: TRUST_PROXY', () => {
  it('when TRUST_PROXY=true, then the configuration is refused with a message that says what to give instead', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).to.throw(ConfigError, /TRUST_PROXY true is refused.*X-Forwarded-For.*number of proxies/s);
  });

  it('when a client behind one proxy forges X-Forwarded-For, then the sign-in limiter still counts its real address', async () => {
    const { app } = buildTestApp({ config: testConfig({ TRUST_PROXY: '1' }), options: { loginRateLimit: 3 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      // The client sends a different made-up address each time; the proxy appends the real one.
      const agent = request.agent(app).set('X-Forwarded-For', `198.51.100.${i}, 10.0.0.5`);
      const token = csrfFrom((await agent.get('/login')).text);
      statuses.push((await agent.post('/login').type('form').send({ email: 'x@ega.go.tz', password: 'wrong-password', _csrf: token })).status);
    }
    expect(statuses).to.deep.equal([401, 401, 401, 429, 429]);
  });
});
