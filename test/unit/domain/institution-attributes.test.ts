import { expect } from 'chai';
import { attributeErrors, parseMaturityLevel } from '../../../src/domain/institution-attributes.js';

const none = { maturityLevel: null, maturityAssessedOn: null, voteCode: '', councilType: null } as const;

describe('institution attributes', () => {
  it('when a council type is given to an institution that is not a local government authority, then it is refused', () => {
    expect(attributeErrors({ ...none, type: 'ministry', councilType: 'city' })).to.deep.equal({ councilType: 'institutions:errors.councilTypeNotLga' });
    expect(attributeErrors({ ...none, type: 'lga', councilType: 'city' })).to.deep.equal({});
  });

  it('when a maturity level comes without its assessment date or the other way round, then the missing half is named', () => {
    expect(attributeErrors({ ...none, type: 'lga', maturityLevel: 3 })).to.deep.equal({ maturityAssessedOn: 'institutions:errors.maturityDateMissing' });
    expect(attributeErrors({ ...none, type: 'lga', maturityAssessedOn: new Date('2024-06-30') })).to.deep.equal({ maturityLevel: 'institutions:errors.maturityLevelMissing' });
    expect(attributeErrors({ ...none, type: 'lga', maturityLevel: 3, maturityAssessedOn: new Date('2024-06-30') })).to.deep.equal({});
  });

  it('when a level is parsed, then only 1 to 5 are levels', () => {
    expect(['1', ' 5 ', '0', '6', '3.5', 'x'].map(parseMaturityLevel)).to.deep.equal([1, 5, null, null, null, null]);
  });
});
