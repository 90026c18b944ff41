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

  it('when texts are very long, then a whole replacement is shown', () => {
    const long = 'w '.repeat(2000);
    const parts = diffWords(long, long + 'x');
    expect(parts.map((p) => p.op)).to.deep.equal(['del', 'add']);
  });
});
