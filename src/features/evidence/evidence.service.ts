import { Readable } from 'node:stream';
import { GridFSBucket, ObjectId, type Db } from 'mongodb';
import mongoose, { Types } from 'mongoose';
import { fileTypeFromBuffer } from 'file-type';
import { MAX_EVIDENCE_FILE_BYTES, MAX_EVIDENCE_FILE_MB, MAX_EVIDENCE_FILES } from '../../domain/progress-rules.js';
import { NotFoundError } from '../../errors.js';
import type { SessionUser } from '../../middleware/auth.js';
import { logger } from '../../logger.js';
import { ProgressReportModel, type ProgressReport } from '../progress/progress.model.js';

const log = logger.child({ module: 'evidence' });

export const EVIDENCE_BUCKET = 'evidence';

/**
 * Accepted evidence types, decided from the file CONTENT (magic numbers via file-type), never
 * from the name or the browser's Content-Type. Old .doc/.xls files are OLE containers
 * (application/x-cfb).
 */
export const ALLOWED_MIME_TYPES: ReadonlySet<string> = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/x-cfb',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
]);

/** Types a browser may show inline (everything else is always downloaded). */
export const INLINE_MIME_TYPES: ReadonlySet<string> = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** How a review page previews a file of this type: an <img>, a sandboxed frame (PDF), or not at all. */
export function previewKind(contentType: string | null | undefined): 'image' | 'pdf' | null {
  if (!contentType || !INLINE_MIME_TYPES.has(contentType)) return null;
  return contentType === 'application/pdf' ? 'pdf' : 'image';
}

export interface IncomingFile {
  originalname: string;
  buffer: Buffer;
  size: number;
}

export interface CheckedFile {
  filename: string;
  contentType: string;
  buffer: Buffer;
  size: number;
}

export interface StoredFile {
  kind: 'file';
  fileId: Types.ObjectId;
  filename: string;
  contentType: string;
  size: number;
}

function bucket(): GridFSBucket {
  const db = mongoose.connection.db as unknown as Db | undefined;
  if (!db) throw new Error('database not connected');
  return new GridFSBucket(db, { bucketName: EVIDENCE_BUCKET });
}

/** Keeps a readable, header-safe file name (no path, no control characters). */
export function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 150);
  return cleaned.length > 0 ? cleaned : 'file';
}

/**
 * Checks count, size and content type of uploaded files. Returns per-file problems as i18n keys
 * ("progress:evidence.…") with the file name, or the checked files.
 */
export async function checkFiles(files: readonly IncomingFile[]): Promise<{ ok: true; files: CheckedFile[] } | { ok: false; message: string; params: Record<string, unknown> }> {
  if (files.length > MAX_EVIDENCE_FILES) return { ok: false, message: 'progress:evidence.tooMany', params: { max: MAX_EVIDENCE_FILES } };
  const checked: CheckedFile[] = [];
  for (const f of files) {
    const filename = safeFilename(f.originalname);
    if (f.size > MAX_EVIDENCE_FILE_BYTES || f.buffer.length > MAX_EVIDENCE_FILE_BYTES) {
      return { ok: false, message: 'progress:evidence.tooLarge', params: { name: filename, maxMb: MAX_EVIDENCE_FILE_MB } };
    }
    if (f.size === 0) return { ok: false, message: 'progress:evidence.empty', params: { name: filename } };
    const type = await fileTypeFromBuffer(f.buffer);
    if (!type || !ALLOWED_MIME_TYPES.has(type.mime)) {
      return { ok: false, message: 'progress:evidence.badType', params: { name: filename } };
    }
    checked.push({ filename, contentType: type.mime, buffer: f.buffer, size: f.buffer.length });
  }
  return { ok: true, files: checked };
}

/** Uploads checked files to GridFS; on any failure deletes those already written. */
export async function storeFiles(files: readonly CheckedFile[], uploadedBy: string): Promise<StoredFile[]> {
  const b = bucket();
  const stored: StoredFile[] = [];
  try {
    for (const f of files) {
      const id = new ObjectId();
      await new Promise<void>((resolve, reject) => {
        const up = b.openUploadStreamWithId(id, f.filename, { metadata: { contentType: f.contentType, uploadedBy } });
        up.once('error', reject);
        up.once('finish', () => resolve());
        Readable.from([f.buffer]).pipe(up);
      });
      stored.push({ kind: 'file', fileId: new Types.ObjectId(id.toHexString()), filename: f.filename, contentType: f.contentType, size: f.size });
    }
  } catch (err) {
    await deleteFiles(stored.map((s) => s.fileId));
    throw err;
  }
  return stored;
}

/** Deletes GridFS files (used when a submit loses or fails after uploading). Never throws. */
export async function deleteFiles(ids: readonly Types.ObjectId[]): Promise<void> {
  if (ids.length === 0) return;
  const b = bucket();
  for (const id of ids) {
    try {
      await b.delete(new ObjectId(String(id)));
    } catch (err) {
      log.warn({ err, fileId: String(id) }, 'could not delete evidence file');
    }
  }
}

export interface EvidenceDownload {
  filename: string;
  contentType: string;
  size: number;
  inline: boolean;
  stream: NodeJS.ReadableStream;
}

/**
 * Opens an evidence file for a signed-in user. Access: e-GA staff (admin, reviewer), or a user
 * of the institution whose report holds the file. Everyone else gets 404 (existence is not revealed).
 */
export async function openEvidence(actor: Pick<SessionUser, 'role' | 'institutionId'>, fileId: string): Promise<EvidenceDownload> {
  if (!Types.ObjectId.isValid(fileId) || !/^[a-f0-9]{24}$/i.test(fileId)) throw new NotFoundError();
  const id = new Types.ObjectId(fileId);
  const report = await ProgressReportModel.findOne({ 'evidence.fileId': id }).select({ institution: 1, evidence: 1 }).lean<ProgressReport>();
  if (!report) throw new NotFoundError();
  const staff = actor.role === 'admin' || actor.role === 'reviewer';
  const own = actor.role === 'institution' && actor.institutionId != null && String(report.institution) === String(actor.institutionId);
  if (!staff && !own) throw new NotFoundError();
  const entry = report.evidence.find((e) => e.fileId && String(e.fileId) === fileId);
  const b = bucket();
  const files = await b.find({ _id: new ObjectId(fileId) }).toArray();
  const file = files[0];
  if (!file || !entry) throw new NotFoundError();
  const contentType = entry.contentType || 'application/octet-stream';
  return {
    filename: entry.filename || file.filename,
    contentType,
    size: file.length,
    inline: INLINE_MIME_TYPES.has(contentType),
    stream: b.openDownloadStream(new ObjectId(fileId)),
  };
}

/** A link evidence must be an absolute http(s) URL. */
export function isSafeLink(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/**
 * A link as the user typed it: an address without a scheme ("tra.go.tz/govesb") gets https://,
 * as a browser's address bar would; null when the line cannot be a web address.
 */
export function normalizeLink(line: string): string | null {
  const typed = line.trim();
  if (!typed || typed.length > 2000) return null;
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `https://${typed}`;
  if (!isSafeLink(url)) return null;
  // A bare word ("ripoti") is not an address: the host needs a dot (or is an IP literal).
  return new URL(url).hostname.includes('.') ? url : null;
}
