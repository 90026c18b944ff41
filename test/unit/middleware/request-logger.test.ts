import { expect } from 'chai';
import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { requestLogger } from '../../../src/middleware/request-logger.js';

/** An app whose logger writes JSON lines into `lines`. */
function buildApp(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level, base: undefined }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  const app = express();
  app.use(requestLogger(app, logger, { ignore: (req) => req.url === '/healthz' }));
  app.get('/ok', (req, res) => {
    req.log.warn({ step: 'inside' }, 'from the handler');
    res.send('ok');
  });
  app.get('/quiet', (_req, res) => res.send('quiet'));
  app.get('/healthz', (_req, res) => res.send('up'));
  return { app, lines };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('request logger', () => {
  it('when a request is answered, then it has a request id header and req.log is bound to that id', async () => {
    const { app, lines } = buildApp('info');
    const res = await request(app).get('/ok').expect(200);
    expect(res.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    await settle();
    const fromHandler = lines.find((l) => l.msg === 'from the handler');
    expect(fromHandler).to.include({ reqId: res.headers['x-request-id'], step: 'inside' });
  });

  it('when the level is info, then a 404 is logged once with method, URL and status, and a 200 is not logged', async () => {
    const { app, lines } = buildApp('info');
    await request(app).get('/quiet').expect(200);
    const missing = await request(app).get('/nowhere?x=1').expect(404);
    await settle();
    const completed = lines.filter((l) => l.msg === 'request completed');
    expect(completed).to.have.length(1);
    expect(completed[0].req).to.deep.include({ id: missing.headers['x-request-id'], method: 'GET', url: '/nowhere?x=…' });
    expect(completed[0].res).to.deep.equal({ statusCode: 404 });
    expect(completed[0].responseTime).to.be.a('number');
  });

  it('when the level is debug, then successful requests are logged too, except ignored paths', async () => {
    const { app, lines } = buildApp('debug');
    await request(app).get('/quiet').expect(200);
    await request(app).get('/healthz').expect(200);
    await settle();
    const urls = lines.filter((l) => l.msg === 'request completed').map((l) => (l.req as { url: string }).url);
    expect(urls).to.deep.equal(['/quiet']);
  });
});
