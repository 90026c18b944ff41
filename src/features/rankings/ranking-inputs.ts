/**
 * Reads the verified (and claimed) values a ranking needs with as few documents as possible.
 *
 * Every ProgressItem carries its latest verdict (`verified`, written together with the report
 * version). When that verdict is at or before the cutoff it IS the latest verdict at or before
 * the cutoff, so one read of the items answers most pairs (all of them for a cutoff of "now").
 * Only pairs whose latest verdict is after the cutoff need their report history; those are
 * read through getVerifiedValues (the progress feature's definition of "verified at a time").
 */
import type { Types } from 'mongoose';
import type { ProgressStatus } from '../../domain/reference-data.js';
import { ProgressItemModel } from '../progress/progress.model.js';
import { getVerifiedValues } from '../progress/verified-values.js';

export interface RankingInputValue {
  institutionId: string;
  resolutionId: string;
  status: ProgressStatus;
  percent: number;
  verifiedAt: Date;
  kind: 'verification';
}

export interface RankingInputs {
  values: RankingInputValue[];
  claims: Map<string, { status: ProgressStatus; percent: number }>;
}

interface ItemRow {
  institution: Types.ObjectId;
  resolution: Types.ObjectId;
  claimed?: { status: ProgressStatus; percent: number } | null;
  verified?: { status: ProgressStatus; percent: number; at: Date } | null;
}

export const pairKey = (institutionId: string, resolutionId: string): string => `${institutionId}|${resolutionId}`;

export async function loadRankingInputs(resolutionIds: Types.ObjectId[], cutoff: Date): Promise<RankingInputs> {
  if (resolutionIds.length === 0) return { values: [], claims: new Map() };
  // Read through the driver: for ~20,000 rows Mongoose's per-document work doubles the time,
  // and this read is the largest part of computing a ranking. The filter is built here from ids.
  const items = (await ProgressItemModel.collection
    .find(
      { resolution: { $in: resolutionIds } },
      { projection: { _id: 0, institution: 1, resolution: 1, 'claimed.status': 1, 'claimed.percent': 1, 'verified.status': 1, 'verified.percent': 1, 'verified.at': 1 } },
    )
    .toArray()) as unknown as ItemRow[];
  const values: RankingInputValue[] = [];
  const claims = new Map<string, { status: ProgressStatus; percent: number }>();
  const needHistory = new Set<string>();
  const t = cutoff.getTime();
  for (const it of items) {
    const inst = String(it.institution);
    const res = String(it.resolution);
    if (it.claimed?.status) claims.set(pairKey(inst, res), { status: it.claimed.status, percent: it.claimed.percent });
    const v = it.verified;
    if (!v?.status || !v.at) continue;
    if (v.at.getTime() <= t) {
      values.push({ institutionId: inst, resolutionId: res, status: v.status, percent: v.percent ?? 0, verifiedAt: v.at, kind: 'verification' });
    } else {
      needHistory.add(pairKey(inst, res));
    }
  }
  if (needHistory.size > 0) {
    const historic = await getVerifiedValues({ resolutionIds: resolutionIds.map(String), cutoff });
    for (const h of historic) {
      if (needHistory.has(pairKey(h.institutionId, h.resolutionId))) {
        values.push({ institutionId: h.institutionId, resolutionId: h.resolutionId, status: h.status, percent: h.percent, verifiedAt: h.verifiedAt, kind: 'verification' });
      }
    }
  }
  return { values, claims };
}
