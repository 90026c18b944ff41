import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../../helpers/app.js';
import { createInstitution, createMeeting, createResolution } from '../../helpers/fixtures.js';
import { escapeRegex } from '../../../src/domain/escape-regex.js';

async function data() {
  const meeting = await createMeeting({ number: 4 });
  await createResolution({
    meeting,
    number: 7,
    title: { sw: 'Kuimarisha usalama wa mtandao', en: 'Strengthen cybersecurity' },
    text: { sw: 'Taasisi zianzishe timu ya kukabiliana na matukio.', en: 'Institutions shall set up an incident response team.' },
  });
  await createResolution({ meeting, number: 8, title: { sw: 'Azimio lisilotumika', en: 'Inactive one' }, text: { sw: 'timu', en: 'team' }, active: false });
  await createInstitution({ code: 'EGA', acronym: 'e-GA', name: { sw: 'Mamlaka ya Serikali Mtandao', en: 'e-Government Authority' }, type: 'executive_agency' });
  await createInstitution({ code: 'TRA', acronym: 'TRA', name: { sw: 'Mamlaka ya Mapato Tanzania', en: 'Tanzania Revenue Authority' }, type: 'executive_agency' });
  await createInstitution({ code: 'GONE', name: { sw: 'Mamlaka Iliyofungwa' }, active: false });
}

describe('GET /search', () => {
  it('when searching a Kiswahili name, then matching active institutions are listed', async () => {
    await data();
    const { app } = buildTestApp();
    const res = await request(app).get('/search?q=mamlaka').expect(200);
    expect(res.text).to.contain('Mamlaka ya Serikali Mtandao');
    expect(res.text).to.contain('Mamlaka ya Mapato Tanzania');
    expect(res.text).not.to.contain('Mamlaka Iliyofungwa');
    expect(res.text).to.contain('href="/institutions/EGA"');
  });

  it('when searching an English name, acronym or code, then the institution is found', async () => {
    await data();
    const { app } = buildTestApp();
    expect((await request(app).get('/search?q=Revenue&lang=en').expect(200)).text).to.contain('Tanzania Revenue Authority');
    expect((await request(app).get('/search?q=e-ga&lang=en').expect(200)).text).to.contain('e-Government Authority');
    expect((await request(app).get('/search?q=tra&lang=en').expect(200)).text).to.contain('Tanzania Revenue Authority');
  });

  it('when searching words of a resolution text in either language, then the active resolution is found', async () => {
    await data();
    const { app } = buildTestApp();
    const sw = await request(app).get('/search?q=kukabiliana').expect(200);
    expect(sw.text).to.contain('Kuimarisha usalama wa mtandao');
    const en = await request(app).get('/search?q=incident%20response&lang=en').expect(200);
    expect(en.text).to.contain('Strengthen cybersecurity');
    expect(en.text).not.to.contain('Inactive one');
  });

  it('when the query holds regular-expression or operator syntax, then it is matched literally', async () => {
    await data();
    const { app } = buildTestApp();
    const dot = await request(app).get('/search?q=.*&lang=en').expect(200);
    expect(dot.text).to.contain('Nothing found for');
    const op = await request(app).get('/search?q[$regex]=.*&lang=en');
    expect(op.status).to.be.oneOf([200, 400]);
    expect(op.text).not.to.contain('Tanzania Revenue Authority');
    const paren = await request(app).get('/search?q=(&lang=en').expect(200);
    expect(paren.text).to.contain('Nothing found for');
    expect(escapeRegex('a.b*(c)[d]$^')).to.equal('a\\.b\\*\\(c\\)\\[d\\]\\$\\^');
  });

  it('when nothing matches or the query is empty, then the page says so', async () => {
    await data();
    const { app } = buildTestApp();
    expect((await request(app).get('/search?q=zzzz&lang=en').expect(200)).text).to.contain('Nothing found for');
    expect((await request(app).get('/search?lang=en').expect(200)).text).to.contain("Type an institution");
  });

  it('when the query is too long, then 400 in the user language', async () => {
    const { app } = buildTestApp();
    const res = await request(app).get(`/search?lang=en&q=${'a'.repeat(201)}`).expect(400);
    expect(res.text).to.contain('lang="en"');
  });
});
