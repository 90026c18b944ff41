/**
 * The only module that talks to mingo: query matching, projection, update
 * operators and aggregation pipelines. Everything mingo-specific (options,
 * cloning rules) stays here.
 */
import { Aggregator, Query, update as mingoUpdate } from 'mingo';
import type { Document } from 'bson';
import { UNKNOWN, compileFastFilter, compileFastProjection } from './fast-query.js';
import { tryFastUpdate } from './fast-update.js';
import { cloneValue, getPath, hasNumberWrappers, promoteNumbers, restoreNumberTypes, setPath } from './values.js';
import { MongoCommandError } from './errors.js';
import { collatorFor, compileCollatedFilter, type Matcher } from './collation.js';

export type CollectionResolver = (name: string) => Document[];
export type { Matcher };

const BASE_OPTIONS = { useStrictMode: true, scriptEnabled: false } as const;

/** A matcher for `filter`; with a (non-simple) collation, string comparisons of field conditions go through it. */
export function compileFilter(raw: Document | undefined, collation?: Document): Matcher {
  if (!raw || Object.keys(raw).length === 0) return () => true;
  // mingo compares plain numbers only: Double and Long (filter and documents) are promoted for it.
  const filter = promoteNumbers(raw);
  // Compiling with mingo first keeps its errors for invalid filters.
  const q = new Query(filter, BASE_OPTIONS);
  const test = (doc: Document): boolean => q.test(hasNumberWrappers(doc) ? promoteNumbers(doc) : doc);
  const collator = collatorFor(collation);
  if (collator) {
    return compileCollatedFilter(filter, collator, (part) => {
      const sub = new Query(part, BASE_OPTIONS);
      return (doc) => sub.test(hasNumberWrappers(doc) ? promoteNumbers(doc) : doc);
    });
  }
  const fast = compileFastFilter(filter);
  if (!fast) return test;
  return (doc) => {
    const r = fast(doc);
    return r === UNKNOWN ? test(doc) : r === 1;
  };
}

/** Applies a find-style projection; returns new objects and never touches `docs`. */
export function project(docs: Document[], projection: Document | undefined): Document[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  const slices = Object.entries(projection).filter(([, v]) => isSliceSpec(v));
  if (slices.length > 0) return projectWithSlices(docs, projection, slices);
  const fast = compileFastProjection(projection);
  if (fast) {
    const out: Document[] = new Array<Document>(docs.length);
    for (let i = 0; i < docs.length; i++) out[i] = fast(docs[i]) ?? mingoProject([docs[i]], projection)[0];
    return out;
  }
  return mingoProject(docs, projection);
}

function isSliceSpec(v: unknown): v is { $slice: number | [number, number] } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && '$slice' in v;
}

/** Inclusion projections name a field with 1/true, an expression, `$elemMatch` or a positional path (`_id` aside). */
function isInclusion(projection: Document): boolean {
  return Object.entries(projection).some(([k, v]) => k !== '_id' && v !== 0 && v !== false);
}

function sliceArray(arr: unknown[], spec: number | [number, number]): unknown[] {
  if (!Array.isArray(spec)) return spec >= 0 ? arr.slice(0, spec) : arr.slice(Math.max(0, arr.length + spec));
  const [skip, limit] = spec.map(Number);
  const start = skip < 0 ? Math.max(0, arr.length + skip) : skip;
  return arr.slice(start, start + Math.max(0, limit));
}

/** `out` with the array at `parts` sliced; objects on the way are copied, arrays of documents sliced in each. */
function sliceAt(value: unknown, parts: string[], spec: number | [number, number]): unknown {
  if (parts.length === 0) return Array.isArray(value) ? sliceArray(value, spec) : value;
  if (Array.isArray(value)) return value.map((el) => (el !== null && typeof el === 'object' && !Array.isArray(el) ? sliceAt(el, parts, spec) : el));
  if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, parts[0])) return value;
  const obj = value as Document;
  return { ...obj, [parts[0]]: sliceAt(obj[parts[0]], parts.slice(1), spec) };
}

/**
 * `$slice` projections as mongod applies them: alone or with exclusions the rest
 * of the document is returned; with inclusions only the included fields.
 */
function projectWithSlices(docs: Document[], projection: Document, slices: [string, unknown][]): Document[] {
  const rest: Document = {};
  for (const [k, v] of Object.entries(projection)) if (!isSliceSpec(v)) rest[k] = v;
  const inclusion = isInclusion(rest);
  if (inclusion) for (const [k] of slices) rest[k] = 1;
  const base = Object.keys(rest).length > 0 ? project(docs, rest) : docs;
  return base.map((doc) => {
    let out: unknown = doc;
    for (const [k, v] of slices) out = sliceAt(out, k.split('.'), (v as { $slice: number | [number, number] }).$slice);
    return out as Document;
  });
}

/** Query conditions on `prefix` or below it (top level and inside `$and`). */
function conditionsOn(query: Document | undefined, prefix: string, out: Document[] = []): Document[] {
  if (!query) return out;
  for (const [k, v] of Object.entries(query)) {
    if (k === '$and' && Array.isArray(v)) for (const sub of v) conditionsOn(sub as Document, prefix, out);
    else if (k === prefix || k.startsWith(prefix + '.')) out.push({ [k]: v });
  }
  return out;
}

/**
 * What the positional `$` stands for in `prefix.$`: the index of the first
 * element of the array at `prefix` that the query's conditions on that array
 * match, or -1 (no array, no condition on it, or no element matches).
 */
export function positionalIndex(doc: Document, prefix: string, query: Document | undefined): number {
  const arr = getPath(doc, prefix);
  const conds = conditionsOn(query, prefix);
  if (!Array.isArray(arr) || conds.length === 0) return -1;
  const match = compileFilter({ $and: conds });
  return arr.findIndex((el) => {
    const probe: Document = {};
    setPath(probe, prefix, [el]);
    return match(probe);
  });
}

/** A find projection with a positional path (`{ 'items.$': 1 }`): the array holds only the element the filter matched. */
export function projectPositional(docs: Document[], projection: Document, filter: Document | undefined): Document[] {
  const key = Object.keys(projection).find((k) => k.endsWith('.$'))!;
  const prefix = key.slice(0, -2);
  const rest: Document = {};
  for (const [k, v] of Object.entries(projection)) rest[k === key ? prefix : k] = v;
  return docs.map((doc) => {
    const out = project([doc], rest)[0];
    const idx = positionalIndex(doc, prefix, filter);
    if (idx < 0) throw new MongoCommandError('BadValue', 'Executor error during find command :: caused by :: positional operator \'.$\' couldn\'t find a matching element in the array');
    return sliceAt(out, prefix.split('.'), [idx, 1]) as Document;
  });
}

function mingoProject(docs: Document[], projection: Document): Document[] {
  // mingo removes nested exclusions in place: give it copies then.
  const input = hasNestedExclusion(projection, false) ? docs.map(cloneValue) : docs;
  return new Query({}, BASE_OPTIONS).find(input, projection).all() as Document[];
}

/**
 * Applies update operators to a copy of `doc` and returns the copy plus
 * whether anything changed. `condition` resolves the positional `$` operator.
 */
export function applyUpdateOperators(
  doc: Document,
  modifier: Document,
  arrayFilters: Document[] | undefined,
  condition: Document | undefined,
): { doc: Document; modified: boolean } {
  const fast = arrayFilters && arrayFilters.length > 0 ? undefined : tryFastUpdate(doc, modifier);
  if (fast) return { doc: fast, modified: true };
  const wrapped = hasNumberWrappers(doc);
  const copy = cloneValue(wrapped ? promoteNumbers(doc) : doc);
  const changed = mingoUpdate(copy, promoteArithmetic(modifier), promoteNumbers(arrayFilters ?? []), promoteNumbers(condition ?? {}), {
    cloneMode: 'deep',
    queryOptions: BASE_OPTIONS,
  });
  if (wrapped) restoreNumberTypes(doc, copy, arithmeticPaths(modifier));
  return { doc: copy, modified: changed.length > 0 };
}

const ARITHMETIC = ['$inc', '$mul', '$min', '$max'];

/** The operands of arithmetic operators as plain numbers (values that $set stores keep their types). */
function promoteArithmetic(modifier: Document): Document {
  if (!ARITHMETIC.some((op) => op in modifier)) return modifier;
  const out: Document = { ...modifier };
  for (const op of ARITHMETIC) if (op in out) out[op] = promoteNumbers(out[op] as unknown);
  return out;
}

function arithmeticPaths(modifier: Document): Set<string> {
  const paths = new Set<string>();
  for (const op of ARITHMETIC) {
    const spec = modifier[op] as Document | undefined;
    if (spec && typeof spec === 'object') for (const p of Object.keys(spec)) paths.add(p);
  }
  return paths;
}

/** Stages that build new objects instead of writing into their input documents. */
const NON_MUTATING = new Set(['$match', '$sort', '$skip', '$limit', '$count', '$group', '$lookup', '$unwind', '$sortByCount', '$replaceRoot', '$replaceWith']);

function isExpressionObject(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys[0].startsWith('$');
}

/** mingo removes nested exclusions (`{ 'a.b': 0 }`, `{ a: { b: 0 } }`) in place. */
function hasNestedExclusion(spec: Document, nested: boolean): boolean {
  return Object.entries(spec).some(([k, v]) => {
    if (v === 0 || v === false) return nested || k.includes('.');
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !isExpressionObject(v)) return hasNestedExclusion(v as Document, true);
    return false;
  });
}

function stageIsSafe(stage: Document): boolean {
  const name = Object.keys(stage)[0];
  const arg = stage[name];
  switch (name) {
    case '$facet':
      return Object.values(arg as Record<string, Document[]>).every(pipelineIsSafe);
    case '$lookup':
      return !Array.isArray(arg.pipeline) || pipelineIsSafe(arg.pipeline);
    case '$project':
      return !hasNestedExclusion(arg as Document, false);
    case '$set':
    case '$addFields':
      // Top-level fields are set on a copy; dotted paths write into shared sub-documents.
      return Object.keys(arg as Document).every((k) => !k.includes('.'));
    case '$unset':
      return (Array.isArray(arg) ? arg : [arg]).every((k) => typeof k === 'string' && !k.includes('.'));
    default:
      return NON_MUTATING.has(name);
  }
}

function pipelineIsSafe(pipeline: Document[]): boolean {
  return pipeline.every(stageIsSafe);
}

/**
 * Runs an aggregation pipeline. Stored documents are never mutated: stages
 * that may write into their input (e.g. `$addFields` on nested paths) run on
 * copies of whatever reaches them.
 */
export function aggregate(stored: Document[], rawPipeline: Document[], rawResolver: CollectionResolver, variables?: Document): Document[] {
  // Expressions compute with plain numbers only: documents holding Double or Long are promoted
  // (their number types are not kept through a pipeline).
  const promote = (list: Document[]): Document[] => list.map((d) => (hasNumberWrappers(d) ? promoteNumbers(d) : d));
  const docs = promote(stored);
  const pipeline = promoteNumbers(rawPipeline);
  const resolver: CollectionResolver = (name) => promote(rawResolver(name));
  const options = { ...BASE_OPTIONS, collectionResolver: resolver, ...(variables ? { variables } : {}) };
  if (pipelineIsSafe(pipeline)) return new Aggregator(pipeline, options).run(docs) as Document[];
  // Run the leading filter/sort/paging stages on the originals, then copy.
  let i = 0;
  while (i < pipeline.length && ['$match', '$sort', '$skip', '$limit'].includes(Object.keys(pipeline[i])[0])) i++;
  const head = i > 0 ? (new Aggregator(pipeline.slice(0, i), options).run(docs) as Document[]) : docs;
  const copies = head.map(cloneValue);
  const safeResolver: CollectionResolver = (name) => resolver(name).map(cloneValue);
  return new Aggregator(pipeline.slice(i), { ...options, collectionResolver: safeResolver }).run(copies) as Document[];
}

/** Applies an update pipeline (`$set`, `$unset`, `$replaceWith`...) to a copy of one document. */
export function applyPipelineUpdate(doc: Document, pipeline: Document[]): Document {
  const out = new Aggregator(promoteNumbers(pipeline), BASE_OPTIONS).run([cloneValue(promoteNumbers(doc))]) as Document[];
  return restoreNumberTypes(doc, out[0], new Set()) as Document;
}
