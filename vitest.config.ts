import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Engine tests start Node.js processes (a program runner, a policy pack); on a 2-core
    // machine a few seconds each is normal.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // @actions/workflow-parser imports its JSON schema without an import attribute, which Node 20
    // refuses; transformed by Vite, it loads.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});
