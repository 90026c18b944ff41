import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../../helpers/app.js';
import { testConfig } from '../../helpers/config.js';
import { createMeeting } from '../../helpers/fixtures.js';
import { configurePublicCache, memo } from '../../../src/features/public/public.cache.js';
import { MeetingModel } from '../../../src/features/meetings/meeting.model.js';

async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
}

describe('public memo (stale-while-revalidate keyed by the data stamp)', () => {
  afterEach(() => configurePublicCache({ ttlMs: 0, stampTtlMs: 0 }));

  it('when nothing changed, then the value is computed once; after a write, the old value is served while one refresh runs, then the new one', async () => {
    configurePublicCache({ ttlMs: 60_000, stampTtlMs: 0 });
    let computations = 0;
    const read = () =>
      memo('test:count', async () => {
        computations += 1;
        return MeetingModel.countDocuments();
      });
    expect(await read()).to.equal(0);
    expect(await read()).to.equal(0);
    expect(computations).to.equal(1);

    await createMeeting();
    // Stale value first (readers never wait for the refresh)…
    expect(await read()).to.equal(0);
    // …and exactly one refresh brings the new value.
    await eventually(async () => (await read()) === 1);
    expect(computations).to.equal(2);
  });

  it('when the memo is off (ttl 0), then every call computes', async () => {
    configurePublicCache({ ttlMs: 0 });
    let computations = 0;
    await memo('test:off', async () => ++computations);
    await memo('test:off', async () => ++computations);
    expect(computations).to.equal(2);
  });

  it('when the app runs outside tests, then anonymous pages are served from the rendered-page cache and follow data changes', async () => {
    const { app } = buildTestApp({ config: testConfig({ NODE_ENV: 'development' }) });
    await createMeeting({ number: 41, title: { sw: 'Kikao cha Arobaini na Moja' } });
    const first = await request(app).get('/meetings').expect(200);
    expect(first.text).to.contain('Kikao cha Arobaini na Moja');
    await createMeeting({ number: 42, title: { sw: 'Kikao cha Arobaini na Mbili' } });
    await eventually(async () => (await request(app).get('/meetings')).text.includes('Kikao cha Arobaini na Mbili'));
    configurePublicCache({ ttlMs: 0 });
  });
});
