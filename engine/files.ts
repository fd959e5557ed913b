// How the files of a policy directory are named: policies, their tests, and the shared fixtures.
export const POLICY_EXTENSION = '.tiaoli';
/** A policy test file (`article-12.test.yaml`, beside `article-12.tiaoli`). */
export const TEST_SUFFIX = '.test.yaml';
/** Named fixtures shared by every test file of a policy directory. */
export const FIXTURES_FILE = 'fixtures.yaml';

export const isPolicyFile = (path: string): boolean => path.endsWith(POLICY_EXTENSION);
export const isTestFile = (path: string): boolean => path.endsWith(TEST_SUFFIX);
export const isFixturesFile = (path: string): boolean => path === FIXTURES_FILE || path.endsWith(`/${FIXTURES_FILE}`);
