import { z } from 'zod';
import { ROLES } from '../../domain/reference-data.js';
import { pageParam, objectId } from '../../middleware/validate.js';

/** Passwords are not trimmed: spaces are allowed and count. */
const passwordField = z.string().max(200);

export const changePasswordSchema = z.object({
  current: z.string().min(1).max(200),
  password: passwordField,
  confirm: z.string().max(200),
});

export const setPasswordSchema = z.object({
  password: passwordField,
  confirm: z.string().max(200),
});

export const userListQuery = z.object({
  q: z.preprocess((v) => (typeof v === 'string' ? v.trim().slice(0, 100) : undefined), z.string().optional()),
  role: z.preprocess((v) => (v === '' ? undefined : v), z.enum(ROLES).optional()),
  institution: z.preprocess((v) => (v === '' ? undefined : v), objectId().optional()),
  status: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['active', 'inactive']).optional()),
  page: pageParam(),
});

export const idParams = z.object({ id: objectId() });
