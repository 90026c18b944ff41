import { expect } from 'chai';
import request from 'supertest';
import { NotificationModel, ReminderLogModel, LockModel } from '../../../src/features/notifications/notification.model.js';
import { sendReminders, reminderStage } from '../../../src/features/notifications/reminders.js';
import { acquireLock, runDailyJobs, DAILY_LOCK } from '../../../src/features/notifications/scheduler.js';
import { createCapturingMailer } from '../../../src/mail/mailer.js';
import { ProgressItemModel, ProgressReportModel } from '../../../src/features/progress/progress.model.js';
import { WindowExtensionModel } from '../../../src/features/progress/window-extension.model.js';
import { settlePending } from '../../../src/features/progress/item-writer.js';
import { testConfig } from '../../helpers/config.js';
import { buildScenario, DAY, itemOf, signIn, submitReport, tokenOf } from '../progress/scenario.js';

describe('notifications', () => {
  describe('list and unread count', () => {
    it('when anonymous, then /notifications redirects to /login', async () => {
      const s = await buildScenario();
      const res = await request(s.app).get('/notifications');
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.equal('/login?next=%2Fnotifications');
    });

    it('when a user has unread notifications, then the header shows the count and marking read only touches their own', async () => {
      const s = await buildScenario();
      const now = new Date();
      const [n1] = await NotificationModel.create([
        { user: s.userA.user._id, kind: 'returned', messageKey: 'notifications:messages.returned', params: { meeting: 4, resolution: 2, comment: 'Rekebisha' }, link: '/progress', at: now },
        { user: s.userA.user._id, kind: 'verified', messageKey: 'notifications:messages.verified', params: { meeting: 4, resolution: 3, percent: 80 }, link: '/progress', at: now },
      ]);
      const other = await NotificationModel.create({ user: s.userB.user._id, kind: 'verified', messageKey: 'notifications:messages.verified', params: {}, link: '/progress', at: now });
      const a = await signIn(s.app, s.userA);
      const page = await a.get('/notifications');
      expect(page.status).to.equal(200);
      expect(page.text).to.include('Azimio 4.2 limerudishwa kwa marekebisho: Rekebisha');
      expect(page.text).to.match(/badge-count">2/);
      const token = await tokenOf(a, '/notifications');
      // Another user's notification id: nothing changes.
      expect((await a.post(`/notifications/${other._id}/read`).type('form').send({ _csrf: token })).status).to.equal(302);
      expect((await NotificationModel.findById(other._id).lean())!.readAt).to.equal(null);
      await a.post(`/notifications/${n1._id}/read`).type('form').send({ _csrf: token });
      expect((await NotificationModel.findById(n1._id).lean())!.readAt).to.be.instanceOf(Date);
      expect((await a.get('/notifications')).text).to.match(/badge-count">1/);
      await a.post('/notifications/read-all').type('form').send({ _csrf: token });
      expect(await NotificationModel.countDocuments({ user: s.userA.user._id, readAt: null })).to.equal(0);
      const noToken = await a.post('/notifications/read-all').type('form').send({});
      expect(noToken.status).to.equal(403);
    });
  });

  describe('reminders', () => {
    it('when choosing the reminder stage, then the smallest configured N that has started wins', () => {
      expect(reminderStage(20, [14, 3])).to.equal(null);
      expect(reminderStage(14, [14, 3])).to.equal(14);
      expect(reminderStage(5, [14, 3])).to.equal(14);
      expect(reminderStage(2, [14, 3])).to.equal(3);
    });

    it('when the window closes within 14 days, then owners of unreported or returned rows get one digest, once per (user, window, N)', async () => {
      const s = await buildScenario({ windowClosesInDays: 10 });
      // A has reported r1 (not due for a reminder); r2 has no report. B has nothing.
      const a = await signIn(s.app, s.userA);
      const item = await itemOf(a, s.instA, s.r1);
      await submitReport(a, String(item._id), { revision: 0, status: 'in_progress', percent: 50 });
      const mailer = createCapturingMailer();
      const deps = { mailer, baseUrl: 'http://maazimio.test', reminderDays: [14, 3] };
      const now = new Date();
      const first = await sendReminders(now, deps);
      expect(first.sent).to.equal(2);
      expect(mailer.outbox.map((m) => m.to).sort()).to.deep.equal([s.userA.user.email, s.userB.user.email].sort());
      const mailA = mailer.outbox.find((m) => m.to === s.userA.user.email)!;
      expect(mailA.text).to.include('Azimio namba 2');
      expect(mailA.text).not.to.include('Azimio namba 1:');
      expect(mailA.text).to.include('http://maazimio.test/progress');
      expect(await NotificationModel.countDocuments({ kind: 'reminder' })).to.equal(2);

      // Running again (same day, next day, or concurrently) sends nothing more for the same stage.
      const again = await Promise.all([sendReminders(now, deps), sendReminders(new Date(now.getTime() + DAY), deps)]);
      expect(again.map((r) => r.sent)).to.deep.equal([0, 0]);
      expect(mailer.outbox).to.have.length(2);
      expect(await ReminderLogModel.countDocuments()).to.equal(2);

      // Entering the 3-day stage sends a new digest.
      const late = await sendReminders(new Date(now.getTime() + 8 * DAY), deps);
      expect(late.sent).to.equal(2);
      expect(mailer.outbox).to.have.length(4);
    });

    it('when an institution has an extension, then its reminders follow the extended date', async () => {
      const s = await buildScenario({ windowClosesInDays: 10 });
      await WindowExtensionModel.create({ meeting: s.meeting._id, institution: s.instB._id, until: new Date(Date.now() + 40 * DAY), reason: 'x', by: s.admin.user._id, at: new Date() });
      const mailer = createCapturingMailer();
      const res = await sendReminders(new Date(), { mailer, baseUrl: '', reminderDays: [14, 3] });
      expect(res.sent).to.equal(1);
      expect(mailer.outbox[0].to).to.equal(s.userA.user.email);
    });

    it('when the window is far from closing or already closed, then nobody is reminded', async () => {
      const s = await buildScenario({ windowClosesInDays: 30 });
      const mailer = createCapturingMailer();
      expect((await sendReminders(new Date(), { mailer, baseUrl: '', reminderDays: [14, 3] })).sent).to.equal(0);
      await s.meeting.updateOne({ reportingCloses: new Date(Date.now() - DAY) });
      expect((await sendReminders(new Date(), { mailer, baseUrl: '', reminderDays: [14, 3] })).sent).to.equal(0);
      expect(mailer.outbox).to.have.length(0);
    });
  });

  describe('scheduler lock', () => {
    it('when several instances try the daily lock at once, then exactly one gets it until it expires', async () => {
      const now = new Date();
      const results = await Promise.all(['a', 'b', 'c', 'd'].map((h) => acquireLock('test-lock', h, 60_000, now)));
      expect(results.filter(Boolean)).to.have.length(1);
      expect(await LockModel.countDocuments({ _id: 'test-lock' })).to.equal(1);
      expect(await acquireLock('test-lock', 'e', 60_000, new Date(now.getTime() + 30_000))).to.equal(false);
      expect(await acquireLock('test-lock', 'e', 60_000, new Date(now.getTime() + 61_000))).to.equal(true);
      expect((await LockModel.findById('test-lock').lean())!.holder).to.equal('e');
    });

    it('when two instances run the daily job, then only one sends reminders', async () => {
      await buildScenario({ windowClosesInDays: 5 });
      const mailer = createCapturingMailer();
      const deps = { config: testConfig(), mailer };
      const now = new Date();
      const ran = await Promise.all([runDailyJobs(deps, now, 'one'), runDailyJobs(deps, now, 'two')]);
      expect(ran.filter(Boolean)).to.have.length(1);
      expect(await LockModel.countDocuments({ _id: DAILY_LOCK })).to.equal(1);
      expect(mailer.outbox).to.have.length(2);
    });

    it('when a write was interrupted after claiming its version, then the pending report is inserted exactly once', async () => {
      const s = await buildScenario();
      const a = await signIn(s.app, s.userA);
      const item = await itemOf(a, s.instA, s.r1);
      await submitReport(a, String(item._id), { revision: 0, status: 'in_progress', percent: 20 });
      const saved = await ProgressReportModel.findOne({ item: item._id }).lean();
      // Simulate a crash between the item update and the report insert.
      await ProgressReportModel.deleteOne({ _id: saved!._id });
      await ProgressItemModel.updateOne({ _id: item._id }, { $set: { pending: saved } });
      const stuck = await ProgressItemModel.findById(item._id).lean();
      await settlePending(stuck!);
      await settlePending(stuck!);
      expect(await ProgressReportModel.countDocuments({ item: item._id })).to.equal(1);
      expect((await ProgressItemModel.findById(item._id).lean())!.pending).to.equal(null);
    });
  });
});
