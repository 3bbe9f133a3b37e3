// Fails when the committed dist/ is not what `npm run build` makes from the sources: the
// action and the CLI run dist/, so a stale copy would ship old code.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const fresh = mkdtempSync(path.join(tmpdir(), "policy-gate-dist-"));

function files(directory, prefix = "") {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    return statSync(full).isDirectory() ? files(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

try {
  execFileSync(process.execPath, [path.join(root, "scripts/build.mjs"), fresh], { stdio: "inherit" });
  const committed = path.join(root, "dist");
  const expected = files(fresh).sort();
  const actual = files(committed).sort();
  const problems = [];
  for (const file of new Set([...expected, ...actual])) {
    if (!expected.includes(file)) problems.push(`dist/${file} is not built from the sources (remove it)`);
    else if (!actual.includes(file)) problems.push(`dist/${file} is missing`);
    else if (!readFileSync(path.join(fresh, file)).equals(readFileSync(path.join(committed, file))))
      problems.push(`dist/${file} differs from a fresh build`);
  }
  if (problems.length > 0) {
    console.error(`dist/ is stale: run \`npm run build\` and commit dist/.\n  ${problems.join("\n  ")}`);
    process.exitCode = 1;
  } else {
    console.log(`dist/ is current (${expected.length} files).`);
  }
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
