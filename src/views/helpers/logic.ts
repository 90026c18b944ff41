import { splitArgs } from './context.js';

/**
 * Comparison and boolean helpers for templates (subexpressions):
 * {{#if (eq a b)}}, {{#if (ne a b)}}, {{#if (and a b c)}}, {{#if (or a b)}}, {{#if (not a)}}.
 * Values compare as strings when one side is an ObjectId-like object.
 */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  return String(a) === String(b);
}

export function eq(a: unknown, b: unknown): boolean {
  return same(a, b);
}

export function ne(a: unknown, b: unknown): boolean {
  return !same(a, b);
}

export function and(...args: unknown[]): boolean {
  return splitArgs(args).values.every(Boolean);
}

export function or(...args: unknown[]): boolean {
  return splitArgs(args).values.some(Boolean);
}

export function not(value: unknown): boolean {
  return !value;
}
