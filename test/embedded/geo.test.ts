import { expect } from 'chai';
import type { Collection, Document } from 'mongodb';
import mongoose, { Schema, type Connection } from 'mongoose';
import { rejection, startTestServer, type TestServer } from './engine-helper.js';

const PLACES: [string, [number, number]][] = [
  ['Dar es Salaam', [39.2083, -6.7924]],
  ['Zanzibar', [39.1925, -6.1659]],
  ['Dodoma', [35.7516, -6.163]],
  ['Arusha', [36.683, -3.3869]],
  ['Mwanza', [32.9, -2.5167]],
];
/** A rough polygon around the coast (Dar es Salaam and Zanzibar, not the inland cities). */
const COAST = { type: 'Polygon', coordinates: [[[38.5, -7.5], [40, -7.5], [40, -5.5], [38.5, -5.5], [38.5, -7.5]]] };

describe('embedded engine: geospatial queries through the driver and Mongoose', () => {
  let server: TestServer;
  let offices: Collection<Document>;
  let grid: Collection<Document>;

  before(async () => {
    server = await startTestServer('geo');
    offices = server.db.collection('offices');
    await offices.insertMany(PLACES.map(([name, coordinates]) => ({ name, loc: { type: 'Point', coordinates } })));
    await offices.insertOne({ name: 'Coast road', loc: { type: 'LineString', coordinates: [[39.0, -6.9], [39.9, -6.0]] } });
    await offices.insertOne({ name: 'No location' });
    await offices.createIndex({ loc: '2dsphere' });
    grid = server.db.collection('grid');
    await grid.insertMany([{ p: [0, 0] }, { p: [1, 1] }, { p: [2, 2] }, { p: [5, 5] }, { p: { x: 3, y: 0 } }]);
    await grid.createIndex({ p: '2d' });
  });
  after(async () => {
    await server.stop();
  });

  const names = (docs: Document[]) => docs.map((d) => d.name as string);

  it('when $geoWithin a GeoJSON polygon is asked, then points and lines inside it match and the others do not', async () => {
    const inside = await offices.find({ loc: { $geoWithin: { $geometry: COAST } } }).toArray();
    expect(names(inside).sort()).to.deep.equal(['Coast road', 'Dar es Salaam', 'Zanzibar']);
  });

  it('when $geoIntersects a line is asked, then the geometries it crosses match', async () => {
    const line = { type: 'LineString', coordinates: [[39.5, -7.0], [39.5, -5.9]] };
    expect(names(await offices.find({ loc: { $geoIntersects: { $geometry: line } } }).toArray())).to.deep.equal(['Coast road']);
  });

  it('when $near a point with $maxDistance in metres is asked, then the offices within it come nearest first', async () => {
    const near = await offices.find({ loc: { $near: { $geometry: { type: 'Point', coordinates: [39.28, -6.82] }, $maxDistance: 450_000 } } }).toArray();
    expect(names(near)).to.deep.equal(['Dar es Salaam', 'Zanzibar', 'Dodoma']);
    const ring = await offices.find({ loc: { $nearSphere: { $geometry: { type: 'Point', coordinates: [39.28, -6.82] }, $minDistance: 100_000 } }, name: { $ne: 'Mwanza' } }).toArray();
    expect(names(ring)).to.deep.equal(['Dodoma', 'Arusha']);
  });

  it('when legacy coordinates are queried with $box, $polygon, $center, $centerSphere and $near on a 2d index, then the planar answers come back', async () => {
    const xy = (docs: Document[]) => docs.map((d) => JSON.stringify(d.p));
    expect(xy(await grid.find({ p: { $geoWithin: { $box: [[0, 0], [2, 2]] } } }).toArray())).to.deep.equal(['[0,0]', '[1,1]', '[2,2]']);
    expect(xy(await grid.find({ p: { $geoWithin: { $polygon: [[-1, -1], [4, -1], [4, 1.5], [-1, 1.5]] } } }).toArray())).to.deep.equal(['[0,0]', '[1,1]', '{"x":3,"y":0}']);
    expect(xy(await grid.find({ p: { $geoWithin: { $center: [[0, 0], 1.5] } } }).toArray())).to.deep.equal(['[0,0]', '[1,1]']);
    expect(xy(await grid.find({ p: { $geoWithin: { $centerSphere: [[0, 0], 0.03] } } }).toArray())).to.deep.equal(['[0,0]', '[1,1]']);
    expect(xy(await grid.find({ p: { $near: [2.1, 2.1], $maxDistance: 2 } }).toArray())).to.deep.equal(['[2,2]', '[1,1]']);
  });

  it('when $near is used without a geospatial index on the field, then the query fails with code 291', async () => {
    await server.db.collection('plain').insertOne({ loc: { type: 'Point', coordinates: [0, 0] } });
    const err = await rejection(server.db.collection('plain').find({ loc: { $near: { $geometry: { type: 'Point', coordinates: [0, 0] } } } }).toArray());
    expect(err.code).to.equal(291);
  });

  describe('Mongoose', () => {
    let conn: Connection;
    before(async () => {
      conn = await mongoose.createConnection(server.uri, { dbName: server.dbName }).asPromise();
    });
    after(async () => {
      await conn.close();
    });

    it('when a schema declares a 2dsphere index and queries with $near and $geoWithin, then the nearest documents come first', async () => {
      const Venue = conn.model('Venue', new Schema({ name: String, location: { type: { type: String, enum: ['Point'] }, coordinates: [Number] } }).index({ location: '2dsphere' }));
      await Venue.init();
      await Venue.insertMany(PLACES.map(([name, coordinates]) => ({ name, location: { type: 'Point' as const, coordinates } })));
      const near = await Venue.find({ location: mongoose.trusted({ $near: { $geometry: { type: 'Point', coordinates: [35.7, -6.2] }, $maxDistance: 390_000 } }) }).lean();
      // Dodoma 7 km, Arusha 332 km, Zanzibar 387 km; Dar es Salaam (394 km) is beyond.
      expect(near.map((v) => v.name)).to.deep.equal(['Dodoma', 'Arusha', 'Zanzibar']);
      const within = await Venue.find({ location: mongoose.trusted({ $geoWithin: { $geometry: COAST } }) }).lean();
      expect(within.map((v) => v.name).sort()).to.deep.equal(['Dar es Salaam', 'Zanzibar']);
    });
  });
});
