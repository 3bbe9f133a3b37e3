import { configDefaults, defineConfig } from "vitest/config";

// Two projects: `unit` runs the sources directly and needs no build; `integration` runs what the
// user runs (dist/index.js, dist/cli.js, the built policy pack in dist/policy-pack), so it builds
// dist/ once first. A test file is an integration test by its name, *.integration.test.ts, so that
// the split follows the file wherever it moves.
const INTEGRATION = "test/**/*.integration.test.ts";

export default defineConfig({
  test: {
    // Engine tests start Node.js processes (a program runner, a policy pack); on a 2-core
    // machine a few seconds each is normal.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // @actions/workflow-parser imports its JSON schema without an import attribute, which Node 20
    // refuses; transformed by Vite, it loads.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/**/*.test.ts"], exclude: [...configDefaults.exclude, INTEGRATION] },
      },
      {
        extends: true,
        test: { name: "integration", include: [INTEGRATION], globalSetup: ["test/global-setup.ts"] },
      },
    ],
  },
});
