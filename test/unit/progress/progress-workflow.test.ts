import { expect } from 'chai';
import {
  WORKFLOW_ACTIONS,
  WORKFLOW_STATES,
  allowedActions,
  canAct,
  canTransition,
  nextState,
  type WorkflowAction,
  type WorkflowState,
} from '../../../src/domain/progress-workflow.js';
import { ProgressItemModel } from '../../../src/features/progress/progress.model.js';

/** The full table: every (state, action) pair and the expected next state (null = refused). */
const EXPECTED: Record<WorkflowState, Record<WorkflowAction, WorkflowState | null>> = {
  no_report: { submit: 'submitted', return: null, verify: null, assess: 'verified' },
  submitted: { submit: 'submitted', return: 'returned', verify: 'verified', assess: 'verified' },
  returned: { submit: 'submitted', return: null, verify: null, assess: 'verified' },
  verified: { submit: 'submitted', return: null, verify: null, assess: 'verified' },
};

describe('progress workflow state machine', () => {
  it('when the progress item model validates a state, then it accepts exactly the workflow states', () => {
    const path = ProgressItemModel.schema.path('state') as unknown as { enumValues: string[] };
    expect(path.enumValues).to.deep.equal([...WORKFLOW_STATES]);
  });

  for (const state of WORKFLOW_STATES) {
    for (const action of WORKFLOW_ACTIONS) {
      const expected = EXPECTED[state][action];
      if (expected) {
        it(`when ${action} from ${state}, then it is allowed and leads to ${expected}`, () => {
          expect(canTransition(state, action)).to.equal(true);
          expect(nextState(state, action)).to.equal(expected);
        });
      } else {
        it(`when ${action} from ${state}, then it is refused`, () => {
          expect(canTransition(state, action)).to.equal(false);
          expect(() => nextState(state, action)).to.throw(/not allowed/);
        });
      }
    }
  }

  it('when listing allowed actions, then they match the table', () => {
    expect(allowedActions('submitted')).to.deep.equal(['submit', 'return', 'verify', 'assess']);
    expect(allowedActions('returned')).to.deep.equal(['submit', 'assess']);
  });

  describe('who may act', () => {
    const inst = 'inst-a';
    it('when an institution user submits for its own institution, then it is allowed; for another, refused', () => {
      expect(canAct({ role: 'institution', institutionId: inst }, 'submit', inst, 'no_report')).to.deep.equal({ allowed: true });
      expect(canAct({ role: 'institution', institutionId: 'inst-b' }, 'submit', inst, 'no_report')).to.deep.equal({
        allowed: false,
        reason: 'other_institution',
      });
    });

    it('when an institution user tries to verify, return or assess, then the role is refused', () => {
      for (const a of ['verify', 'return', 'assess'] as const) {
        expect(canAct({ role: 'institution', institutionId: inst }, a, inst, 'submitted')).to.deep.equal({ allowed: false, reason: 'role' });
      }
    });

    it('when reviewers or admins submit a claim, then the role is refused', () => {
      expect(canAct({ role: 'reviewer' }, 'submit', inst, 'no_report')).to.deep.equal({ allowed: false, reason: 'role' });
      expect(canAct({ role: 'admin' }, 'submit', inst, 'no_report')).to.deep.equal({ allowed: false, reason: 'role' });
    });

    it('when a reviewer or admin verifies, returns or assesses another institution, then it is allowed', () => {
      for (const role of ['reviewer', 'admin'] as const) {
        for (const a of ['verify', 'return', 'assess'] as const) {
          expect(canAct({ role, institutionId: null }, a, inst, 'submitted')).to.deep.equal({ allowed: true });
          expect(canAct({ role, institutionId: 'inst-b' }, a, inst, 'submitted')).to.deep.equal({ allowed: true });
        }
      }
    });

    it('when a reviewer belongs to the row institution, then verify, return and assess are refused', () => {
      for (const a of ['verify', 'return', 'assess'] as const) {
        expect(canAct({ role: 'reviewer', institutionId: inst }, a, inst, 'submitted')).to.deep.equal({
          allowed: false,
          reason: 'own_institution',
        });
      }
    });

    it('when the role is right but the state refuses, then the reason is state', () => {
      expect(canAct({ role: 'reviewer' }, 'verify', inst, 'returned')).to.deep.equal({ allowed: false, reason: 'state' });
      expect(canAct({ role: 'reviewer' }, 'return', inst, 'no_report')).to.deep.equal({ allowed: false, reason: 'state' });
    });
  });
});
