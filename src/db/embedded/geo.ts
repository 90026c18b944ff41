/**
 * Geospatial query operators as mongod 7 answers them: `$geoWithin`
 * (`$geometry` Polygon/MultiPolygon, `$box`, `$polygon`, `$center`,
 * `$centerSphere`), `$geoIntersects` and `$near` / `$nearSphere` (which need a
 * 2dsphere or 2d index on the field and return documents nearest first). The
 * geometry comes from turf (@turf/*); distances on the sphere use mongod's
 * earth radius (6,378.1 km) so `$maxDistance` in metres means the same.
 */
import type { Document } from 'bson';
import { booleanIntersects } from '@turf/boolean-intersects';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { booleanWithin } from '@turf/boolean-within';
import { distance as turfDistance } from '@turf/distance';
import type { Geometry, Point, Polygon, MultiPolygon } from 'geojson';
import { MongoCommandError } from './errors.js';
import { getPathValues } from './values.js';

const EARTH_RADIUS_M = 6_378_100;
const GEO_OPS = new Set(['$geoWithin', '$within', '$geoIntersects', '$near', '$nearSphere']);

export interface GeoCondition {
  field: string;
  test(doc: Document): boolean;
  /** `$near` / `$nearSphere`: distance of a document (undefined: no usable location), for sorting. */
  near?: { distance(doc: Document): number | undefined; spherical: boolean };
}

function isPlain(v: unknown): v is Document {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && (v as { _bsontype?: string })._bsontype === undefined;
}

const num = (v: unknown): number => Number(typeof v === 'object' && v !== null ? String(v) : v);

/** A legacy coordinate pair (`[x, y]` or `{ x, y }`) or a GeoJSON point as [lng, lat]. */
function pointOf(v: unknown): [number, number] | undefined {
  if (Array.isArray(v) && v.length >= 2 && v.every((c) => Number.isFinite(num(c)))) return [num(v[0]), num(v[1])];
  if (isPlain(v)) {
    if (v.type === 'Point') return pointOf(v.coordinates);
    const vals = Object.values(v);
    if (v.type === undefined && vals.length >= 2 && vals.every((c) => Number.isFinite(num(c)))) return [num(vals[0]), num(vals[1])];
  }
  return undefined;
}

/** The GeoJSON geometry of a stored value (legacy pairs become points). */
function geometryOf(v: unknown): Geometry | undefined {
  if (isPlain(v) && typeof v.type === 'string' && v.type !== 'Point' && (Array.isArray(v.coordinates) || Array.isArray(v.geometries))) return v as unknown as Geometry;
  const p = pointOf(v);
  return p ? ({ type: 'Point', coordinates: p } as Point) : undefined;
}

function badGeo(msg: string): MongoCommandError {
  return new MongoCommandError('BadValue', msg);
}

/** Radians between two [lng, lat] points on the sphere. */
function sphericalRadians(a: [number, number], b: [number, number]): number {
  return turfDistance(a, b, { units: 'radians' });
}

function planar(a: [number, number], b: [number, number]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

function withinShape(spec: Document): (g: Geometry) => boolean {
  if (isPlain(spec.$geometry)) {
    const shape = spec.$geometry as unknown as Geometry;
    if (shape.type !== 'Polygon' && shape.type !== 'MultiPolygon') throw badGeo(`$geoWithin not supported with provided geometry: ${JSON.stringify(spec)}`);
    return (g) => (g.type === 'Point' ? booleanPointInPolygon(g as Point, shape as Polygon | MultiPolygon) : booleanWithin(g, shape));
  }
  if (Array.isArray(spec.$box)) {
    const [lo, hi] = (spec.$box as unknown[]).map(pointOf);
    if (!lo || !hi) throw badGeo('Point must be an array or object');
    return (g) => g.type === 'Point' && g.coordinates[0] >= lo[0] && g.coordinates[0] <= hi[0] && g.coordinates[1] >= lo[1] && g.coordinates[1] <= hi[1];
  }
  if (Array.isArray(spec.$polygon)) {
    const ring = (spec.$polygon as unknown[]).map(pointOf);
    if (ring.length < 3 || ring.some((p) => !p)) throw badGeo('Polygon must have at least 3 points');
    const closed = [...(ring as [number, number][]), ring[0] as [number, number]];
    const poly: Polygon = { type: 'Polygon', coordinates: [closed] };
    return (g) => g.type === 'Point' && booleanPointInPolygon(g as Point, poly);
  }
  for (const op of ['$center', '$centerSphere'] as const) {
    if (Array.isArray(spec[op])) {
      const [c, r] = spec[op] as unknown[];
      const centre = pointOf(c);
      const radius = num(r);
      if (!centre || !(radius >= 0)) throw badGeo(`${op} requires a point and a non-negative radius`);
      return (g) => g.type === 'Point' && (op === '$center' ? planar(g.coordinates as [number, number], centre) : sphericalRadians(g.coordinates as [number, number], centre)) <= radius;
    }
  }
  throw badGeo(`unknown geo specifier: ${JSON.stringify(spec)}`);
}

function nearCondition(field: string, op: string, arg: unknown, siblings: Document): GeoCondition {
  // { $near: { $geometry: point, $maxDistance, $minDistance } } (metres) or { $near: [x, y], $maxDistance } (legacy units).
  const geoJson = isPlain(arg) && isPlain(arg.$geometry);
  const centre = pointOf(geoJson ? (arg as Document).$geometry : arg);
  if (!centre) throw badGeo(`invalid argument to ${op}: ${JSON.stringify(arg)}`);
  const opts = geoJson ? (arg as Document) : siblings;
  const max = opts.$maxDistance === undefined ? Infinity : num(opts.$maxDistance);
  const min = opts.$minDistance === undefined ? 0 : num(opts.$minDistance);
  const spherical = op === '$nearSphere' || geoJson;
  const dist = (p: [number, number]): number => (!spherical ? planar(p, centre) : sphericalRadians(p, centre) * (geoJson ? EARTH_RADIUS_M : 1));
  const distance = (doc: Document): number | undefined => {
    let best: number | undefined;
    for (const v of getPathValues(doc, field)) {
      for (const cand of Array.isArray(v) && pointOf(v) === undefined ? v : [v]) {
        const p = pointOf(cand);
        if (p) best = Math.min(best ?? Infinity, dist(p));
      }
    }
    return best;
  };
  return {
    field,
    test: (doc) => {
      const d = distance(doc);
      return d !== undefined && d <= max && d >= min;
    },
    near: { distance, spherical },
  };
}

function fieldCondition(field: string, spec: Document): GeoCondition | undefined {
  const ops = Object.keys(spec).filter((k) => GEO_OPS.has(k));
  if (ops.length === 0) return undefined;
  const op = ops[0];
  const arg = spec[op];
  if (op === '$near' || op === '$nearSphere') return nearCondition(field, op, arg, spec);
  if (!isPlain(arg)) throw badGeo(`${op} requires an object`);
  const geometries = (doc: Document): Geometry[] => {
    const out: Geometry[] = [];
    for (const v of getPathValues(doc, field)) {
      const g = geometryOf(v);
      if (g) out.push(g);
      else if (Array.isArray(v)) for (const el of v) if (geometryOf(el)) out.push(geometryOf(el)!);
    }
    return out;
  };
  if (op === '$geoIntersects') {
    if (!isPlain(arg.$geometry)) throw badGeo('$geoIntersects requires a $geometry');
    const shape = arg.$geometry as unknown as Geometry;
    return { field, test: (doc) => geometries(doc).some((g) => booleanIntersects(g, shape)) };
  }
  const inside = withinShape(arg);
  return { field, test: (doc) => geometries(doc).some(inside) };
}

/**
 * Takes the geospatial conditions out of the top level of a filter (and its
 * `$and`): the rest goes to the ordinary matcher. Undefined when there are none.
 */
export function splitGeo(filter: Document | undefined): { rest: Document; geo: GeoCondition[] } | undefined {
  if (!filter || !hasGeo(filter)) return undefined;
  const geo: GeoCondition[] = [];
  const strip = (f: Document): Document => {
    const rest: Document = {};
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) {
        const parts = v.map((sub) => strip(sub as Document)).filter((p) => Object.keys(p).length > 0);
        if (parts.length > 0) rest.$and = parts;
        continue;
      }
      const cond = !k.startsWith('$') && isPlain(v) ? fieldCondition(k, v) : undefined;
      if (!cond) {
        rest[k] = v;
        continue;
      }
      geo.push(cond);
      const others: Document = {};
      for (const [op, arg] of Object.entries(v)) if (!GEO_OPS.has(op) && op !== '$maxDistance' && op !== '$minDistance') others[op] = arg;
      if (Object.keys(others).length > 0) rest[k] = others;
    }
    return rest;
  };
  const rest = strip(filter);
  if (geo.filter((g) => g.near).length > 1) throw new MongoCommandError('BadValue', 'Too many geoNear expressions');
  return { rest, geo };
}

function hasGeo(f: unknown): boolean {
  if (Array.isArray(f)) return f.some(hasGeo);
  if (!isPlain(f)) return false;
  return Object.entries(f).some(([k, v]) => GEO_OPS.has(k) || ((k === '$and' || !k.startsWith('$')) && hasGeo(v)));
}

/** True for index key values that are not ordered (2dsphere, 2d, text, hashed). */
export function isSpecialIndexKey(v: unknown): boolean {
  return typeof v === 'string';
}
