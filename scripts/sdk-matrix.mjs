// The offline engine on the Pulumi SDKs users have: the oldest @pulumi/pulumi the README
// supports, and the newest the npm registry serves, each installed beside copies of two fixture
// programs (one that passes, one with known violations), checked with the built command line on
// the Node.js running this script. Exits 1 when a verdict or a violation count differs from what
// the fixture expects. `.ci/run` runs it on Node.js 20 and 24.
//   node scripts/sdk-matrix.mjs [version ...]      (default: the oldest supported and "latest")
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The oldest @pulumi/pulumi the README supports: the lowest that the lockfile's @pulumi/aws accepts. */
export const OLDEST_SUPPORTED_SDK = "3.142.0";
const versions = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [OLDEST_SUPPORTED_SDK, "latest"];
const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8"));
const locked = (name) => lock.packages[`node_modules/${name}`].version;

const programs = [
  { name: "alb", dir: "fixtures/alb", verdict: "pass", violations: 0 },
  {
    name: "alb-http-redirects-to-https",
    dir: "fixtures/violations/alb-http-redirects-to-https",
    verdict: "fail",
    violations: JSON.parse(
      readFileSync(path.join(root, "fixtures/violations/alb-http-redirects-to-https/expected-violations.json"), "utf8"),
    ).length,
  },
];

let failures = 0;
for (const requested of versions) {
  const version =
    requested === "latest" ? execFileSync("npm", ["view", "@pulumi/pulumi", "version"], { encoding: "utf8" }).trim() : requested;
  const base = path.join(root, ".test-output", "sdk-matrix", version);
  if (!existsSync(path.join(base, "node_modules", "@pulumi", "pulumi"))) {
    mkdirSync(base, { recursive: true });
    writeFileSync(
      path.join(base, "package.json"),
      JSON.stringify({
        name: `sdk-matrix-${version}`,
        private: true,
        dependencies: { "@pulumi/pulumi": version, "@pulumi/aws": locked("@pulumi/aws"), typescript: locked("typescript") },
      }),
    );
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"], { cwd: base, stdio: "inherit" });
  }
  for (const program of programs) {
    const copy = path.join(base, program.name);
    cpSync(path.join(root, program.dir), copy, { recursive: true });
    writeFileSync(path.join(copy, "package.json"), JSON.stringify({ name: program.name, private: true }));
    const report = path.join(copy, "report.json");
    const run = spawnSync(process.execPath, [path.join(root, "dist/cli.js"), "check", "--program", copy, "--json", report], {
      encoding: "utf8",
    });
    let verdict = "error";
    let count = -1;
    if (existsSync(report)) {
      const parsed = JSON.parse(readFileSync(report, "utf8"));
      verdict = parsed.verdict;
      count = parsed.violations.length;
    }
    const ok = verdict === program.verdict && count === program.violations;
    if (!ok) failures++;
    console.log(
      `${ok ? "ok  " : "FAIL"} node ${process.version} @pulumi/pulumi ${version} ${program.name}: ${verdict}, ${count} violations (expected ${program.verdict}, ${program.violations})${ok ? "" : `\n${run.stdout.slice(-1500)}${run.stderr.slice(-1500)}`}`,
    );
  }
}
process.exit(failures === 0 ? 0 : 1);
