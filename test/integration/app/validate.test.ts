import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { validate, objectId, pageParam } from '../../../src/middleware/validate.js';
import { languageMiddleware } from '../../../src/middleware/language.js';
import { errorHandler } from '../../../src/middleware/error-handler.js';
import { logger } from '../../../src/logger.js';
import { buildTestApp } from '../../helpers/app.js';
import { createUser } from '../../helpers/fixtures.js';
import { csrfFrom, signIn } from '../../helpers/http.js';

describe('validate middleware', () => {
  const app = express();
  app.use(languageMiddleware({ secureCookie: false }));
  app.get(
    '/api/items/:id',
    validate({ params: z.object({ id: objectId() }), query: z.object({ page: pageParam() }) }),
    (req, res) => {
      res.json({ params: req.valid.params, query: req.valid.query });
    },
  );
  app.use(errorHandler(logger));

  it('when params and query are valid, then parsed values are available', async () => {
    const res = await request(app).get('/api/items/0123456789abcdef01234567?page=3');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ params: { id: '0123456789abcdef01234567' }, query: { page: 3 } });
  });

  it('when they are invalid, then 400 with localized details', async () => {
    const res = await request(app).get('/api/items/abc?page=0&lang=en');
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('bad_request');
    expect(res.body.error.details).to.deep.equal({ id: 'The identifier is not valid.' });
  });
});

describe('CSRF token outside the body', () => {
  it('when a post carries the token in the header, then it is accepted; in the query string, then it is refused', async () => {
    const { app } = buildTestApp();
    const created = await createUser();
    const agent = await signIn(app, created);
    const token = csrfFrom((await agent.get('/account')).text);
    const viaHeader = await agent.post('/account/password').set('x-csrf-token', token).type('form').send({ current: 'x' });
    expect(viaHeader.status).to.equal(400);
    const viaQuery = await agent.post(`/logout?_csrf=${encodeURIComponent(token)}`).attach('file', Buffer.from('x'), 'x.txt');
    expect(viaQuery.status).to.equal(403);
    expect((await agent.get('/account')).status).to.equal(200);
  });
});
