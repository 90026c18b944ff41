import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../../helpers/app.js';

describe('app skeleton', () => {
  it('when the sign-in page is requested, then it renders in Kiswahili by default', async () => {
    const { app } = buildTestApp();
    const res = await request(app).get('/login');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('<html lang="sw">');
    expect(res.text).to.contain('Barua pepe');
  });
});
