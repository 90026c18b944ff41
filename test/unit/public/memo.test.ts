import { expect } from 'chai';
import { Memo } from '../../../src/features/public/memo.js';

/** A computation the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Memo (bounded, time to live, stale-while-revalidate)', () => {
  it('when callers ask for the same key at once, then one computation serves them all and later callers too', async () => {
    const memo = new Memo<number>({ ttlMs: 1000, max: 10 });
    let computations = 0;
    const compute = async () => ++computations;
    const [a, b] = await Promise.all([memo.get('k', compute, 0), memo.get('k', compute, 0)]);
    expect([a, b, await memo.get('k', compute, 10)]).to.deep.equal([1, 1, 1]);
    expect(computations).to.equal(1);
  });

  it('when a computation fails, then it is forgotten and the next caller computes again', async () => {
    const memo = new Memo<number>({ ttlMs: 1000, max: 10 });
    const failing = memo.get('k', () => Promise.reject(new Error('boom')), 0);
    await failing.then(() => expect.fail('should reject'), (err: Error) => expect(err.message).to.equal('boom'));
    expect(await memo.get('k', async () => 7, 1)).to.equal(7);
  });

  it('when a value expired, then the stale value is served while exactly one refresh runs, then the fresh one', async () => {
    const memo = new Memo<string>({ ttlMs: 100, max: 10 });
    await memo.get('k', async () => 'old', 0);
    const refresh = deferred<string>();
    let refreshes = 0;
    const compute = () => {
      refreshes += 1;
      return refresh.promise;
    };
    expect(await memo.get('k', compute, 200)).to.equal('old');
    expect(await memo.get('k', compute, 201)).to.equal('old');
    expect(refreshes).to.equal(1);
    refresh.resolve('new');
    await refresh.promise;
    expect(await memo.get('k', compute, 202)).to.equal('new');
    expect(refreshes).to.equal(1);
  });

  it('when cleared while a computation runs, then its callers get it but it is never stored', async () => {
    const memo = new Memo<string>({ ttlMs: 1000, max: 10 });
    const before = deferred<string>();
    const waiting = memo.get('k', () => before.promise, 0);
    memo.clear();
    before.resolve('read before the write');
    expect(await waiting).to.equal('read before the write');
    expect(await memo.get('k', async () => 'read after the write', 2)).to.equal('read after the write');
  });

  it('when sizes exceed the bound, then the least recently used entries go first', async () => {
    const memo = new Memo<string>({ ttlMs: 1000, max: 10, size: (v) => v.length });
    const again = async () => 'computed again';
    await memo.get('a', async () => 'aaaa', 0);
    await memo.get('b', async () => 'bbbb', 0);
    await memo.get('a', again, 1); // a is now more recent than b
    await memo.get('c', async () => 'cccc', 2);
    expect(await memo.get('a', again, 3)).to.equal('aaaa');
    expect(await memo.get('c', again, 3)).to.equal('cccc');
    expect(await memo.get('b', again, 3)).to.equal('computed again');
  });
});
