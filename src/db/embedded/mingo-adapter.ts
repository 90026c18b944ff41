/**
 * The only module that talks to mingo: query matching, projection, update
 * operators and aggregation pipelines. Everything mingo-specific (options,
 * cloning rules) stays here.
 */
import { Aggregator, Query, update as mingoUpdate } from 'mingo';
import type { Document } from 'bson';
import { UNKNOWN, compileFastFilter, compileFastProjection } from './fast-query.js';
import { tryFastUpdate } from './fast-update.js';
import { cloneValue, hasNumberWrappers, promoteNumbers, restoreNumberTypes } from './values.js';

export type CollectionResolver = (name: string) => Document[];
export type Matcher = (doc: Document) => boolean;

const BASE_OPTIONS = { useStrictMode: true, scriptEnabled: false } as const;

export function compileFilter(raw: Document | undefined): Matcher {
  if (!raw || Object.keys(raw).length === 0) return () => true;
  // mingo compares plain numbers only: Double and Long (filter and documents) are promoted for it.
  const filter = promoteNumbers(raw);
  // Compiling with mingo first keeps its errors for invalid filters.
  const q = new Query(filter, BASE_OPTIONS);
  const test = (doc: Document): boolean => q.test(hasNumberWrappers(doc) ? promoteNumbers(doc) : doc);
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
  const fast = compileFastProjection(projection);
  if (fast) {
    const out: Document[] = new Array<Document>(docs.length);
    for (let i = 0; i < docs.length; i++) out[i] = fast(docs[i]) ?? mingoProject([docs[i]], projection)[0];
    return out;
  }
  return mingoProject(docs, projection);
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
