import { expect } from 'chai';
import { z } from 'zod';
import {
  CsvCommitError,
  insertAllOrNothing,
  parseCsvText,
  runCsvImport,
  toCsvText,
  type CsvFormat,
} from '../../../src/features/csv/csv.engine.js';
import { requiredText } from '../../../src/features/csv/fields.js';

const actor = { id: '0123456789abcdef01234567', role: 'admin' as const, institutionId: null };

/** A tiny in-memory format: rows {code, name}; codes in `taken` already "exist". */
function fakeFormat(options: { taken?: string[]; failCommit?: 'rolledBack' | 'partial' | 'crash' } = {}) {
  const written: string[] = [];
  const format: CsvFormat<{ code: string; name: string }, { code: string }> = {
    name: 'things',
    columns: ['code', 'name'],
    requiredColumns: ['code'],
    rowSchema: z.object({ code: requiredText(10), name: requiredText(20) }),
    label: (raw) => raw.code ?? '',
    async check(rows) {
      const seen = new Set<string>();
      const messages = rows.map((row) => {
        if (!row) return [];
        const m = [];
        if (options.taken?.includes(row.code)) m.push({ key: 'things:taken', column: 'code' });
        if (seen.has(row.code)) m.push({ key: 'csv:errors.duplicateInFile', column: 'code' });
        seen.add(row.code);
        return m;
      });
      return { messages, prepared: rows.filter((r): r is { code: string; name: string } => r !== null).map((r) => ({ code: r.code })) };
    },
    async commit(prepared) {
      if (options.failCommit === 'crash') throw new Error('disk on fire');
      if (options.failCommit) throw new CsvCommitError('failed', options.failCommit === 'rolledBack');
      written.push(...prepared.map((p) => p.code));
      return { inserted: prepared.length };
    },
    async exportRows() {
      return written.map((code) => ({ code, name: code.toLowerCase() }));
    },
  };
  return { format, written };
}

describe('csv/engine', () => {
  describe('parseCsvText', () => {
    it('when the file has a BOM, quoted commas and blank lines, then records are keyed by the header', () => {
      const parsed = parseCsvText('\uFEFFCode,Name\n\nA-1,"Dar es Salaam, Ilala"\n', ['code', 'name'], ['code']);
      expect(parsed.fileErrors).to.deep.equal([]);
      expect(parsed.records).to.deep.equal([{ code: 'A-1', name: 'Dar es Salaam, Ilala' }]);
    });

    it('when columns are unknown, missing or repeated, then the file is rejected with each reason', () => {
      const parsed = parseCsvText('name,name,colour\nx,y,z', ['code', 'name'], ['code']);
      expect(parsed.fileErrors.map((e) => e.key)).to.deep.equal(['csv:errors.unknownColumns', 'csv:errors.missingColumns', 'csv:errors.duplicateColumns']);
      expect(parsed.records).to.deep.equal([]);
    });

    it('when the file is empty, has only a header, or is not CSV, then a file error explains it', () => {
      expect(parseCsvText('  ', ['code'], ['code']).fileErrors[0]?.key).to.equal('csv:errors.empty');
      expect(parseCsvText('code\n', ['code'], ['code']).fileErrors[0]?.key).to.equal('csv:errors.noRows');
      expect(parseCsvText('code,name\n"a,b', ['code', 'name'], ['code']).fileErrors[0]?.key).to.equal('csv:errors.parse');
      expect(parseCsvText('code,name\na,b,c', ['code', 'name'], ['code']).fileErrors[0]?.key).to.equal('csv:errors.parse');
    });
  });

  describe('runCsvImport', () => {
    it('when every row is valid in a dry run, then the report is all ok and nothing is written', async () => {
      const { format, written } = fakeFormat();
      const report = await runCsvImport(format, 'code,name\nA,Alpha\nB,Beta', 'dryRun', actor);
      expect(report).to.include({ total: 2, valid: 2, invalid: 0, committed: false });
      expect(report.rows.map((r) => [r.line, r.label, r.status])).to.deep.equal([[2, 'A', 'ok'], [3, 'B', 'ok']]);
      expect(written).to.deep.equal([]);
    });

    it('when one row is bad in an import, then no row is written and the bad row carries its messages', async () => {
      const { format, written } = fakeFormat({ taken: ['C'] });
      const report = await runCsvImport(format, 'code,name\nA,Alpha\nB,\nC,Gamma\nA,Again', 'import', actor);
      expect(report).to.include({ total: 4, valid: 1, invalid: 3, committed: false });
      expect(report.rows[1]?.messages).to.deep.equal([{ key: 'reference:validation.required', column: 'name' }]);
      expect(report.rows[2]?.messages).to.deep.equal([{ key: 'things:taken', column: 'code' }]);
      expect(report.rows[3]?.messages[0]?.key).to.equal('csv:errors.duplicateInFile');
      expect(written).to.deep.equal([]);
    });

    it('when every row is valid in an import, then all are written', async () => {
      const { format, written } = fakeFormat();
      const report = await runCsvImport(format, 'code,name\nA,Alpha\nB,Beta', 'import', actor);
      expect(report).to.include({ committed: true, inserted: 2 });
      expect(written).to.deep.equal(['A', 'B']);
    });

    it('when the write fails part-way, then the report says whether it was rolled back', async () => {
      const rolled = await runCsvImport(fakeFormat({ failCommit: 'rolledBack' }).format, 'code,name\nA,Alpha', 'import', actor);
      expect(rolled).to.include({ committed: false, writeFailed: true, rolledBack: true });
      const partial = await runCsvImport(fakeFormat({ failCommit: 'partial' }).format, 'code,name\nA,Alpha', 'import', actor);
      expect(partial).to.include({ writeFailed: true, rolledBack: false });
    });

    it('when the commit throws something unexpected, then it propagates (the error handler answers 500)', async () => {
      let caught: unknown;
      try {
        await runCsvImport(fakeFormat({ failCommit: 'crash' }).format, 'code,name\nA,Alpha', 'import', actor);
      } catch (err) {
        caught = err;
      }
      expect((caught as Error).message).to.equal('disk on fire');
    });
  });

  describe('insertAllOrNothing', () => {
    it('when insertMany fails part-way, then every id of the batch is deleted and a rolled-back error is thrown', async () => {
      const deleted: unknown[] = [];
      const model = {
        async insertMany() {
          throw Object.assign(new Error('E11000 duplicate key'), { code: 11000 });
        },
        async deleteMany(filter: Record<string, unknown>) {
          deleted.push(filter);
          return {};
        },
      };
      let caught: unknown;
      try {
        await insertAllOrNothing(model, [{ _id: 1 }, { _id: 2 }]);
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(CsvCommitError);
      expect((caught as CsvCommitError).rolledBack).to.equal(true);
      expect(JSON.stringify(deleted[0])).to.include('[1,2]');
    });

    it('when the clean-up fails too, then the error says it was not rolled back', async () => {
      const model = {
        async insertMany() {
          throw new Error('write failed');
        },
        async deleteMany() {
          throw new Error('still down');
        },
      };
      let caught: unknown;
      try {
        await insertAllOrNothing(model, [{ _id: 1 }]);
      } catch (err) {
        caught = err;
      }
      expect((caught as CsvCommitError).rolledBack).to.equal(false);
    });

    it('when insertMany succeeds, then it returns the number of documents', async () => {
      const model = { insertMany: async () => [], deleteMany: async () => ({}) };
      expect(await insertAllOrNothing(model, [{ _id: 1 }, { _id: 2 }, { _id: 3 }])).to.equal(3);
    });
  });

  it('when a cell looks like a spreadsheet formula, then export guards it and import restores it', () => {
    const csv = toCsvText(['code', 'name'], [{ code: 'A-1', name: '=HYPERLINK("http://evil")' }, { code: 'A-2', name: '@SUM(1)' }]);
    expect(csv).to.include(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv).to.include("'@SUM(1)");
    const parsed = parseCsvText(csv, ['code', 'name'], ['code']);
    expect(parsed.records.map((r) => r.name)).to.deep.equal(['=HYPERLINK("http://evil")', '@SUM(1)']);
    expect(parseCsvText("code,name\nA,'plain", ['code', 'name'], ['code']).records[0]?.name).to.equal("'plain");
  });

  it('when rows are exported, then the text starts with a BOM, has CRLF line ends and quotes cells that need it', () => {
    const csv = toCsvText(['code', 'name'], [{ code: 'A', name: 'Dar es Salaam, "Ilala"' }]);
    expect(csv).to.equal('\uFEFFcode,name\r\nA,"Dar es Salaam, ""Ilala"""\r\n');
  });
});
