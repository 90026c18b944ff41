import { expect } from 'chai';
import express, { type RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import request from 'supertest';
import { securityHeaders } from '../../../src/middleware/security-headers.js';

const OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: true,
    directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], frameAncestors: ["'none'"], upgradeInsecureRequests: [] },
  },
  crossOriginEmbedderPolicy: false,
};

async function headersWith(middleware: RequestHandler): Promise<Record<string, string>> {
  const app = express();
  app.use(middleware);
  app.get('/', (_req, res) => res.send('ok'));
  const { date: _date, etag: _etag, ...headers } = (await request(app).get('/').expect(200)).headers as Record<string, string>;
  return headers;
}

describe('security headers', () => {
  it('when the policy is static, then every response gets exactly the headers helmet sets', async () => {
    const ours = await headersWith(securityHeaders(OPTIONS));
    expect(ours).to.deep.equal(await headersWith(helmet(OPTIONS)));
    expect(ours['content-security-policy']).to.contain("frame-ancestors 'none'");
    expect(ours['x-content-type-options']).to.equal('nosniff');
    expect(ours).not.to.have.property('x-powered-by');
  });

  it('when a CSP directive depends on the request, then it refuses to freeze the policy', () => {
    const nonce = () => "'nonce-abc'";
    expect(() => securityHeaders({ contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: [nonce] } } })).to.throw(/depends on the request/);
  });
});
