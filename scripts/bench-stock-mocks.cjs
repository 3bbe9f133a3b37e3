// The baseline for the offline engine's large-program figure in `npm run bench`: Pulumi's stock
// mocks (pulumi.runtime.setMocks, as Pulumi's unit-testing guide uses them) registering the same
// program in one cold process, TypeScript transpiled by the SDK's own ts-node, as its runner does.
//   node scripts/bench-stock-mocks.cjs <program directory> <project> <config JSON>
const path = require("node:path");

const [programDir, project, config] = process.argv.slice(2);
process.env.PULUMI_CONFIG = config;
const fromProgram = (request) => require(require.resolve(request, { paths: [path.resolve(programDir)] }));
const pulumi = fromProgram("@pulumi/pulumi");
const sdkRoot = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [path.resolve(programDir)] }));
const { tsnodeRequire, typescriptRequire } = require(path.join(sdkRoot, "tsutils.js")).typeScriptRequireStrings();
require(require.resolve(tsnodeRequire, { paths: [sdkRoot] })).register({
  transpileOnly: true,
  skipProject: true,
  compiler: typescriptRequire,
  compilerOptions: { target: "ES2020", module: "commonjs", moduleResolution: "node" },
});
pulumi.runtime.setMocks(
  { newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: (args) => args.inputs },
  project,
  "bench",
  true,
);
require(path.resolve(programDir, "index.ts"));
