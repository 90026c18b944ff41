import { expect } from 'chai';
import { z } from 'zod';
import { translator } from '../../../src/i18n/index.js';
import { parseForm, formCheckbox, formDate, formArray, formNumber } from '../../../src/middleware/validate.js';

describe('parseForm', () => {
  const schema = z.object({
    name: z.string().trim().min(1),
    email: z.email(),
    code: z.string().min(3),
    kind: z.enum(['a', 'b']),
    password: z.string().min(1),
  });

  it('when fields are wrong, then messages come out in Kiswahili', () => {
    const r = parseForm(schema, { name: '', email: 'x', code: 'ab', kind: 'c', password: 'secret', _csrf: 't' }, translator('sw'));
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.errors.name).to.equal('Sehemu hii ni lazima.');
    expect(r.errors.email).to.equal('Weka anwani sahihi ya barua pepe.');
    expect(r.errors.code).to.equal('Weka angalau herufi 3.');
    expect(r.errors.kind).to.equal('Chagua mojawapo ya machaguo yaliyopo.');
    expect(r.values).to.deep.equal({ name: '', email: 'x', code: 'ab', kind: 'c' });
  });

  it('when fields are wrong, then messages come out in English', () => {
    const r = parseForm(schema, { email: 'x' }, translator('en'));
    if (r.ok) expect.fail('should fail');
    else {
      expect(r.errors.name).to.equal('This field is required.');
      expect(r.errors.email).to.equal('Enter a valid email address.');
    }
  });

  it('when a schema message is an i18n key, then it is translated', () => {
    const s = z.object({ d: formDate() });
    const r = parseForm(s, { d: '2024-13-45x' }, translator('en'));
    if (r.ok) expect.fail('should fail');
    else expect(r.errors.d).to.equal('Enter a real date as dd/mm/yyyy, for example 04/02/2025.');
  });

  it('when the form is valid, then form building blocks convert the values', () => {
    const s = z.object({ on: formCheckbox(), off: formCheckbox(), d: formDate(), many: formArray(z.string()), one: formArray(z.string()), n: formNumber() });
    const r = parseForm(s, { on: 'on', d: '2024-02-06', many: ['a', 'b'], one: 'x', n: '2.5' }, translator('sw'));
    if (!r.ok) expect.fail(JSON.stringify(r.errors));
    else {
      expect(r.data.on).to.equal(true);
      expect(r.data.off).to.equal(false);
      expect(r.data.d.toISOString()).to.equal('2024-02-05T21:00:00.000Z');
      expect(r.data.many).to.deep.equal(['a', 'b']);
      expect(r.data.one).to.deep.equal(['x']);
      expect(r.data.n).to.equal(2.5);
    }
  });
});
