/**
 * The only module that talks to mingo: query matching, projection, update
 * operators and aggregation pipelines. Everything mingo-specific (options,
 * cloning rules) stays here.
 */
import { Aggregator, Query, update as mingoUpdate } from 'mingo';
import type { Document } from 'bson';
import { tryFastUpdate } from './fast-update.js';
import { cloneValue } from './values.js';

export type CollectionResolver = (name: string) => Document[];
export type Matcher = (doc: Document) => boolean;

const BASE_OPTIONS = { useStrictMode: true, scriptEnabled: false } as const;

export function compileFilter(filter: Document | undefined): Matcher {
  if (!filter || Object.keys(filter).length === 0) return () => true;
  const q = new Query(filter, BASE_OPTIONS);
  return (doc) => q.test(doc);
}

/** Applies a find-style projection; returns new objects and never touches `docs`. */
export function project(docs: Document[], projection: Document | undefined): Document[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  return new Query({}, BASE_OPTIONS).find(docs, projection).all() as Document[];
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
  const copy = cloneValue(doc);
  const changed = mingoUpdate(copy, modifier, arrayFilters ?? [], condition ?? {}, {
    cloneMode: 'deep',
    queryOptions: BASE_OPTIONS,
  });
  return { doc: copy, modified: changed.length > 0 };
}

/** Stages that build new objects instead of writing into their input documents. */
const NON_MUTATING = new Set(['$match', '$sort', '$skip', '$limit', '$count', '$group', '$project', '$lookup', '$unwind', '$sortByCount']);

function pipelineIsSafe(pipeline: Document[]): boolean {
  return pipeline.every((stage) => {
    const name = Object.keys(stage)[0];
    if (name === '$facet') return Object.values(stage.$facet as Record<string, Document[]>).every(pipelineIsSafe);
    if (name === '$lookup' && Array.isArray(stage.$lookup.pipeline)) return pipelineIsSafe(stage.$lookup.pipeline);
    return NON_MUTATING.has(name);
  });
}

/**
 * Runs an aggregation pipeline. Stored documents are never mutated: stages
 * that may write into their input (e.g. `$addFields` on nested paths) run on
 * copies of whatever reaches them.
 */
export function aggregate(docs: Document[], pipeline: Document[], resolver: CollectionResolver, variables?: Document): Document[] {
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
  const out = new Aggregator(pipeline, BASE_OPTIONS).run([cloneValue(doc)]) as Document[];
  return out[0];
}
