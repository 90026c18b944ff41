import { expect } from 'chai';
import request from 'supertest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Express } from 'express';
import { computeCategory, type CategoryDefinition } from '../../../src/domain/award-categories.js';
import { AuditEntryModel } from '../../../src/features/audit/audit.model.js';
import { InstitutionModel } from '../../../src/features/institutions/institution.model.js';
import { RankingModel } from '../../../src/features/rankings/ranking.model.js';
import { NotificationModel } from '../../../src/features/notifications/notification.model.js';
import { buildTestApp } from '../../helpers/app.js';
import { csrfFrom, signIn } from '../../helpers/http.js';
import { arrange, localInput, type Scenario } from './setup.js';

type Agent = Awaited<ReturnType<typeof signIn>>;

async function pdfPages(buffer: Buffer): Promise<string[]> {
  const pdf = await getDocument({ data: new Uint8Array(buffer), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' ').replace(/\s+/g, ' '));
  }
  await pdf.destroy();
  return pages;
}

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

async function post(agent: Agent, url: string, fields: Record<string, unknown>, formUrl: string) {
  const token = csrfFrom((await agent.get(formUrl)).text);
  return agent.post(url).type('form').send({ ...fields, _csrf: token });
}

describe('award categories (admin flow and open data)', () => {
  let app: Express;
  let outbox: Array<{ to: string; subject: string; text: string }>;
  let s: Scenario;
  let admin: Agent;
  let draftId: string;

  beforeEach(async () => {
    ({ app, outbox } = buildTestApp());
    s = await arrange();
    // A (ministry, Dodoma) at Level 4; B (ministry, Arusha) at Level 3; C (council) not assessed.
    await InstitutionModel.updateOne({ _id: s.a._id }, { $set: { maturityLevel: 4, maturityAssessedOn: new Date('2024-06-30') } });
    await InstitutionModel.updateOne({ _id: s.b._id }, { $set: { maturityLevel: 3, maturityAssessedOn: new Date('2024-06-30') } });
    admin = await signIn(app, s.admin);
    const res = await post(admin, '/admin/rankings', { meeting: String(s.meeting._id), cutoff: localInput(s.cutoff), winnersPerPeerGroup: 3, mostImproved: 'on' }, '/admin/rankings');
    expect(res.status).to.equal(303);
    draftId = /\/admin\/rankings\/([0-9a-f]{24})/.exec(res.headers.location ?? '')?.[1] as string;
  });

  it('when an admin adds a category judged by maturity level on resolution 2 with a minimum score, then only qualifying groups have a winner', async () => {
    const form = `/admin/rankings/${draftId}/categories/new`;
    const res = await post(
      admin,
      `/admin/rankings/${draftId}/categories`,
      { nameSw: 'Utendaji bora katika GovESB', nameEn: 'Best Performance in GovESB', grouping: 'maturity', top: '1', minScore: '50', [`crit_${String(s.r2._id)}`]: '1' },
      form,
    );
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    const stored = await RankingModel.findById(draftId).lean();
    expect(stored?.parameters.categories.map((c) => [c.key, c.grouping, c.winners?.top, c.winners?.minScore])).to.deep.equal([['best-performance-in-govesb', 'maturity', 1, 50]]);
    const result = stored?.categories[0];
    // On resolution 2 alone: A 40 (Level 4, below the minimum), B 100 (Level 3); C has no level.
    expect(result?.winners.map((w) => [w.code, w.group, w.place, w.score])).to.deep.equal([['MIN-B', 'level-3', 1, 100]]);
    expect(result?.groups.map((g) => [g.group, g.winners])).to.deep.equal([['level-4', 0], ['level-3', 1]]);
    expect(await AuditEntryModel.countDocuments({ action: 'ranking.category.add' })).to.equal(1);

    const page = await admin.get(`/admin/rankings/${draftId}?lang=en`);
    expect(page.text).to.include('Best Performance in GovESB').and.include('No institution in this group met the rule');
  });

  it('when the category form has no criterion or a bad weight, then it answers 400 in Kiswahili and the draft keeps no category', async () => {
    const form = `/admin/rankings/${draftId}/categories/new`;
    const none = await post(admin, `/admin/rankings/${draftId}/categories`, { nameSw: 'Tuzo', grouping: 'type', top: '3' }, form);
    expect(none.status).to.equal(400);
    expect(none.text).to.include('Weka uzito kwa angalau azimio moja.');
    const bad = await post(admin, `/admin/rankings/${draftId}/categories`, { nameSw: 'Tuzo', grouping: 'type', top: '3', [`crit_${String(s.r1._id)}`]: '-2' }, form);
    expect(bad.status).to.equal(400);
    expect((await RankingModel.findById(draftId).lean())?.parameters.categories).to.have.length(0);
  });

  it('when a reviewer posts a category, then it is refused and nothing changes', async () => {
    const reviewer = await signIn(app, s.reviewer);
    const token = csrfFrom((await reviewer.get(`/admin/rankings/${draftId}`)).text);
    const res = await reviewer.post(`/admin/rankings/${draftId}/categories`).type('form').send({ _csrf: token, nameSw: 'X', grouping: 'none', top: '1', [`crit_${String(s.r1._id)}`]: '1' });
    expect(res.status).to.equal(403);
    expect((await RankingModel.findById(draftId).lean())?.parameters.categories).to.have.length(0);
  });

  it('when the ranking is published, then its open data lets anyone recompute every category and award exactly', async () => {
    const form = `/admin/rankings/${draftId}/categories/new`;
    await post(admin, `/admin/rankings/${draftId}/categories`, { nameSw: 'Uzingatiaji', grouping: 'type', top: '1', [`crit_${String(s.r1._id)}`]: '3', [`crit_${String(s.r2._id)}`]: '1.5' }, form);
    await post(admin, `/admin/rankings/${draftId}/categories`, { nameSw: 'Ushirikishwaji', grouping: 'maturity', top: '4', minGrade: 'B', [`crit_${String(s.r2._id)}`]: '1' }, form);
    const published = await post(admin, `/admin/rankings/${draftId}/publish`, { note: '', confirm: 'yes' }, `/admin/rankings/${draftId}`);
    expect(published.status).to.equal(303);

    const json = (await request(app).get(`/rankings/${draftId}/download.json`)).body as {
      period: { label: string };
      parameters: { categories: Array<Omit<CategoryDefinition, 'description'> & { description: { sw: string } }>; gradeBands: { A: number; B: number; C: number } };
      entries: Array<{ institutionId: string; code: string; type: string; region: string; maturityLevel: number | null; breakdown: Array<{ resolutionId: string; number: number; status: string; percent: number | null; verifiedAt: string | null }> }>;
      categories: Array<{ key: string; winners: unknown[]; entries: unknown[] }>;
    };
    expect(json.parameters.categories).to.have.length(2);
    expect(json.period.label).to.match(/^\d{4}\/\d{2}$/);
    // Recompute from the JSON alone: entries' breakdown lines are the verified values.
    const institutions = json.entries.map((e) => ({ id: e.institutionId, code: e.code, type: e.type, region: e.region, active: true }));
    const resolutionIds = [...new Set(json.entries.flatMap((e) => e.breakdown.map((b) => b.resolutionId)))];
    const values = json.entries.flatMap((e) =>
      e.breakdown
        .filter((b) => b.verifiedAt !== null)
        .map((b) => ({ institutionId: e.institutionId, resolutionId: b.resolutionId, status: b.status as 'completed', percent: b.percent ?? 0, verifiedAt: new Date(b.verifiedAt as string), kind: 'verification' as const })),
    );
    const appliesTo = (id: string) => [...new Set(json.entries.filter((e) => e.breakdown.some((b) => b.resolutionId === id)).map((e) => e.type))];
    for (const def of json.parameters.categories) {
      const again = computeCategory(
        def as CategoryDefinition,
        { institutions, resolutions: resolutionIds.map((id, i) => ({ id, number: i + 1, weight: 1, appliesTo: appliesTo(id), active: true })), values, cutoff: new Date('2100-01-01') },
        json.entries.map((e) => ({ id: e.institutionId, maturityLevel: e.maturityLevel })),
        json.parameters.gradeBands,
      );
      const published = json.categories.find((c) => c.key === def.key);
      expect(JSON.parse(JSON.stringify(again.winners))).to.deep.equal(published?.winners);
      expect(again.entries.map((e) => [e.institutionId, e.scoreExact, e.place])).to.deep.equal(
        (published?.entries as Array<{ institutionId: string; scoreExact: string; place: number }>).map((e) => [e.institutionId, e.scoreExact, e.place]),
      );
    }
    expect(json.categories[0].winners).to.have.length.greaterThan(0);
  });

  it('when e-GA hides the needs-improvement list of a ranking, then neither the public page nor the open data names the laggards; the period is shown', async () => {
    const res = await post(
      admin,
      '/admin/rankings',
      { meeting: String(s.meeting._id), cutoff: localInput(s.cutoff), period: '2023/24', needsImprovementVisibility: 'institutions', winnersPerPeerGroup: 3 },
      '/admin/rankings',
    );
    const id = /\/admin\/rankings\/([0-9a-f]{24})/.exec(res.headers.location ?? '')?.[1] as string;
    const stored = await RankingModel.findById(id).lean();
    expect(stored?.parameters.needsImprovementVisibility).to.equal('institutions');
    expect(stored?.parameters.period?.label).to.equal('2023/24');
    expect(stored?.awards?.needsImprovement.map((a) => a.code)).to.include('LGA-C');
    await post(admin, `/admin/rankings/${id}/publish`, { note: '', confirm: 'yes' }, `/admin/rankings/${id}`);
    const page = await request(app).get(`/rankings/${id}?lang=en`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Financial year 2023/24');
    expect(page.text).to.include('the institutions concerned were told directly');
    expect(page.text).not.to.include('needs-improvement"');
    const json = (await request(app).get(`/rankings/${id}/download.json`)).body as { awards: { needsImprovement: unknown[] }; period: { label: string } };
    expect(json.awards.needsImprovement).to.deep.equal([]);
    expect(json.period.label).to.equal('2023/24');
  });

  it('when a published category has winners, then each gets a bilingual certificate PDF and all can be downloaded as one PDF; anonymous visitors cannot', async () => {
    const form = `/admin/rankings/${draftId}/categories/new`;
    await post(admin, `/admin/rankings/${draftId}/categories`, { nameSw: 'Utendaji bora', nameEn: 'Best Performance', grouping: 'maturity', top: '4', [`crit_${String(s.r1._id)}`]: '1' }, form);
    const draftCert = await admin.get(`/admin/rankings/${draftId}/certificates.pdf`);
    expect(draftCert.status).to.equal(404);
    await post(admin, `/admin/rankings/${draftId}/publish`, { note: '', confirm: 'yes' }, `/admin/rankings/${draftId}`);
    const stored = await RankingModel.findById(draftId).lean();
    const winners = stored?.categories[0].winners ?? [];
    expect(winners.map((w) => w.code)).to.deep.equal(['MIN-A', 'MIN-B']);
    // Winners are told in-app and by email; every ranked institution hears of the publication.
    const wonB = await NotificationModel.find({ user: s.userB.user._id, kind: 'award_won' }).lean();
    expect(wonB.map((n) => n.params)).to.deep.include({ award: ' — Utendaji bora', place: 1, version: 1 });
    expect(await NotificationModel.countDocuments({ kind: 'ranking_published' })).to.equal(2);
    expect(outbox.some((m) => m.to === s.userB.user.email && /Utendaji bora|Best Performance/.test(m.text))).to.equal(true);

    const page = await admin.get(`/admin/rankings/${draftId}`);
    const link = `/admin/rankings/${draftId}/certificates/best-performance/${String(s.a._id)}.pdf`;
    expect(page.text).to.include(link);
    const one = await admin.get(link).buffer(true).parse(binary);
    expect(one.status).to.equal(200);
    expect(one.headers['content-type']).to.match(/^application\/pdf/);
    const [text] = await pdfPages(one.body as Buffer);
    expect(text).to.include('CHETI CHA TUZO').and.include('Award Certificate').and.include('Wizara A').and.include('Ministry A');
    expect(text).to.include('Utendaji bora').and.include('Best Performance').and.include('Kiwango cha ukomavu 4').and.include('Maturity level 4');
    expect(text).to.include('Nafasi ya 1').and.include('Place 1').and.include('100.00');
    expect(text).to.include(`/rankings/${draftId}#cat-best-performance`);

    const all = await admin.get(`/admin/rankings/${draftId}/certificates.pdf`).buffer(true).parse(binary);
    expect(all.status).to.equal(200);
    const pages = await pdfPages(all.body as Buffer);
    expect(pages).to.have.length(2);
    expect(pages[1]).to.include('Wizara B');

    expect((await request(app).get(link)).status).to.equal(302);
    expect((await admin.get(`/admin/rankings/${draftId}/certificates/best-performance/${String(s.c._id)}.pdf`)).status).to.equal(404);
  });
});
