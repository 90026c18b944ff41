/**
 * Value helpers that follow BSON semantics: a canonical string per value (used
 * as hash-index key), the BSON type ordering used by sorts, structural clones
 * and dotted-path lookups.
 */
import { Double as DoubleValue, Long as LongValue, type Document, type Double, type Int32, type Long } from 'bson';

type Bsonish = { _bsontype?: string; toHexString?: () => string; toString(): string };

function bsonType(v: unknown): string | undefined {
  return v !== null && typeof v === 'object' ? (v as Bsonish)._bsontype : undefined;
}

/**
 * The key of a number, equal across Int32, Double, Long and Decimal128 exactly
 * when the values are equal: integers by their exact decimal digits (two Longs
 * above 2^53 stay apart), other doubles by their shortest string.
 */
function numberKey(v: number): string {
  if (Number.isSafeInteger(v) || !Number.isInteger(v)) return 'n' + String(v);
  return 'n' + BigInt(v).toString(); // 1e21 -> its digits, to match Long/Decimal128 keys
}

/** The exact decimal expansion of a finite double (every double is m * 2^e). */
function exactDecimal(x: number): string {
  if (Number.isInteger(x)) return BigInt(x).toString();
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp !== 0) mant |= 1n << 52n;
  const shift = 1075 - (exp === 0 ? 1 : exp); // x = mant / 2^shift, shift > 0 for non-integers
  const digits = (mant * 5n ** BigInt(shift)).toString().padStart(shift + 1, '0');
  const frac = digits.slice(digits.length - shift).replace(/0+$/, '');
  return (x < 0 ? '-' : '') + digits.slice(0, digits.length - shift) + (frac ? '.' + frac : '');
}

/** Decimal128 digits without exponent and trailing zeros ("5.00" -> "5", "5E+3" -> "5000"). */
function normalizeDecimal(text: string): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:E([+-]?\d+))?$/i.exec(text);
  if (!m) return text; // NaN, Infinity, -Infinity
  const [, sign, int, frac = '', e = '0'] = m;
  const digits = BigInt((int + frac) || '0');
  if (digits === 0n) return '0';
  const scale = frac.length - Number(e); // decimal places
  if (scale <= 0) return sign + (digits * 10n ** BigInt(-scale)).toString();
  const s = digits.toString().padStart(scale + 1, '0');
  const fracPart = s.slice(s.length - scale).replace(/0+$/, '');
  return sign + s.slice(0, s.length - scale) + (fracPart ? '.' + fracPart : '');
}

function decimalKey(text: string): string {
  const norm = normalizeDecimal(text);
  if (!/^-?[\d.]+$/.test(norm)) return 'n' + norm.replace(/^-?Inf.*/, (s) => (s.startsWith('-') ? '-Infinity' : 'Infinity'));
  if (!norm.includes('.')) return 'n' + norm;
  // Equal to a double only when that double is exactly this decimal (0.5 yes, 0.1 no, as in mongod).
  const asDouble = Number(norm);
  return exactDecimal(asDouble) === norm ? numberKey(asDouble) : 'nd' + norm;
}

/** A string that is equal for two values exactly when MongoDB considers them equal. */
export function canonicalKey(v: unknown): string {
  if (v === undefined || v === null) return 'z';
  switch (typeof v) {
    case 'number':
      return numberKey(v);
    case 'bigint':
      return 'n' + String(v);
    case 'string':
      return 's' + JSON.stringify(v);
    case 'boolean':
      return v ? 'bT' : 'bF';
    default:
      break;
  }
  if (v instanceof Date) return 'd' + v.getTime();
  if (Array.isArray(v)) return '[' + v.map(canonicalKey).join(',') + ']';
  if (v instanceof RegExp) return 'r/' + v.source + '/' + v.flags;
  const t = bsonType(v);
  if (t !== undefined) {
    switch (t) {
      case 'ObjectId':
        return 'o' + (v as Bsonish).toHexString!();
      case 'Long':
        return 'n' + (v as Bsonish).toString();
      case 'Int32':
      case 'Double':
        return numberKey(Number((v as Bsonish).toString()));
      case 'Decimal128':
        return decimalKey((v as Bsonish).toString());
      case 'Binary': {
        const b = v as unknown as { sub_type: number; buffer: Uint8Array };
        return 'x' + b.sub_type + ':' + Buffer.from(b.buffer).toString('base64');
      }
      case 'MinKey':
        return 'min';
      case 'MaxKey':
        return 'max';
      default:
        return 't' + t + ':' + JSON.stringify(v);
    }
  }
  if (v instanceof Uint8Array) return 'x0:' + Buffer.from(v).toString('base64');
  const obj = v as Record<string, unknown>;
  let out = '{';
  for (const k of Object.keys(obj)) {
    if (obj[k] === undefined) continue;
    out += JSON.stringify(k) + ':' + canonicalKey(obj[k]) + ',';
  }
  return out + '}';
}

/** BSON comparison order: MinKey < null < numbers < strings < objects < arrays < binData < ObjectId < bool < Date < Timestamp < RegExp < MaxKey. */
export function typeRank(v: unknown): number {
  if (v === undefined || v === null) return 1;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
      return 3;
    case 'boolean':
      return 8;
    default:
      break;
  }
  if (v instanceof Date) return 9;
  if (Array.isArray(v)) return 5;
  if (v instanceof RegExp) return 11;
  const t = bsonType(v);
  switch (t) {
    case undefined:
      return v instanceof Uint8Array ? 6 : 4;
    case 'MinKey':
      return 0;
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return 2;
    case 'BSONSymbol':
      return 3;
    case 'Binary':
      return 6;
    case 'ObjectId':
      return 7;
    case 'Timestamp':
      return 10;
    case 'BSONRegExp':
      return 11;
    case 'MaxKey':
      return 12;
    default:
      return 4;
  }
}

function cmp<T>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An exact integer when the number is one (Long, bigint, integral double or decimal), else undefined. */
function exactInteger(v: unknown): bigint | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : undefined;
  if (typeof v === 'bigint') return v;
  const t = bsonType(v);
  if (t === 'Long') return BigInt((v as Bsonish).toString());
  if (t === 'Decimal128') {
    const norm = normalizeDecimal((v as Bsonish).toString());
    return /^-?\d+$/.test(norm) ? BigInt(norm) : undefined;
  }
  if (t === 'Int32' || t === 'Double') return exactInteger(Number((v as Bsonish).toString()));
  return undefined;
}

/** Numbers of any BSON type: integers exactly (Longs above 2^53 included), others as doubles. */
function compareNumbers(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : Number.isNaN(b) ? 1 : cmp(a, b);
  const ia = exactInteger(a);
  const ib = exactInteger(b);
  if (ia !== undefined && ib !== undefined) return cmp(ia, ib);
  const na = Number(typeof a === 'object' ? String(a) : a);
  const nb = Number(typeof b === 'object' ? String(b) : b);
  // NaN sorts below every other number, as in mongod.
  if (Number.isNaN(na) || Number.isNaN(nb)) return Number.isNaN(na) ? (Number.isNaN(nb) ? 0 : -1) : 1;
  if (na !== nb || !Number.isFinite(na) || (bsonType(a) !== 'Decimal128' && bsonType(b) !== 'Decimal128')) return cmp(na, nb);
  // A decimal and a double that round to the same double: compare their exact values (0.1 decimal < 0.1 double).
  return compareDecimalText(exactText(a), exactText(b));
}

function exactText(v: unknown): string {
  return bsonType(v) === 'Decimal128' ? normalizeDecimal((v as Bsonish).toString()) : exactDecimal(Number(typeof v === 'object' ? String(v) : v));
}

/** Compares two plain decimal strings ("-12.5", "0.1000000000000000055...") exactly. */
function compareDecimalText(a: string, b: string): number {
  const [ia, fa = ''] = a.split('.');
  const [ib, fb = ''] = b.split('.');
  const width = Math.max(fa.length, fb.length);
  const scaled = (i: string, f: string): bigint => {
    const neg = i.startsWith('-');
    const mag = BigInt(i.replace('-', '') + f.padEnd(width, '0'));
    return neg ? -mag : mag;
  };
  return cmp(scaled(ia, fa), scaled(ib, fb));
}

/** Compares two values in BSON order (arrays compared element-wise). */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 1:
    case 0:
    case 12:
      return 0;
    case 2:
      return compareNumbers(a, b);
    case 3:
      return cmp(String(a), String(b));
    case 8:
      return cmp(a ? 1 : 0, b ? 1 : 0);
    case 9:
      return cmp((a as Date).getTime(), (b as Date).getTime());
    case 7:
      // The 12 bytes compare like the hex strings, without building them.
      return Buffer.compare((a as { id: Uint8Array }).id, (b as { id: Uint8Array }).id);
    case 5: {
      const xa = a as unknown[];
      const xb = b as unknown[];
      for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
        const c = compareValues(xa[i], xb[i]);
        if (c !== 0) return c;
      }
      return xa.length - xb.length;
    }
    case 4: {
      const oa = a as Record<string, unknown>;
      const ob = b as Record<string, unknown>;
      const ka = Object.keys(oa);
      const kb = Object.keys(ob);
      for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
        const c = compareValues(oa[ka[i]], ob[kb[i]]) || cmp(ka[i], kb[i]);
        if (c !== 0) return c;
      }
      return ka.length - kb.length;
    }
    case 10:
      return cmp(BigInt(String(a)), BigInt(String(b)));
    default:
      return cmp(canonicalKey(a), canonicalKey(b));
  }
}

/**
 * Copies plain objects, arrays and Dates; BSON value objects (ObjectId,
 * Binary, Long...) are immutable in practice and shared.
 */
export function cloneValue<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(cloneValue) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (bsonType(v) !== undefined || v instanceof RegExp || v instanceof Uint8Array) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = cloneValue((v as Record<string, unknown>)[k]);
  return out as T;
}

export function cloneDoc(doc: Document): Document {
  return cloneValue(doc);
}

/**
 * All values reachable at a dotted path, descending into arrays the way a
 * multikey index does. An empty result means the path is missing.
 */
export function getPathValues(doc: unknown, path: string): unknown[] {
  if (!path.includes('.')) {
    // Fast path: a top-level field.
    if (doc === null || typeof doc !== 'object') return [];
    const obj = doc as Record<string, unknown>;
    return Object.prototype.hasOwnProperty.call(obj, path) ? [obj[path]] : [];
  }
  const out: unknown[] = [];
  walkPath(doc, path.split('.'), 0, out);
  return out;
}

function walkPath(v: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    out.push(v);
    return;
  }
  if (v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    const part = parts[i];
    if (/^\d+$/.test(part) && Number(part) < v.length) walkPath(v[Number(part)], parts, i + 1, out);
    for (const el of v) if (el !== null && typeof el === 'object' && !Array.isArray(el)) walkPath(el, parts, i, out);
    return;
  }
  const obj = v as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(obj, parts[i])) return;
  walkPath(obj[parts[i]], parts, i + 1, out);
}

/** The first value at a dotted path without descending into arrays (undefined when missing). */
export function getPath(doc: unknown, path: string): unknown {
  let v: unknown = doc;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** Sets a dotted path, creating intermediate objects. */
export function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Record<string, unknown> = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]];
    if (next === null || typeof next !== 'object') cur[parts[i]] = {};
    cur = cur[parts[i]] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}

/** Shell-like rendering of a value for error messages ("dup key: { email: \"a\" }"). */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (Array.isArray(v)) return '[ ' + v.map(formatValue).join(', ') + ' ]';
  const t = bsonType(v);
  if (t === 'ObjectId') return `ObjectId('${(v as Bsonish).toHexString!()}')`;
  if (t !== undefined) return `${t}(${JSON.stringify(String(v))})`;
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 0) return '{}';
  return '{ ' + keys.map((k) => `${k}: ${formatValue(obj[k])}`).join(', ') + ' }';
}

/*
 * Number types. Stored documents keep the BSON type a client sent: int32 and
 * non-integral doubles are plain numbers (the serializer writes them back as
 * the same types), an integral double within the int32 range stays a bson
 * `Double` (a plain number would come back as int32) and every int64 stays a
 * `Long`. mingo compares and computes only with plain numbers, so filters,
 * update operators and pipelines see a promoted copy (`promoteNumbers`), and
 * updates put the stored types back (`restoreNumberTypes`).
 */

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/** True for a number that `BSON.serialize` would write as int32. */
function serializesAsInt32(n: number): boolean {
  return Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX && !Object.is(n, -0);
}

/** True for a bson Double or Long: a number whose type a plain JS number would not keep. */
export function isNumberWrapper(v: unknown): v is Double | Long {
  const t = bsonType(v);
  return t === 'Double' || t === 'Long';
}

/**
 * Turns a document decoded with `promoteValues: false` into the engine's
 * representation, in place: Int32 and the doubles a plain number represents
 * exactly become numbers (and deprecated symbols strings), integral doubles within the int32 range stay `Double`,
 * int64 stays `Long`.
 */
export function keepNumberTypes<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = numberItem(v[i]);
    return v;
  }
  if (bsonType(v) !== undefined || v instanceof Date || v instanceof RegExp) return v;
  const obj = v as Record<string, unknown>;
  for (const k in obj) obj[k] = numberItem(obj[k]);
  return v;
}

function numberItem(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  switch ((v as Bsonish)._bsontype) {
    case 'Int32':
      return (v as Int32).value;
    case 'BSONSymbol':
      // Deprecated; read as a string, as the driver does by default and as it was before.
      return String((v as { value: string }).value);
    case 'Double': {
      const n = (v as Double).value;
      return serializesAsInt32(n) ? v : n;
    }
    case undefined:
      return keepNumberTypes(v);
    default:
      return v;
  }
}

const HAS_WRAPPERS = Symbol('hasNumberWrappers');

/**
 * True when `doc` holds a Double or Long anywhere. Computed once per stored
 * document and remembered on it in a hidden, non-enumerable property (not
 * serialized, not copied by spreads; stored documents are never mutated
 * otherwise, so the answer cannot go stale).
 */
export function hasNumberWrappers(doc: Document): boolean {
  const known = (doc as { [HAS_WRAPPERS]?: boolean })[HAS_WRAPPERS];
  if (known !== undefined) return known;
  const found = containsWrapper(doc);
  Object.defineProperty(doc, HAS_WRAPPERS, { value: found, enumerable: false });
  return found;
}

function containsWrapper(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(containsWrapper);
  const t = bsonType(v);
  if (t !== undefined) return t === 'Double' || t === 'Long';
  if (v instanceof Date || v instanceof RegExp || v instanceof Uint8Array) return false;
  for (const k in v) if (containsWrapper((v as Record<string, unknown>)[k])) return true;
  return false;
}

/**
 * A copy in which Double and Int32 are plain numbers, and Long too when it is a
 * safe integer (larger ones stay `Long`: a double cannot hold them exactly).
 * Parts without wrappers are shared, not copied; the input is returned as is
 * when it holds none.
 */
export function promoteNumbers<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  const t = bsonType(v);
  if (t !== undefined) {
    if (t === 'Double' || t === 'Int32') return (v as unknown as Double).value as T;
    if (t === 'Long') {
      const n = (v as unknown as Long).toNumber();
      return (Number.isSafeInteger(n) ? n : v) as T;
    }
    return v;
  }
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const p = promoteNumbers(v[i] as unknown);
      if (p !== v[i]) (out ??= v.slice())[i] = p;
    }
    return (out ?? v) as T;
  }
  if (v instanceof Date || v instanceof RegExp || v instanceof Uint8Array) return v;
  const obj = v as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(obj)) {
    const p = promoteNumbers(obj[k]);
    if (p !== obj[k]) (out ??= { ...obj })[k] = p;
  }
  return (out ?? v) as T;
}

/**
 * Puts BSON number types back into `next`, a document computed from the
 * promoted copy of `prev`: a number at a path where `prev` held a Double or
 * Long becomes that type again when it is unchanged or was computed there by
 * arithmetic (`arithmeticPaths`: $inc, $mul, $min, $max), as mongod keeps the
 * wider type (Long + int -> Long, Double + anything -> Double). Values set by
 * the update itself keep their own types.
 */
export function restoreNumberTypes(prev: unknown, next: unknown, arithmeticPaths: ReadonlySet<string>, path = ''): unknown {
  if (typeof next === 'number') {
    const t = bsonType(prev);
    if (t !== 'Double' && t !== 'Long') return next;
    const before = t === 'Double' ? (prev as Double).value : (prev as Long).toNumber();
    if (before !== next && !arithmeticPaths.has(path)) return next;
    if (t === 'Double') return serializesAsInt32(next) ? new DoubleValue(next) : next;
    return Number.isSafeInteger(next) ? LongValue.fromNumber(next) : next;
  }
  if (next === null || typeof next !== 'object' || prev === null || typeof prev !== 'object') return next;
  if (bsonType(next) !== undefined || next instanceof Date || next instanceof RegExp || next instanceof Uint8Array) return next;
  if (Array.isArray(next)) {
    if (!Array.isArray(prev)) return next;
    for (let i = 0; i < next.length; i++) next[i] = restoreNumberTypes(prev[i], next[i], arithmeticPaths, path ? `${path}.${i}` : String(i));
    return next;
  }
  if (Array.isArray(prev)) return next;
  const n = next as Record<string, unknown>;
  const p = prev as Record<string, unknown>;
  for (const k of Object.keys(n)) {
    if (Object.prototype.hasOwnProperty.call(p, k)) n[k] = restoreNumberTypes(p[k], n[k], arithmeticPaths, path ? `${path}.${k}` : k);
  }
  return next;
}
