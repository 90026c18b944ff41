import { z } from 'zod';
import { INSTITUTION_TYPES, PROGRESS_STATUSES, REGIONS } from '../../domain/reference-data.js';
import { formDate, formOptionalObjectId, objectId, pageParam } from '../../middleware/validate.js';
import { QUEUE_SORTS, QUEUE_STATES } from './review.service.js';

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === '' || v === undefined ? null : v), z.enum(values).nullable());

export const queueQuery = z.object({
  meeting: formOptionalObjectId(),
  resolution: formOptionalObjectId(),
  type: optionalEnum(INSTITUTION_TYPES),
  region: optionalEnum(REGIONS),
  q: z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null), z.string().max(100).nullable()),
  state: z.preprocess((v) => (v === '' || v === undefined ? 'submitted' : v), z.enum(QUEUE_STATES)),
  sort: z.preprocess((v) => (v === '' || v === undefined ? 'waited' : v), z.enum(QUEUE_SORTS)),
  page: pageParam(),
});

export const gapsQuery = z.object({ meeting: formOptionalObjectId(), page: pageParam() });

const optionalPercent = z.preprocess((v) => (v === '' || v === undefined ? undefined : v), z.coerce.number().optional());
const reason = z.preprocess((v) => (v == null ? '' : v), z.string().max(5000, 'review:errors.commentTooLong'));

export const verifyForm = z.object({
  revision: z.coerce.number().int().min(0),
  status: z.preprocess((v) => (v === '' ? undefined : v), z.enum(PROGRESS_STATUSES).optional()),
  percent: optionalPercent,
  reason,
});

export const returnForm = z.object({
  revision: z.coerce.number().int().min(0),
  comment: reason,
});

export const assessForm = z.object({
  revision: z.preprocess((v) => (v === '' || v === undefined ? undefined : v), z.coerce.number().int().min(0).optional()),
  institution: objectId(),
  resolution: objectId(),
  status: z.enum(PROGRESS_STATUSES),
  percent: z.preprocess((v) => (v === '' || v === undefined ? 0 : v), z.coerce.number()),
  reason,
});

export const extensionForm = z.object({
  meeting: objectId(),
  institution: objectId(),
  until: formDate(),
  reason,
});
