/**
 * Exact non-negative rational numbers for the ranking score. Scores are fractions
 * Σ(weight × points) / Σ(weight); comparing them as floating point numbers could
 * reorder institutions whose scores differ only in the 15th digit, or split a tie.
 * Everything is BigInt and reduced; numbers only appear when rounding for display.
 */
export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    [x, y] = [y, x % y];
  }
  return x;
}

export function rational(n: bigint, d: bigint = 1n): Rational {
  if (d === 0n) throw new RangeError('denominator is zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

export const ZERO: Rational = { n: 0n, d: 1n };

/**
 * The exact value of a JavaScript number as written in its shortest decimal form
 * (`String(x)`): 1.5 → 3/2, 0.1 → 1/10 (not the binary 0.1000000000000000055…).
 * Weights and percents are entered as decimals, so this is the value people meant.
 */
export function fromNumber(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(String(x));
  if (!m) throw new RangeError(`cannot read number: ${x}`);
  const [, sign, intPart, fracPart = '', expPart = '0'] = m;
  let n = BigInt(intPart + fracPart);
  let d = 10n ** BigInt(fracPart.length);
  const exp = Number(expPart);
  if (exp > 0) n *= 10n ** BigInt(exp);
  else if (exp < 0) d *= 10n ** BigInt(-exp);
  return rational(sign === '-' ? -n : n, d);
}

export function add(a: Rational, b: Rational): Rational {
  return rational(a.n * b.d + b.n * a.d, a.d * b.d);
}

export function sub(a: Rational, b: Rational): Rational {
  return rational(a.n * b.d - b.n * a.d, a.d * b.d);
}

export function mul(a: Rational, b: Rational): Rational {
  return rational(a.n * b.n, a.d * b.d);
}

export function div(a: Rational, b: Rational): Rational {
  if (b.n === 0n) throw new RangeError('division by zero');
  return rational(a.n * b.d, a.d * b.n);
}

/** -1, 0 or 1. */
export function compare(a: Rational, b: Rational): number {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** "n/d" (always with the denominator, e.g. "75/1"): the published exact form. */
export function toFractionString(r: Rational): string {
  return `${r.n}/${r.d}`;
}

export function parseFraction(s: string): Rational {
  const m = /^(-?\d+)\/(\d+)$/.exec(s);
  if (!m) throw new RangeError(`not a fraction: ${s}`);
  return rational(BigInt(m[1]), BigInt(m[2]));
}

/**
 * Rounds to `decimals` places, half away from zero ("half-up" for the non-negative
 * scores), computed on the exact fraction: 2/3 → 0.67, 1/8 → 0.13 (0.125 rounds up).
 */
export function roundHalfUp(r: Rational, decimals = 2): number {
  const scale = 10n ** BigInt(decimals);
  const neg = r.n < 0n;
  const absN = neg ? -r.n : r.n;
  const q = (2n * absN * scale + r.d) / (2n * r.d);
  const value = Number(q) / Number(scale);
  return neg ? -value : value;
}

export function toNumber(r: Rational): number {
  return Number(r.n) / Number(r.d);
}
