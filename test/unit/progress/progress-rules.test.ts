import { expect } from 'chai';
import {
  checkClaim,
  checkValue,
  hasIssues,
  isAdjusted,
  isOverdue,
  missingFor,
  normalizePercent,
  percentRange,
} from '../../../src/domain/progress-rules.js';
import { daysUntilClose, effectiveClose, isWindowOpen, windowState } from '../../../src/domain/progress-window.js';

describe('progress rules', () => {
  describe('checkValue', () => {
    const cases: Array<[string, number, boolean]> = [
      ['not_started', 0, true],
      ['not_started', 1, false],
      ['in_progress', 0, false],
      ['in_progress', 1, true],
      ['in_progress', 60, true],
      ['in_progress', 99, true],
      ['in_progress', 100, false],
      ['completed', 99, false],
      ['completed', 100, true],
      ['not_applicable', 0, true],
      ['not_applicable', 40, true],
    ];
    for (const [status, percent, ok] of cases) {
      it(`when status is ${status} and percent ${percent}, then it is ${ok ? 'accepted' : 'refused'}`, () => {
        const issues = checkValue({ status: status as never, percent });
        expect(hasIssues(issues)).to.equal(!ok);
        if (!ok) expect(issues.percent).to.equal(`progress:rules.percentFor.${status}`);
      });
    }

    it('when percent is outside 0..100 or not whole, then it is refused as out of range', () => {
      for (const p of [-1, 101, 50.5, Number.NaN]) {
        expect(checkValue({ status: 'in_progress', percent: p }).percent).to.equal('progress:rules.percentRange');
      }
    });
  });

  describe('checkClaim', () => {
    it('when not_applicable has no justification, then the narrative is required', () => {
      expect(checkClaim({ status: 'not_applicable', percent: 0, narrative: '  ', evidenceCount: 0 }).narrative).to.equal(
        'progress:rules.justificationRequired',
      );
      expect(hasIssues(checkClaim({ status: 'not_applicable', percent: 0, narrative: 'Hatuna mfumo huo', evidenceCount: 0 }))).to.equal(false);
    });

    it('when completed has no evidence, then evidence is required; with one it passes', () => {
      expect(checkClaim({ status: 'completed', percent: 100, narrative: '', evidenceCount: 0 }).evidence).to.equal(
        'progress:rules.evidenceRequired',
      );
      expect(hasIssues(checkClaim({ status: 'completed', percent: 100, narrative: '', evidenceCount: 1 }))).to.equal(false);
    });

    it('when in_progress has no evidence, then it is still accepted', () => {
      expect(hasIssues(checkClaim({ status: 'in_progress', percent: 40, narrative: 'x', evidenceCount: 0 }))).to.equal(false);
    });

    it('when the narrative is too long, then it is refused', () => {
      expect(checkClaim({ status: 'in_progress', percent: 40, narrative: 'a'.repeat(10_001), evidenceCount: 0 }).narrative).to.equal(
        'progress:rules.narrativeTooLong',
      );
    });
  });

  it('when normalizing, then fixed statuses get their fixed percent and not_applicable gets 0', () => {
    expect(normalizePercent('not_started', 5)).to.equal(0);
    expect(normalizePercent('completed', 3)).to.equal(100);
    expect(normalizePercent('not_applicable', 70)).to.equal(0);
    expect(normalizePercent('in_progress', 70)).to.equal(70);
    expect(percentRange('in_progress')).to.deep.equal([1, 99]);
  });

  it('when the verdict differs from the claim, then it is adjusted', () => {
    expect(isAdjusted({ status: 'in_progress', percent: 60 }, { status: 'in_progress', percent: 60 })).to.equal(false);
    expect(isAdjusted({ status: 'in_progress', percent: 60 }, { status: 'in_progress', percent: 50 })).to.equal(true);
    expect(isAdjusted({ status: 'completed', percent: 100 }, { status: 'in_progress', percent: 90 })).to.equal(true);
    expect(isAdjusted(null, { status: 'in_progress', percent: 90 })).to.equal(true);
  });

  it('when a row has no report, a return or a completed claim without evidence, then missingFor lists it', () => {
    expect(missingFor({ state: 'no_report', claimed: null, claimedEvidenceCount: 0 })).to.deep.equal(['no_report']);
    expect(missingFor({ state: 'returned', claimed: { status: 'in_progress', percent: 5 }, claimedEvidenceCount: 0 })).to.deep.equal([
      'returned',
    ]);
    expect(missingFor({ state: 'submitted', claimed: { status: 'completed', percent: 100 }, claimedEvidenceCount: 0 })).to.deep.equal([
      'evidence_missing',
    ]);
    expect(missingFor({ state: 'verified', claimed: { status: 'completed', percent: 100 }, claimedEvidenceCount: 2 })).to.deep.equal([]);
  });

  it('when the due date has passed and the row is not completed, then it is overdue', () => {
    const now = new Date('2024-06-01T00:00:00Z');
    const past = new Date('2024-05-01T00:00:00Z');
    const future = new Date('2024-07-01T00:00:00Z');
    expect(isOverdue(past, null, now)).to.equal(true);
    expect(isOverdue(past, { status: 'in_progress', percent: 50 }, now)).to.equal(true);
    expect(isOverdue(past, { status: 'completed', percent: 100 }, now)).to.equal(false);
    expect(isOverdue(past, { status: 'not_applicable', percent: 0 }, now)).to.equal(false);
    expect(isOverdue(future, null, now)).to.equal(false);
  });
});

describe('reporting window', () => {
  const w = { reportingOpens: new Date('2024-03-01T00:00:00Z'), reportingCloses: new Date('2024-06-30T23:59:59Z') };

  it('when now is before, inside or after the window, then the state follows', () => {
    expect(windowState(w, new Date('2024-02-01T00:00:00Z'))).to.equal('not_open');
    expect(windowState(w, new Date('2024-03-01T00:00:00Z'))).to.equal('open');
    expect(windowState(w, new Date('2024-06-30T23:59:59Z'))).to.equal('open');
    expect(windowState(w, new Date('2024-07-01T00:00:00Z'))).to.equal('closed');
  });

  it('when an institution has an extension, then its window closes later; an earlier extension changes nothing', () => {
    const after = new Date('2024-07-05T00:00:00Z');
    expect(isWindowOpen(w, after, new Date('2024-07-10T00:00:00Z'))).to.equal(true);
    expect(isWindowOpen(w, after, new Date('2024-06-01T00:00:00Z'))).to.equal(false);
    expect(effectiveClose(w, null)).to.equal(w.reportingCloses);
  });

  it('when counting days until close, then partial days round up', () => {
    expect(daysUntilClose(w, new Date('2024-06-27T00:00:00Z'))).to.equal(4);
    expect(daysUntilClose(w, new Date('2024-07-02T00:00:00Z'))).to.be.lessThan(0);
  });
});
