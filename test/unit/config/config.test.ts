import { expect } from 'chai';
import { loadConfig, ConfigError } from '../../../src/config.js';

describe('loadConfig', () => {
  it('when the environment is empty, then development defaults apply', () => {
    const c = loadConfig({});
    expect(c.nodeEnv).to.equal('development');
    expect(c.port).to.equal(3000);
    expect(c.dataDir).to.equal('./data');
    expect(c.baseUrl).to.equal('http://localhost:3000');
    expect(c.mongodbUri).to.equal(undefined);
    expect(c.sessionSecret).to.equal(undefined);
    expect(c.reminderDays).to.deep.equal([14, 3]);
    expect(c.trustProxy).to.equal(false);
    expect(c.logLevel).to.equal('info');
  });

  it('when NODE_ENV=test and no LOG_LEVEL, then logs are silent', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).to.equal('silent');
    expect(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn' }).logLevel).to.equal('warn');
  });

  it('when BASE_URL is unset, then it follows PORT; a trailing slash is removed when set', () => {
    expect(loadConfig({ PORT: '8080' }).baseUrl).to.equal('http://localhost:8080');
    expect(loadConfig({ BASE_URL: 'https://maazimio.go.tz/' }).baseUrl).to.equal('https://maazimio.go.tz');
  });

  it('when production has no SESSION_SECRET, then it fails naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw(ConfigError, /SESSION_SECRET/);
  });

  it('when several variables are bad, then the error lists every one of them', () => {
    try {
      loadConfig({ PORT: 'abc', MONGODB_URI: 'http://x', REMINDER_DAYS: '14;3', LOG_LEVEL: 'loud' });
      expect.fail('should throw');
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      const message = (err as Error).message;
      for (const name of ['PORT', 'MONGODB_URI', 'REMINDER_DAYS', 'LOG_LEVEL']) expect(message).to.contain(name);
    }
  });

  it('when TRUST_PROXY is a hop count or a list of subnets, then it is parsed (true is refused: see test/security)', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).to.equal(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy).to.equal('loopback');
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.4,::1' }).trustProxy).to.equal('10.0.0.0/8,192.168.1.4,::1');
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).to.throw(ConfigError, /TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).to.throw(ConfigError, /TRUST_PROXY/);
  });

  it('when loaded, then the config is frozen and empty strings count as unset', () => {
    const c = loadConfig({ MONGODB_URI: '', SMTP_URL: '', PORT: '' });
    expect(Object.isFrozen(c)).to.equal(true);
    expect(c.mongodbUri).to.equal(undefined);
    expect(c.smtpUrl).to.equal(undefined);
    expect(c.port).to.equal(3000);
  });
});
