import { expect } from 'chai';
import { diffWords, hasChanges } from '../../../src/domain/progress-diff.js';

describe('progress narrative diff', () => {
  it('when texts are equal, then there is one unchanged part', () => {
    expect(diffWords('Mfumo umewekwa', 'Mfumo umewekwa')).to.deep.equal([{ op: 'same', text: 'Mfumo umewekwa' }]);
    expect(hasChanges(diffWords('a b', 'a b'))).to.equal(false);
  });

  it('when a word is replaced, then the old word is deleted and the new one added', () => {
    const parts = diffWords('Policy drafted last month', 'Policy approved last month');
    expect(parts).to.deep.equal([
      { op: 'same', text: 'Policy ' },
      { op: 'del', text: 'drafted' },
      { op: 'add', text: 'approved' },
      { op: 'same', text: ' last month' },
    ]);
  });

  it('when text is appended or removed, then the change is one run', () => {
    expect(diffWords('', 'new text')).to.deep.equal([{ op: 'add', text: 'new text' }]);
    expect(diffWords('old text', '')).to.deep.equal([{ op: 'del', text: 'old text' }]);
  });

  it('when the diff is rebuilt from its parts, then both texts come back', () => {
    const before = 'one two three four five';
    const after = 'one three four six five seven';
    const parts = diffWords(before, after);
    expect(parts.filter((p) => p.op !== 'add').map((p) => p.text).join('')).to.equal(before);
    expect(parts.filter((p) => p.op !== 'del').map((p) => p.text).join('')).to.equal(after);
  });

  it('when a long text only gains an ending, then the common start is kept without filling any table', () => {
    const long = 'w '.repeat(2000);
    const work = { diffs: 0, cells: 0 };
    const parts = diffWords(long, long + 'x', work);
    expect(parts).to.deep.equal([{ op: 'same', text: long }, { op: 'add', text: 'x' }]);
    expect(work).to.deep.equal({ diffs: 1, cells: 0 });
  });

  it('when two long texts differ throughout, then the changed middle is one replacement and the table stays within its cap', () => {
    const a = Array.from({ length: 1500 }, (_, i) => `a${i}`).join(' ');
    const b = Array.from({ length: 1500 }, (_, i) => `b${i}`).join(' ');
    const work = { diffs: 0, cells: 0 };
    expect(diffWords(a, b, work).map((p) => p.op)).to.deep.equal(['del', 'add']);
    expect(work.cells).to.equal(0);
  });

  it('when paragraphs change, then the line breaks between them are kept in the diff', () => {
    const parts = diffWords('Kwanza.\n\nPili.', 'Kwanza.\n\nPili mpya.\n\nTatu.');
    expect(parts.filter((p) => p.op !== 'del').map((p) => p.text).join('')).to.equal('Kwanza.\n\nPili mpya.\n\nTatu.');
    expect(parts[0]).to.deep.equal({ op: 'same', text: 'Kwanza.\n\n' });
    expect(parts.some((p) => p.op === 'add' && p.text.includes('\n\nTatu.'))).to.equal(true);
  });
});
