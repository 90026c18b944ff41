import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { buildTestApp } from '../helpers/app.js';
import { createInstitution, createMeeting } from '../helpers/fixtures.js';
import { closeHttpServer } from '../../src/server.js';

describe('reliability: graceful shutdown under load', () => {
  it('when the server is stopped with requests in flight, then each of them is answered and new ones are refused', async () => {
    await createMeeting();
    await createInstitution();
    const { app } = buildTestApp();
    // The real app behind one deliberately slow route, so requests are surely in flight at the stop.
    const outer = express();
    let received = 0;
    outer.use((_req, _res, next) => {
      received += 1;
      next();
    });
    outer.get('/slow', (_req, res) => {
      setTimeout(() => res.send('done'), 400);
    });
    outer.use(app);
    const server: Server = createServer(outer);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const paths = ['/slow', '/meetings', '/', '/api/v1/institutions', '/slow', '/rankings', '/slow', '/search?q=wizara'];
    const inFlight = Array.from({ length: 24 }, (_, i) =>
      fetch(base + paths[i % paths.length]).then(async (res) => ({ status: res.status, body: await res.text() })),
    );
    // Stop once every request has reached the app (the slow ones are then still working).
    while (received < inFlight.length) await new Promise((r) => setTimeout(r, 5));
    const stopped = closeHttpServer(server, 10_000);
    const answers = await Promise.all(inFlight);
    await stopped;

    expect(answers.map((a) => a.status)).to.deep.equal(answers.map(() => 200));
    expect(answers.filter((a) => a.body === 'done')).to.have.length(9);
    let refused = false;
    try {
      await fetch(`${base}/meetings`);
    } catch {
      refused = true;
    }
    expect(refused).to.equal(true);
    expect(server.listening).to.equal(false);
  });
});
