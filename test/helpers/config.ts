import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';

/** Config for tests: NODE_ENV=test (logs silent unless LOG_LEVEL is set), a fixed session secret. */
export function testConfig(overrides: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
    DATA_DIR: join('test-output', 'data'),
    BASE_URL: 'http://localhost:3000',
    LOG_LEVEL: process.env.LOG_LEVEL,
    ...overrides,
  });
}
