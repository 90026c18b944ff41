/**
 * Property-based fuzzing of every route in the app's route table (so a new route is covered
 * without touching this file): random and malformed params, query strings and bodies (form,
 * JSON and multipart), sent anonymously and as each role with a valid CSRF token. Every answer
 * must be a 4xx with a message or a success, never a 5xx, and afterwards every stored document
 * must still be valid against its model and the progress history whole.
 *
 * `npm test` runs a short run (FUZZ_RUNS per route and actor, default 1); set FUZZ_RUNS for more.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import mongoose from 'mongoose';
import request from 'supertest';
import type { Express } from 'express';
import { createUser } from '../helpers/fixtures.js';
import { csrfFrom, signIn, type Agent } from '../helpers/http.js';
import { buildScenario, itemOf } from '../integration/progress/scenario.js';

interface RouteEntry {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
}

/** The app's route table: every route of every mounted router. */
function routeTable(app: Express): RouteEntry[] {
  const out: RouteEntry[] = [];
  const walk = (stack: Array<{ route?: { path: unknown; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }>) => {
    for (const layer of stack) {
      if (layer.route && typeof layer.route.path === 'string') {
        for (const m of Object.keys(layer.route.methods)) out.push({ method: m as RouteEntry['method'], path: layer.route.path });
      } else if (layer.handle?.stack) walk(layer.handle.stack as typeof stack);
    }
  };
  walk((app as unknown as { router: { stack: Parameters<typeof walk>[0] } }).router.stack);
  return out;
}

/** Routes whose side effect would end the fuzzing session itself. */
const SKIP = new Set(['post /logout']);

const FIELD_NAMES = [
  'name', 'email', 'role', 'status', 'percent', 'revision', 'narrative', 'links', 'keep', 'code', 'number', 'title', 'title_sw',
  'title_en', 'weight', 'dueDate', 'institutionId', 'institution', 'meeting', 'resolution', 'resolutionId', 'ids', 'active',
  'reason', 'comment', 'q', 'page', 'type', 'region', 'mode', 'csv', 'cutoff', 'until', 'note', 'owner', 'current', 'password',
  'confirm', 'lang', 'sort', 'dir', 'action', 'decision', 'value', 'targetMeeting', 'appliesTo', 'startDate', 'endDate',
];

const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '0', '-1', '1e309', 'NaN', 'null', 'true', '[object Object]', '../../etc/passwd', '%00', '\u0000', '=HYPERLINK("x")', '<script>x</script>', '2024-02-30', '31/12/2026', 'a'.repeat(3000), '0123456789abcdef01234567', '{"$gt":""}'),
  fc.integer().map(String),
  fc.double().map(String),
);
const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  nasty,
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nasty, { maxLength: 3 }),
  fc.record({ $gt: fc.constant('') }),
  fc.dictionary(fc.constantFrom('$ne', '$where', 'sw', 'en', '__proto__', 'constructor'), nasty, { maxKeys: 2 }),
);
const body = fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 8 })), jsonValue, { maxKeys: 6 });
const encoding = fc.constantFrom('form', 'json', 'multipart');

/** Stored documents that no longer pass their model's validation (a write that bypassed it or half-happened). */
async function invalidDocuments(): Promise<string[]> {
  const problems: string[] = [];
  for (const model of Object.values(mongoose.models)) {
    const docs = await model.find({}).lean();
    for (const doc of docs) {
      try {
        await new model(doc).validate();
      } catch (err) {
        problems.push(`${model.modelName} ${String(doc._id)}: ${(err as Error).message}`);
      }
    }
  }
  const items = await mongoose.connection.db!.collection('progressitems').find({}).toArray();
  for (const item of items) {
    const versions = (await mongoose.connection.db!.collection('progressreports').find({ item: item._id }).toArray()).map((r) => r.version as number).sort((a, b) => a - b);
    if (versions.join(',') !== Array.from({ length: item.lastVersion as number }, (_, i) => i + 1).join(',') || item.pending) {
      problems.push(`progress item ${String(item._id)}: versions ${versions.join(',')} vs lastVersion ${item.lastVersion}`);
    }
  }
  return problems;
}

describe('security: fuzzing every route (fast-check)', function () {
  this.timeout(600_000);

  it('when random and malformed input reaches any route as any role, then no answer is a 5xx and the data stays valid', async () => {
    const s = await buildScenario();
    const { app } = s;
    const routes = routeTable(app).filter((r) => !SKIP.has(`${r.method} ${r.path}`));
    expect(routes.length).to.be.greaterThan(50);
    const focal = await signIn(app, s.userA);
    const item = await itemOf(focal, s.instA, s.r1);
    const actors: Array<{ name: string; agent: Agent }> = [
      { name: 'anonymous', agent: request.agent(app) },
      { name: 'institution', agent: focal },
      { name: 'reviewer', agent: await signIn(app, s.reviewer) },
      { name: 'admin', agent: await signIn(app, await createUser({ role: 'admin' })) },
    ];
    const tokens = new Map<string, string>();
    for (const a of actors) tokens.set(a.name, csrfFrom((await a.agent.get(a.name === 'anonymous' ? '/login' : '/account')).text));
    const realIds = [String(s.meeting._id), String(s.r1._id), String(s.instA._id), String(item._id), String(s.userB.user._id), s.instA.code];
    const param = fc.oneof(fc.constantFrom(...realIds), nasty.filter((v) => v.length > 0 && !v.includes('/')));
    const runs = Number(process.env.FUZZ_RUNS ?? 1);
    const failures: string[] = [];

    for (const route of routes) {
      for (const actor of actors) {
        await fc.assert(
          fc.asyncProperty(param, fc.dictionary(fc.constantFrom('q', 'page', 'lang', 'sort', 'meeting', 'status', 'type'), nasty, { maxKeys: 3 }), body, encoding, async (p, query, fields, enc) => {
            const url = route.path.replace(/:(\w+)/g, () => encodeURIComponent(p));
            const method = route.method;
            let req = actor.agent[method](url).query(query as Record<string, string>);
            if (method !== 'get') {
              const token = tokens.get(actor.name) ?? '';
              if (enc === 'json') req = req.set('x-csrf-token', token).send(fields as object);
              else if (enc === 'form') req = req.type('form').send({ ...(fields as object), _csrf: token });
              else {
                req = req.field('_csrf', token);
                for (const [k, v] of Object.entries(fields)) req = req.field(k, typeof v === 'string' ? v : JSON.stringify(v));
                req = req.attach('file', Buffer.from('code,name\n=1,x\n'), 'x.csv');
              }
            }
            const res = await req;
            if (res.status >= 500) failures.push(`${actor.name} ${method.toUpperCase()} ${url} ${enc} → ${res.status}`);
            if (res.status >= 400 && res.status < 500) {
              // A 4xx must say something (an error page or a JSON error), not an empty body.
              expect(res.text.length, `${method} ${url}`).to.be.greaterThan(0);
            }
          }),
          { numRuns: runs },
        );
      }
    }
    expect(failures).to.deep.equal([]);
    expect(await invalidDocuments()).to.deep.equal([]);
  });
});
