import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);

// src/engine/offline/runner.ts
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

// src/engine/offline/stand-in-values.ts
import { createHash } from "node:crypto";
var ACCOUNT_ID = "123456789012";
var REGION = "us-east-1";
var ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
function digest(...parts) {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}
function standInId(prefix, ...seed) {
  return `${prefix}-0${digest(prefix, ...seed).slice(0, 16)}`;
}
function arn(service, resource) {
  return `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${resource}`;
}
function asRecord(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : {};
}
var ANSWERS = {
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    accountId: ACCOUNT_ID,
    arn: `arn:aws:iam::${ACCOUNT_ID}:user/policy-gate-offline`,
    id: ACCOUNT_ID,
    userId: "AIDAOFFLINEPOLICYGATE"
  }),
  "aws:index/getRegion:getRegion": () => ({ id: REGION, name: REGION, region: REGION, endpoint: `ec2.${REGION}.amazonaws.com` }),
  "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
    id: REGION,
    names: ZONES,
    zoneIds: ZONES.map((_, index) => `use1-az${index + 1}`)
  }),
  "aws:ec2/getVpc:getVpc": (args) => {
    const id = typeof args.id === "string" ? args.id : standInId("vpc", args);
    return { ...args, id, arn: arn("ec2", `vpc/${id}`), cidrBlock: "10.0.0.0/16", default: args.default === true, state: "available" };
  },
  "aws:ec2/getSubnets:getSubnets": (args) => ({
    ...args,
    id: REGION,
    ids: ZONES.map((zone) => standInId("subnet", args, zone))
  }),
  "aws:ec2/getSubnet:getSubnet": (args) => {
    const id = typeof args.id === "string" ? args.id : standInId("subnet", args);
    return {
      ...args,
      id,
      arn: arn("ec2", `subnet/${id}`),
      availabilityZone: ZONES[0],
      vpcId: standInId("vpc", args),
      cidrBlock: "10.0.1.0/24"
    };
  },
  "aws:ec2/getSecurityGroup:getSecurityGroup": (args) => {
    const id = typeof args.id === "string" ? args.id : standInId("sg", args);
    return { ...args, id, arn: arn("ec2", `security-group/${id}`), vpcId: standInId("vpc", args) };
  },
  "aws:acm/getCertificate:getCertificate": (args) => ({
    ...args,
    id: standInId("cert", args),
    arn: arn("acm", `certificate/${digest("cert", args).slice(0, 8)}-offline`),
    status: "ISSUED"
  }),
  "aws:ssm/getParameter:getParameter": (args) => {
    const name = typeof args.name === "string" ? args.name : "";
    return { ...args, id: name, arn: arn("ssm", `parameter${name}`), name, type: "String", value: ssmParameterValue(name), version: 1 };
  },
  "aws:route53/getZone:getZone": (args) => ({
    ...args,
    id: `Z${digest("zone", args).slice(0, 12).toUpperCase()}`,
    zoneId: `Z${digest("zone", args).slice(0, 12).toUpperCase()}`,
    name: typeof args.name === "string" ? args.name : "example.com"
  })
};
function ssmParameterValue(name) {
  const imageId = standInId("ami", name);
  if (/^\/aws\/service\/(ecs|eks|bottlerocket)\/.*\/image_id$/.test(name)) return imageId;
  if (/^\/aws\/service\/ecs\/optimized-ami\/.*\/recommended$/.test(name)) {
    return JSON.stringify({
      ecs_agent_version: "1.80.0",
      ecs_runtime_version: "Docker version 20.10.25",
      image_id: imageId,
      image_name: "amzn2-ami-ecs-hvm-2.0.20240101-x86_64-ebs",
      image_version: "2.0.20240101",
      os: "Amazon Linux 2",
      schema_version: 1,
      source_image_name: "amzn2-ami-minimal-hvm-2.0.20240101-x86_64-ebs"
    });
  }
  return "policy-gate-offline-stand-in";
}
function answerInvoke(token, args) {
  const answer = ANSWERS[token];
  if (answer) return answer(args);
  const [pkg = "aws", module = "index"] = token.split(/[:/]/);
  return {
    ...args,
    id: typeof args.id === "string" ? args.id : standInId(module, token, args),
    arn: typeof args.arn === "string" ? args.arn : arn(module.replace(/[^a-z0-9]/g, ""), `${pkg}/${digest(token, args).slice(0, 12)}`),
    ids: [],
    names: []
  };
}
function answerRead(type, name, id, inputs) {
  const [, module = "resource"] = type.split(/[:/]/);
  return {
    ...asRecord(inputs),
    id,
    arn: id.startsWith("arn:") ? id : arn(module.replace(/[^a-z0-9]/g, ""), `${name}/${id}`)
  };
}

// src/engine/wire-format.ts
var UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// src/engine/offline/monitor.ts
var ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
var SUPPORTED_FEATURES = /* @__PURE__ */ new Set(["secrets", "deletedWith", "aliasSpecs"]);
var OfflineMonitor = class {
  constructor(proto, project, stack) {
    this.proto = proto;
    this.project = project;
    this.stack = stack;
  }
  proto;
  project;
  stack;
  resources = [];
  /**
   * Registrations and reads the monitor refused (a duplicate URN, …). The engine fails the
   * deployment on these; the SDK only hands the error to the resource's outputs, which a program
   * rarely awaits, so the runner checks this list to fail the run instead of dropping the resource.
   */
  failures = [];
  qualifiedTypes = /* @__PURE__ */ new Map();
  defaultProviders = /* @__PURE__ */ new Map();
  invokeCounts = /* @__PURE__ */ new Map();
  get invokes() {
    return [...this.invokeCounts].map(([token, count]) => ({ token, count }));
  }
  /** Pulumi's URN rule: the parent's qualified type prefixes the type, except for the root stack. */
  urnFor(parent, type, name) {
    const parentType = parent ? this.qualifiedTypes.get(parent) : void 0;
    const qualified = parentType !== void 0 && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
    const urn = `urn:pulumi:${this.stack}::${this.project}::${qualified}::${name}`;
    if (this.qualifiedTypes.has(urn)) throw new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
    this.qualifiedTypes.set(urn, qualified);
    return urn;
  }
  /** A custom resource without an explicit provider gets the engine's default provider for its package. */
  providerFor(type, provider, version) {
    if (provider) return provider;
    const pkg = type.split(":")[0] ?? "unknown";
    const key = `${pkg}@${version}`;
    const known = this.defaultProviders.get(key);
    if (known) return known;
    const name = version ? `default_${version.replace(/[.+-]/g, "_")}` : "default";
    const urn = this.urnFor("", `pulumi:providers:${pkg}`, name);
    const reference = `${urn}::${UNKNOWN_VALUE}`;
    this.defaultProviders.set(key, reference);
    this.resources.push({
      urn,
      type: `pulumi:providers:${pkg}`,
      name,
      parent: "",
      custom: true,
      op: "create",
      provider: "",
      inputs: version ? { version } : {},
      dependencies: [],
      propertyDependencies: {},
      options: NO_OPTIONS
    });
    return reference;
  }
  fail(error, callback) {
    const failure = asError(error);
    this.failures.push(failure.message);
    callback(failure);
  }
  registerResource(request, callback) {
    try {
      const type = request.getType();
      const name = request.getName();
      const parent = request.getParent();
      const custom = request.getCustom();
      const urn = this.urnFor(parent, type, name);
      if (request.getRemote?.() === true) this.failures.push(remoteComponentMessage(type, name, request.getVersion()));
      const object = request.getObject();
      const propertyDependencies = {};
      request.getPropertydependenciesMap().forEach((urns, key) => {
        propertyDependencies[key] = urns.getUrnsList();
      });
      const timeouts = request.getCustomtimeouts();
      this.resources.push({
        urn,
        type,
        name,
        parent,
        custom,
        op: "create",
        provider: custom && !type.startsWith("pulumi:providers:") ? this.providerFor(type, request.getProvider(), request.getVersion()) : "",
        inputs: object ? object.toJavaScript() : {},
        dependencies: request.getDependenciesList(),
        propertyDependencies,
        options: {
          protect: request.getProtect?.() ?? false,
          ignoreChanges: request.getIgnorechangesList(),
          deleteBeforeReplace: request.getDeletebeforereplacedefined() ? request.getDeletebeforereplace() : void 0,
          additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
          customTimeouts: timeouts ? { create: timeouts.getCreate(), update: timeouts.getUpdate(), delete: timeouts.getDelete() } : void 0
        }
      });
      const response = new this.proto.resource.RegisterResourceResponse();
      call(response, "setUrn", urn);
      call(response, "setId", "");
      if (object && custom) call(response, "setObject", object);
      callback(null, response);
    } catch (error) {
      this.fail(error, callback);
    }
  }
  readResource(request, callback) {
    try {
      const type = request.getType();
      const name = request.getName();
      const parent = request.getParent();
      const id = request.getId();
      const urn = this.urnFor(parent, type, name);
      const state = answerRead(type, name, id, request.getProperties()?.toJavaScript());
      this.resources.push({
        urn,
        type,
        name,
        parent,
        custom: true,
        op: "read",
        provider: this.providerFor(type, request.getProvider(), request.getVersion()),
        inputs: state,
        dependencies: request.getDependenciesList(),
        propertyDependencies: {},
        options: NO_OPTIONS
      });
      const response = new this.proto.resource.ReadResourceResponse();
      call(response, "setUrn", urn);
      call(response, "setProperties", this.proto.struct.Struct.fromJavaScript(state));
      callback(null, response);
    } catch (error) {
      this.fail(error, callback);
    }
  }
  invoke(request, callback) {
    try {
      const token = request.getTok();
      this.invokeCounts.set(token, (this.invokeCounts.get(token) ?? 0) + 1);
      const args = request.getArgs()?.toJavaScript() ?? {};
      const response = new this.proto.provider.InvokeResponse();
      call(response, "setReturn", this.proto.struct.Struct.fromJavaScript(answerInvoke(token, args)));
      callback(null, response);
    } catch (error) {
      callback(asError(error));
    }
  }
  call(_request, callback) {
    callback(new Error("method calls on multi-language components cannot run offline; use engine 'pulumi'"));
  }
  registerResourceOutputs(_request, callback) {
    callback(null, new this.proto.empty.Empty());
  }
  supportsFeature(request, callback) {
    const response = new this.proto.resource.SupportsFeatureResponse();
    call(response, "setHassupport", SUPPORTED_FEATURES.has(request.getId()));
    callback(null, response);
  }
  registerPackage(_request, callback) {
    const response = new this.proto.resource.RegisterPackageResponse();
    call(response, "setRef", "offline-package");
    callback(null, response);
  }
  registerStackTransform(_request, callback) {
    callback(new Error("stack transforms are not supported by the offline engine"));
  }
  close() {
  }
};
var NO_OPTIONS = {
  protect: false,
  ignoreChanges: [],
  deleteBeforeReplace: void 0,
  additionalSecretOutputs: [],
  customTimeouts: void 0
};
function remoteComponentMessage(type, name, version) {
  const pkg = type.split(":")[0] ?? type;
  const release = version ? ` v${version}` : "";
  return `the component '${name}' (${type}) is a remote component of package ${pkg}${release}: its resources are built by the ${pkg} provider plugin, which the offline engine cannot run, so no policy would see them; run the gate with engine "pulumi" to check this program`;
}
function call(message, method, value) {
  const setter = message[method];
  if (typeof setter !== "function") throw new Error(`the Pulumi SDK's ${method} is missing: unsupported SDK version`);
  setter.call(message, value);
}
function asError(error) {
  return error instanceof Error ? error : new Error(String(error));
}

// src/engine/offline/runner.ts
function loadPulumiRuntime(programDir) {
  const fromProgram = createRequire(path.join(programDir, "package.json"));
  let sdkRoot;
  try {
    sdkRoot = path.dirname(fromProgram.resolve("@pulumi/pulumi/package.json"));
  } catch {
    throw new Error(`cannot find the package @pulumi/pulumi from ${programDir}: install the program's dependencies there first (npm ci)`);
  }
  const fromSdk = createRequire(path.join(sdkRoot, "package.json"));
  const load = (request) => fromSdk(request);
  return {
    sdkRoot,
    settings: load(path.join(sdkRoot, "runtime/settings.js")),
    stack: load(path.join(sdkRoot, "runtime/stack.js")),
    log: load(path.join(sdkRoot, "log/index.js")),
    debuggable: load(path.join(sdkRoot, "runtime/debuggable.js")),
    resource: load(path.join(sdkRoot, "resource.js")),
    proto: {
      resource: load(path.join(sdkRoot, "proto/resource_pb.js")),
      provider: load(path.join(sdkRoot, "proto/provider_pb.js")),
      struct: load("google-protobuf/google/protobuf/struct_pb.js"),
      empty: load("google-protobuf/google/protobuf/empty_pb.js")
    }
  };
}
function programLocation(error, programDir) {
  const stack = error instanceof Error ? error.stack : void 0;
  if (!stack) return void 0;
  for (const line of stack.split("\n").slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^()]+?):(\d+):(\d+)\)?$/.exec(line.trim());
    if (!match?.[1]) continue;
    const file = match[1].replace(/^file:\/\//, "");
    if (file.startsWith(programDir) && !file.includes(`${path.sep}node_modules${path.sep}`)) {
      return `${path.relative(programDir, file)}:${match[2]}:${match[3]}`;
    }
  }
  return void 0;
}
function describe(error) {
  if (error instanceof Error) return error.message;
  return typeof error === "string" ? error : JSON.stringify(error) ?? String(error);
}
async function registerTypeScript(job, sdkRoot) {
  if (job.module === "esm" || process.env.POLICY_GATE_TYPESCRIPT === "tsx") {
    let tsxApi;
    try {
      tsxApi = job.module === "esm" ? await import("tsx/esm/api") : await import("tsx/cjs/api");
    } catch {
      throw new Error(
        'this TypeScript program needs tsx (an ES module program, or POLICY_GATE_TYPESCRIPT=tsx), which is not installed beside the gate; use engine "pulumi" or a CommonJS program'
      );
    }
    tsxApi.register();
    return;
  }
  const fromSdk = createRequire(path.join(sdkRoot, "package.json"));
  const tsutils = fromSdk("./tsutils.js");
  const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
  const tsNode = fromSdk(tsnodeRequire);
  const tsconfig = path.join(job.programDir, "tsconfig.json");
  tsNode.register({
    transpileOnly: true,
    skipProject: !existsSync(tsconfig),
    project: existsSync(tsconfig) ? tsconfig : void 0,
    compiler: typescriptRequire,
    compilerOptions: { target: "ES2020", module: "commonjs", moduleResolution: "node", esModuleInterop: true }
  });
}
async function loadProgram(job, sdkRoot) {
  if (/\.[mc]?ts$/.test(job.main)) await registerTypeScript(job, sdkRoot);
  if (job.module === "esm") {
    const namespace = await import(pathToFileURL(job.main).href);
    return typeof namespace.default === "function" ? namespace.default : namespace;
  }
  return createRequire(path.join(job.programDir, "package.json"))(job.main);
}
function skipPromiseLeakTracking(debuggable) {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS || typeof debuggable.debuggablePromise !== "function") return;
  debuggable.debuggablePromise = (promise) => promise;
}
function recordLoggedErrors(log) {
  const messages = [];
  const original = log.error.bind(log);
  log.error = (message, ...rest) => {
    messages.push(String(message));
    return original(message, ...rest);
  };
  return messages;
}
function loggedErrorsMessage(messages) {
  const [first] = messages;
  if (first === void 0) return "the program logged an error (see its output)";
  const more = messages.length > 1 ? ` (and ${messages.length - 1} more error${messages.length > 2 ? "s" : ""}: see its output)` : "";
  return `the program logged an error: ${first}${more}`;
}
function skipSourcePositions(resource) {
  if (resource.Resource && typeof resource.Resource.callsites === "function") resource.Resource.callsites = () => [];
}
async function runProgram(job) {
  const runtime = loadPulumiRuntime(job.programDir);
  skipPromiseLeakTracking(runtime.debuggable);
  skipSourcePositions(runtime.resource);
  const loggedErrors = recordLoggedErrors(runtime.log);
  const monitor = new OfflineMonitor(runtime.proto, job.project, job.stack);
  runtime.settings.setMockOptions(monitor, job.project, job.stack, true, job.organization);
  process.chdir(job.programDir);
  try {
    await runtime.stack.runInPulumiStack(async () => {
      const exported = await loadProgram(job, runtime.sdkRoot);
      return typeof exported === "function" ? await exported() : exported;
    });
    await runtime.settings.waitForRPCs();
  } catch (error) {
    return { kind: "program-error", message: describe(error), location: programLocation(error, job.programDir) };
  }
  const [failure] = monitor.failures;
  if (failure !== void 0) {
    const more = monitor.failures.length > 1 ? ` (and ${monitor.failures.length - 1} more)` : "";
    return { kind: "program-error", message: `${failure}${more}`, location: void 0 };
  }
  if (runtime.log.hasErrors()) {
    return { kind: "program-error", message: loggedErrorsMessage(loggedErrors), location: void 0 };
  }
  return {
    kind: "completed",
    project: job.project,
    stack: job.stack,
    resources: monitor.resources,
    invokes: monitor.invokes,
    loggedErrors
  };
}
var reported = false;
function report(outcome) {
  if (!process.send) throw new Error("the offline runner must be started by the engine over an IPC channel");
  if (reported) return;
  reported = true;
  process.send(outcome, () => process.exit(0));
}
function main() {
  const job = JSON.parse(process.argv[2] ?? "{}");
  const fail = (error) => report({ kind: "program-error", message: describe(error), location: programLocation(error, job.programDir) });
  process.on("uncaughtException", fail);
  process.on("unhandledRejection", fail);
  process.channel?.unref();
  process.on("disconnect", () => {
    if (reported) return;
    try {
      process.kill(-process.pid, "SIGKILL");
    } catch {
      process.exit(1);
    }
  });
  process.on(
    "beforeExit",
    () => report({
      kind: "program-error",
      message: "the program stopped with Pulumi operations still pending: a promise that never settles, usually a cycle of dependencies between resources or an Output awaited inside its own apply",
      location: void 0
    })
  );
  runProgram(job).then(report, fail);
}
main();
export {
  runProgram
};
