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
import { HexCache, ITEM_FIELDS_PROJECTION, emptyItemFields, readItemFields } from '../../db/progress-item-rows.js';
import { pairKey } from '../../domain/pair-key.js';

export interface RankingInputValue {
  institutionId: string;
  resolutionId: string;
  status: ProgressStatus;
  percent: number;
  verifiedAt: Date;
  kind: 'verification';
}

export interface ClaimValue {
  status: ProgressStatus;
  percent: number | null;
}

export interface RankingInputs {
  values: RankingInputValue[];
  /** The current claim per pair: institution id → resolution id → claim. */
  claims: Map<string, Map<string, ClaimValue>>;
}

const ITEM_BATCH = 2000;


/** The claim of one pair, if any. */
export function claimOf(claims: RankingInputs['claims'], institutionId: string, resolutionId: string): ClaimValue | undefined {
  return claims.get(institutionId)?.get(resolutionId);
}

export async function loadRankingInputs(resolutionIds: Types.ObjectId[], cutoff: Date): Promise<RankingInputs> {
  if (resolutionIds.length === 0) return { values: [], claims: new Map() };
  // Read through the driver as raw BSON (see src/db/progress-item-rows.ts): for ~20,000 rows Mongoose's
  // per-document work, and even the driver's, cost more than the query. The filter is built
  // here from ids. Batches of 2,000: the driver keeps a small index object per document of the
  // batch it is handing out; with all 20,000 in one batch those lived long enough to reach the
  // old generation (≈ 16 MB per ranking), with 2,000 they die young (≈ 1.5 MB), at no cost in time.
  const raw = (await ProgressItemModel.collection
    .find({ resolution: { $in: resolutionIds } }, { projection: ITEM_FIELDS_PROJECTION, raw: true, batchSize: ITEM_BATCH })
    .toArray()) as unknown as Uint8Array[];
  const values: RankingInputValue[] = [];
  const claims: RankingInputs['claims'] = new Map();
  const needHistory = new Set<string>();
  const t = cutoff.getTime();
  const it = emptyItemFields();
  const ids = new HexCache();
  for (const doc of raw) {
    readItemFields(doc, it, ids);
    const inst = it.institution;
    const res = it.resolution;
    if (it.claimedStatus) {
      let own = claims.get(inst);
      if (!own) claims.set(inst, (own = new Map()));
      own.set(res, { status: it.claimedStatus as ProgressStatus, percent: it.claimedPercent });
    }
    if (!it.verifiedStatus || it.verifiedAt === null) continue;
    if (it.verifiedAt <= t) {
      values.push({
        institutionId: inst,
        resolutionId: res,
        status: it.verifiedStatus as ProgressStatus,
        percent: it.verifiedPercent ?? 0,
        verifiedAt: new Date(it.verifiedAt),
        kind: 'verification',
      });
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
