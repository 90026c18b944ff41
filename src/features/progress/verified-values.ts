import { Types } from 'mongoose';
import type { ProgressStatus } from '../../domain/reference-data.js';
import { ProgressItemModel, ProgressReportModel } from './progress.model.js';
import { op } from './query.js';

/** The value that counts for rankings and the public: e-GA's latest verdict on a row. */
export interface VerifiedValue {
  institutionId: string;
  resolutionId: string;
  status: ProgressStatus;
  percent: number;
  verifiedAt: Date;
  /** User id of the reviewer who recorded it. */
  by: string;
}

export interface VerifiedValuesQuery {
  meetingId?: string;
  resolutionIds?: readonly string[];
  institutionIds?: readonly string[];
  /** Only verdicts recorded at or before this instant count (default: now). */
  cutoff?: Date;
}

interface VerdictRow {
  item: Types.ObjectId;
  institution: Types.ObjectId;
  resolution: Types.ObjectId;
  status: ProgressStatus | null;
  percent: number | null;
  at: Date;
  by: Types.ObjectId;
  version: number;
}

const toIds = (ids: readonly string[]) => ids.map((id) => new Types.ObjectId(id));

/**
 * For each (institution, resolution), the latest ProgressReport of kind `verification` or
 * `assessment` with `at <= cutoff` (default: now).
 *
 * Every verification/assessment also writes its value onto the ProgressItem (`verified`) in the
 * same atomic update that claims the version, so the item holds the latest verdict of its row.
 * One query over the items answers every row whose verdict is at or before the cutoff (all rows
 * when the cutoff is now); only rows re-verified after the cutoff need a look at their reports,
 * reduced in memory to the latest per row (by `at`, then `version`; no server-side sort).
 * Ids that are not valid ObjectIds are ignored (they cannot match anything).
 */
export async function getVerifiedValues(query: VerifiedValuesQuery = {}): Promise<VerifiedValue[]> {
  const cutoff = query.cutoff ?? new Date();
  const scope: Record<string, unknown> = {};
  if (query.meetingId !== undefined) {
    if (!Types.ObjectId.isValid(query.meetingId)) return [];
    scope.meeting = new Types.ObjectId(query.meetingId);
  }
  if (query.resolutionIds !== undefined) {
    const valid = query.resolutionIds.filter((id) => Types.ObjectId.isValid(id));
    if (valid.length === 0) return [];
    scope.resolution = op({ $in: toIds(valid) });
  }
  if (query.institutionIds !== undefined) {
    const valid = query.institutionIds.filter((id) => Types.ObjectId.isValid(id));
    if (valid.length === 0) return [];
    scope.institution = op({ $in: toIds(valid) });
  }
  const { values, later } = await fromItems(scope, cutoff);
  if (later.length === 0) return values;
  // Rows whose current verdict is newer than the cutoff: find their verdict as of the cutoff.
  // A few rows: ask for exactly their reports. Many rows (a cutoff far back): one scan of the
  // scope is cheaper than a huge $in list; the other rows' reports are dropped in memory.
  if (later.length <= 500) return [...values, ...(await fromReports({ item: op({ $in: later }) }, cutoff))];
  const wanted = new Set(later.map(String));
  return [...values, ...(await fromReports(scope, cutoff, wanted))];
}

interface ItemRow {
  _id: Types.ObjectId;
  institution: Types.ObjectId;
  resolution: Types.ObjectId;
  verified: { status: ProgressStatus; percent: number; at: Date; by: Types.ObjectId } | null;
}

/**
 * Current verdicts from the items. A verdict recorded at or before the cutoff is the answer for
 * its row (nothing later exists); rows verified after the cutoff are returned in `later`.
 */
async function fromItems(scope: Record<string, unknown>, cutoff: Date): Promise<{ values: VerifiedValue[]; later: Types.ObjectId[] }> {
  const rows = await ProgressItemModel.find({ ...scope, verified: op({ $ne: null }) })
    .select({ institution: 1, resolution: 1, verified: 1 })
    .lean<ItemRow[]>();
  const values: VerifiedValue[] = [];
  const later: Types.ObjectId[] = [];
  for (const r of rows) {
    if (!r.verified) continue;
    if (r.verified.at.getTime() > cutoff.getTime()) {
      later.push(r._id);
      continue;
    }
    values.push({
      institutionId: String(r.institution),
      resolutionId: String(r.resolution),
      status: r.verified.status,
      percent: r.verified.percent,
      verifiedAt: r.verified.at,
      by: String(r.verified.by),
    });
  }
  return { values, later };
}

/** The latest verification/assessment report per row at or before the cutoff (reduced in memory). */
async function fromReports(scope: Record<string, unknown>, cutoff: Date, onlyItems?: ReadonlySet<string>): Promise<VerifiedValue[]> {
  const filter: Record<string, unknown> = { ...scope, kind: op({ $in: ['verification', 'assessment'] }), at: op({ $lte: cutoff }) };
  const rows = await ProgressReportModel.find(filter)
    .select({ item: 1, institution: 1, resolution: 1, status: 1, percent: 1, at: 1, by: 1, version: 1, _id: 0 })
    .lean<VerdictRow[]>();

  const latest = new Map<string, VerdictRow>();
  for (const row of rows) {
    if (row.status == null || (onlyItems && !onlyItems.has(String(row.item)))) continue;
    const key = `${String(row.institution)}|${String(row.resolution)}`;
    const seen = latest.get(key);
    if (!seen || seen.at.getTime() < row.at.getTime() || (seen.at.getTime() === row.at.getTime() && seen.version < row.version)) {
      latest.set(key, row);
    }
  }
  return [...latest.values()].map((r) => ({
    institutionId: String(r.institution),
    resolutionId: String(r.resolution),
    status: r.status as ProgressStatus,
    percent: r.percent ?? 0,
    verifiedAt: r.at,
    by: String(r.by),
  }));
}
