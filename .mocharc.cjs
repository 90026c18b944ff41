// Mocha configuration. The default spec (every test/**/*.test.ts) applies only when no files are
// named on the command line: mocha would otherwise ADD the named files to the configured spec,
// so `npx mocha test/integration/x/*.test.ts` would run the whole suite.
const named = process.argv.slice(2).some((arg) => !arg.startsWith('-') && /\.test\.ts$|^test\//.test(arg));

module.exports = {
  'node-option': ['import=tsx'],
  extension: ['ts'],
  timeout: 20000,
  recursive: true,
  exit: false,
  'forbid-only': true,
  'forbid-pending': true,
  require: ['test/helpers/root-hooks.ts'],
  ...(named ? {} : { spec: ['test/**/*.test.ts'] }),
};
