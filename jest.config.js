// Three suites: unit (pure functions: tests/unit and the tests beside server/src/domain), integration (a real Strapi from playground/), e2e (headless Chromium).
const transform = {
  '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
};
// .tmp/ and .compat/ hold unpacked packages and copies of this repository (the upgrade test's previous release,
// the compatibility matrix), not tests or modules of this one.
const common = { transform, testEnvironment: 'node', rootDir: __dirname, modulePathIgnorePatterns: ['<rootDir>/.tmp/', '<rootDir>/.compat/'] };

module.exports = {
  // An integration story talks to a real Strapi over HTTP (bcrypt included): jest's 5 s default fails it on a loaded
  // machine, where CI runs two suites at once. (A global option: jest reads no timeout per project.)
  testTimeout: 30000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts', '<rootDir>/server/src/**/*.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/tests/integration/**/*.test.ts'], slowTestThreshold: 30 },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'] },
  ],
};
