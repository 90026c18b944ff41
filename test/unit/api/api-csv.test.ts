import { expect } from 'chai';
import { toCsv } from '../../../src/features/csv/csv-writer.js';
import { presentOpenApi } from '../../../src/features/api/docs.present.js';
import { openApiDocument } from '../../../src/features/api/openapi.js';

describe('open data helpers', () => {
  it('when writing CSV, then it has a BOM, a header, CRLF lines, ISO dates, joined arrays and quoted commas', () => {
    const csv = toCsv(['a', 'b', 'c', 'd'], [[1, 'x, y', new Date('2024-02-06T00:00:00Z'), ['ministry', 'lga']], [null, undefined, 0, []]]);
    expect(csv.startsWith('\uFEFF')).to.equal(true);
    expect(csv.slice(1).split('\r\n')).to.deep.equal(['a,b,c,d', '1,"x, y",2024-02-06T00:00:00.000Z,ministry;lga', ',,0,', '']);
  });

  it('when a text cell starts like a formula, then it is neutralised with a quote', () => {
    const csv = toCsv(['t'], [['=SUM(A1)'], ['+1'], ['-x'], ['@y'], ['ok']]);
    expect(csv.slice(1).split('\r\n').slice(1, 6)).to.deep.equal(["'=SUM(A1)", "'+1", "'-x", "'@y", 'ok']);
  });

  it('when the OpenAPI document is presented, then every operation and model becomes rows', () => {
    const view = presentOpenApi(openApiDocument());
    expect(view.operations.map((o) => `${o.method} ${o.path}`)).to.include('GET /api/v1/institutions/{code}/progress');
    const progress = view.models.find((m) => m.name === 'ProgressRow');
    expect(progress?.fields.map((f) => f.name)).to.deep.equal(['resolutionId', 'number', 'status', 'percent', 'verifiedAt']);
    expect(progress?.fields.find((f) => f.name === 'percent')?.type).to.equal('number | null');
  });
});
