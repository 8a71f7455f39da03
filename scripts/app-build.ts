// The production build that the end-to-end and reliability suites share
// (tests/reliability/harness/build.ts: a snapshot of the app files, built
// once per content): builds it if needed and prints its directory on stdout,
// progress on stderr. .ci/run exports it as APP_BUILD_DIR for both suites.
import { productionBuild } from '../tests/reliability/harness/build';

console.log(await productionBuild((line) => console.error(line)));
