import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { errorHandler, toAppError } from '../../../src/middleware/error-handler.js';
import { languageMiddleware } from '../../../src/middleware/language.js';
import { AppError, ValidationError } from '../../../src/errors.js';
import { logger } from '../../../src/logger.js';
import { buildTestApp } from '../../helpers/app.js';

/** A bare app whose views cannot render, to exercise the plain-HTML fallback. */
function bareApp(error: unknown) {
  const app = express();
  app.set('views', '/nonexistent');
  app.set('view engine', 'hbs');
  app.use(languageMiddleware({ secureCookie: false }));
  app.get(/.*/, () => {
    throw error;
  });
  app.use(errorHandler(logger));
  return app;
}

describe('error handler', () => {
  it('when the error page cannot render, then an escaped plain HTML page is sent in the user language', async () => {
    const res = await request(bareApp(new AppError(409, 'errors:conflict'))).get('/x?lang=en');
    expect(res.status).to.equal(409);
    expect(res.headers['content-type']).to.match(/html/);
    expect(res.text).to.contain('<h1>Conflicting change</h1>');
    expect(res.text).to.contain('Someone else changed this information.');
  });

  it('when an unexpected error happens, then 500 without the message or stack', async () => {
    const res = await request(bareApp(new Error('secret <b>details</b> at /src/x.ts:10'))).get('/x');
    expect(res.status).to.equal(500);
    expect(res.text).to.contain('Samahani, kumetokea hitilafu');
    expect(res.text).to.not.contain('secret');
    expect(res.text).to.not.contain('x.ts');
  });

  it('when a validation error reaches /api, then JSON carries the field details', async () => {
    const res = await request(bareApp(new ValidationError({ email: 'validation:email' }))).get('/api/v1/x');
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('validation');
    expect(res.body.error.details).to.deep.equal({ email: 'validation:email' });
  });

  it('when library errors arrive, then they map to 4xx statuses', () => {
    expect(toAppError({ type: 'entity.too.large', status: 413 }).status).to.equal(413);
    expect(toAppError({ name: 'CastError' }).status).to.equal(404);
    expect(toAppError({ code: 11000 }).status).to.equal(409);
    expect(toAppError({ code: 'LIMIT_FILE_SIZE', name: 'MulterError' }).status).to.equal(413);
    expect(toAppError(new Error('x')).status).to.equal(500);
  });

  it('when the full app hits an unknown /api route while signed out, then 404 JSON in Kiswahili', async () => {
    const res = await request(buildTestApp().app).get('/api/haipo');
    expect(res.status).to.equal(404);
    expect(res.body.error.message).to.contain('Hatukupata');
  });
});
