import { expect } from 'chai';
import request from 'supertest';
import mongoose from 'mongoose';
import { buildTestApp } from '../../helpers/app.js';
import { reconnectDatabase } from '../../helpers/root-hooks.js';

describe('GET /healthz', () => {
  it('when the database answers, then 200 { status: "ok", db: "up" }', async () => {
    const { app } = buildTestApp();
    const res = await request(app).get('/healthz');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: 'ok', db: 'up' });
    expect(res.headers['set-cookie']).to.equal(undefined);
  });

  it('when mongoose is disconnected, then 503 { status: "error", db: "down" }', async () => {
    const { app } = buildTestApp();
    await mongoose.disconnect();
    try {
      const res = await request(app).get('/healthz');
      expect(res.status).to.equal(503);
      expect(res.body).to.deep.equal({ status: 'error', db: 'down' });
    } finally {
      await reconnectDatabase();
    }
    expect((await request(buildTestApp().app).get('/healthz')).status).to.equal(200);
  });
});
