// `npm start`: the gate on the bundled fixtures, as a user would run it. The two programs of the
// design pass; the API Gateway program as first designed (throttling misplaced) must fail.
// Exits 0 when every verdict is the expected one.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "dist/cli.js");
const fixtures = [
  { program: "fixtures/alb", expected: 0 },
  { program: "fixtures/apigw", expected: 0 },
  { program: "fixtures/apigw-as-designed", expected: 1 },
];

let unexpected = 0;
for (const { program, expected } of fixtures) {
  console.log(`\n$ policy-gate check --program ${program}`);
  const result = spawnSync(process.execPath, [cli, "check", "--program", program], { cwd: root, stdio: "inherit" });
  const verdict = result.status === 0 ? "passed" : result.status === 1 ? "failed" : `errored (exit ${result.status})`;
  const asExpected = result.status === expected;
  if (!asExpected) unexpected++;
  console.log(`-> exit ${result.status}: ${program} ${verdict}${asExpected ? " as expected" : `, but exit ${expected} was expected`}`);
}
console.log(unexpected === 0 ? "\nAll fixtures got the expected verdict." : `\n${unexpected} fixture(s) got an unexpected verdict.`);
process.exitCode = unexpected === 0 ? 0 : 1;
