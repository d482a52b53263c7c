/** One Jest run for every workspace: unit tests beside the code, cross-package suites in tests/. */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'es6' },
  },
];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@ruche/(core|server|bot)$': '<rootDir>/$1/src/index.ts',
    '^@ruche/core/testing$': '<rootDir>/core/src/testing/index.ts',
    '^@ruche/core/sync$': '<rootDir>/core/src/sync.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  roots: ['<rootDir>/core', '<rootDir>/server', '<rootDir>/bot', '<rootDir>/manifest', '<rootDir>/infra', '<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 60000,
};
