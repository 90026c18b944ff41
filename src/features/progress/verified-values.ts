import { Types } from 'mongoose';
import type { ProgressStatus } from '../../domain/reference-data.js';
import { ProgressReportModel } from './progress.model.js';
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
 * `assessment` with `at <= cutoff`. One query sorted by time, reduced in memory (later rows
 * overwrite earlier ones), so 1,000 institutions x 20 resolutions x 5 versions is one pass.
 * Ids that are not valid ObjectIds are ignored (they cannot match anything).
 */
export async function getVerifiedValues(query: VerifiedValuesQuery = {}): Promise<VerifiedValue[]> {
  const cutoff = query.cutoff ?? new Date();
  const filter: Record<string, unknown> = { kind: op({ $in: ['verification', 'assessment'] }), at: op({ $lte: cutoff }) };
  if (query.meetingId !== undefined) {
    if (!Types.ObjectId.isValid(query.meetingId)) return [];
    filter.meeting = new Types.ObjectId(query.meetingId);
  }
  if (query.resolutionIds !== undefined) {
    const valid = query.resolutionIds.filter((id) => Types.ObjectId.isValid(id));
    if (valid.length === 0) return [];
    filter.resolution = op({ $in: toIds(valid) });
  }
  if (query.institutionIds !== undefined) {
    const valid = query.institutionIds.filter((id) => Types.ObjectId.isValid(id));
    if (valid.length === 0) return [];
    filter.institution = op({ $in: toIds(valid) });
  }

  const rows = await ProgressReportModel.find(filter)
    .select({ institution: 1, resolution: 1, status: 1, percent: 1, at: 1, by: 1, version: 1, _id: 0 })
    .sort({ at: 1, version: 1 })
    .lean<VerdictRow[]>();

  const latest = new Map<string, VerdictRow>();
  for (const row of rows) {
    if (row.status == null) continue;
    const key = `${String(row.institution)}|${String(row.resolution)}`;
    const seen = latest.get(key);
    // Sorted ascending by time; a same-instant tie goes to the higher version.
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
