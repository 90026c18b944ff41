import type { Role } from './reference-data.js';

/**
 * The workflow state machine of one (institution, resolution) row.
 *
 *   no_report --submit--> submitted --verify--> verified
 *                           |  ^                   |
 *                     return|  |submit             |submit (a new claim)
 *                           v  |                   v
 *                         returned              submitted
 *
 * `assess` (a reviewer's direct assessment, e.g. after a site visit) records a verified value
 * from any state. A pending claim may be replaced by a newer claim (submitted -> submitted).
 * The progress item model takes its `state` enum from WORKFLOW_STATES.
 */
export const WORKFLOW_STATES = ['no_report', 'submitted', 'returned', 'verified'] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];

export const WORKFLOW_ACTIONS = ['submit', 'return', 'verify', 'assess'] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

/** The report kind each action writes as a new immutable version. */
export const REPORT_KIND_OF: Readonly<Record<WorkflowAction, 'claim' | 'return' | 'verification' | 'assessment'>> = {
  submit: 'claim',
  return: 'return',
  verify: 'verification',
  assess: 'assessment',
};

const TRANSITIONS: Readonly<Record<WorkflowAction, Partial<Record<WorkflowState, WorkflowState>>>> = {
  submit: { no_report: 'submitted', submitted: 'submitted', returned: 'submitted', verified: 'submitted' },
  return: { submitted: 'returned' },
  verify: { submitted: 'verified' },
  assess: { no_report: 'verified', submitted: 'verified', returned: 'verified', verified: 'verified' },
};

/** Roles allowed to perform each action (before the institution checks in `canAct`). */
export const ACTION_ROLES: Readonly<Record<WorkflowAction, readonly Role[]>> = {
  submit: ['institution'],
  return: ['reviewer', 'admin'],
  verify: ['reviewer', 'admin'],
  assess: ['reviewer', 'admin'],
};

export function canTransition(state: WorkflowState, action: WorkflowAction): boolean {
  return TRANSITIONS[action][state] !== undefined;
}

/** The state after `action`; throws when the transition is not allowed (check canTransition first). */
export function nextState(state: WorkflowState, action: WorkflowAction): WorkflowState {
  const next = TRANSITIONS[action][state];
  if (next === undefined) throw new Error(`Transition not allowed: ${action} from ${state}`);
  return next;
}

/** Actions allowed from a state (any role). */
export function allowedActions(state: WorkflowState): WorkflowAction[] {
  return WORKFLOW_ACTIONS.filter((a) => canTransition(state, a));
}

export interface WorkflowActor {
  role: Role;
  /** The institution the user belongs to (required for institution users, optional for e-GA staff). */
  institutionId?: string | null;
}

export type ActDecision = { allowed: true } | { allowed: false; reason: 'role' | 'other_institution' | 'own_institution' | 'state' };

/**
 * Whether `actor` may perform `action` on a row of `itemInstitutionId` currently in `state`.
 * - submit: only users of that institution;
 * - return/verify/assess: reviewers and admins, never on their own institution's row;
 * - and the state must allow the transition.
 */
export function canAct(actor: WorkflowActor, action: WorkflowAction, itemInstitutionId: string, state: WorkflowState): ActDecision {
  if (!ACTION_ROLES[action].includes(actor.role)) return { allowed: false, reason: 'role' };
  const own = actor.institutionId != null && String(actor.institutionId) === String(itemInstitutionId);
  if (action === 'submit' && !own) return { allowed: false, reason: 'other_institution' };
  if (action !== 'submit' && own) return { allowed: false, reason: 'own_institution' };
  if (!canTransition(state, action)) return { allowed: false, reason: 'state' };
  return { allowed: true };
}
