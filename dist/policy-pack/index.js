"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// policies/index.ts
var index_exports = {};
__export(index_exports, {
  POLICY_PACK_NAME: () => POLICY_PACK_NAME,
  policies: () => policies
});
module.exports = __toCommonJS(index_exports);
var import_policy = require("@pulumi/policy");

// policies/config.ts
var NOT_ABOVE = "x-notAbove";
var UNKNOWN_VALUES_PROPERTY = {
  type: "string",
  enum: ["advisory", "mandatory"],
  default: "advisory",
  description: `What a value unknown during preview costs: "advisory" leaves CrossGuard's advisory that the policy cannot run; "mandatory" reports a violation on the resource, naming the unknown property.`
};
function packConfigSchema(properties = {}) {
  return { properties: { ...properties, unknownValues: UNKNOWN_VALUES_PROPERTY }, additionalProperties: false };
}
function unknownValuesSetting(config) {
  return config.unknownValues === "mandatory" ? "mandatory" : "advisory";
}
var PolicyConfigurationError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "PolicyConfigurationError";
  }
};
function distance(a, b) {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const rows = [];
  for (let i = 0; i <= x.length; i++) {
    const row = [];
    for (let j = 0; j <= y.length; j++) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const above = rows[i - 1] ?? [];
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return rows[x.length]?.[y.length] ?? 0;
}
function nearestName(name, known) {
  let nearest;
  let nearestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of known) {
    const candidateDistance = distance(name, candidate);
    if (candidateDistance < nearestDistance) {
      nearest = candidate;
      nearestDistance = candidateDistance;
    }
  }
  return nearest;
}
function configurationProblems(schema, config) {
  const known = Object.keys(schema.properties).sort();
  const problems = [];
  for (const key of Object.keys(config)) {
    if (known.includes(key)) continue;
    const nearest = nearestName(key, known);
    problems.push(` has no property "${key}"${nearest ? `; did you mean "${nearest}"?` : ""} (known: ${known.join(", ")})`);
  }
  for (const [key, property] of Object.entries(schema.properties)) {
    const limitKey = property[NOT_ABOVE];
    const limitSchema = limitKey === void 0 ? void 0 : schema.properties[limitKey];
    if (limitKey === void 0 || limitSchema === void 0) continue;
    const value = key in config ? config[key] : property.default;
    const limit = limitKey in config ? config[limitKey] : limitSchema.default;
    if (typeof value === "number" && typeof limit === "number" && value > limit) {
      const defaulted = (name) => name in config ? "" : " (the default)";
      problems.push(`, property "${key}": must not be above ${limitKey} (${limit}${defaulted(limitKey)}); it is ${value}${defaulted(key)}`);
    }
  }
  return problems;
}
function checkedConfig(policy, schema, config) {
  const problems = configurationProblems(schema, config);
  if (problems.length > 0) {
    throw new PolicyConfigurationError(problems.map((problem) => `policy "${policy}"${problem}`).join("; "));
  }
  return config;
}

// policies/messages.ts
function show(value) {
  if (value === void 0) return "not set";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  return "an object";
}
function propertyPath(segments) {
  return segments.map((segment, index) => /^\d+$/.test(segment) ? `[${segment}]` : index === 0 ? segment : `.${segment}`).join("");
}

// policies/preview.ts
function isUnknownValueError(error) {
  return error instanceof Error && error.constructor.name === "UnknownValueError";
}
function unknownProperty(error) {
  const segments = Array.isArray(error.props) ? error.props.map(String) : [];
  return segments.length > 0 ? propertyPath(segments) : "a property";
}
function unknownValueMessage(property) {
  return `${property} must be known during preview (unknownValues is "mandatory"), but it is only known once the update runs: set it from values known before the update, or set unknownValues to "advisory" for this policy.`;
}
function checkReportingUnknowns(setting, report, check) {
  try {
    check();
  } catch (error) {
    if (setting !== "mandatory" || !isUnknownValueError(error)) throw error;
    report(unknownValueMessage(unknownProperty(error)));
  }
}
var RecordedUnknown = class extends Error {
  constructor(unknown) {
    super(unknown.message);
    this.unknown = unknown;
  }
};
var DeferredUnknowns = class {
  constructor(setting, report) {
    this.setting = setting;
    this.report = report;
    /** Per resource, its unknown properties (first error for each), in the order met. */
    this.byResource = /* @__PURE__ */ new Map();
  }
  record(urn, error) {
    this.first ??= error;
    let properties = this.byResource.get(urn);
    if (!properties) {
      properties = /* @__PURE__ */ new Map();
      this.byResource.set(urn, properties);
    }
    const property = unknownProperty(error);
    if (!properties.has(property)) properties.set(property, error);
  }
  /** Runs `check` on each resource; an unknown value is that resource's, other errors propagate. */
  checkEach(resources, check) {
    for (const resource of resources) {
      try {
        check(resource);
      } catch (error) {
        if (error instanceof RecordedUnknown) continue;
        if (!isUnknownValueError(error)) throw error;
        this.record(resource.urn, error);
      }
    }
  }
  /**
   * Reads a property of another resource than the one being checked (a listener's port while
   * checking its rule): an unknown there is recorded against that resource, and the check of the
   * current one ends without blaming it.
   */
  readOf(resource, read) {
    try {
      return read();
    } catch (error) {
      if (!isUnknownValueError(error)) throw error;
      this.record(resource.urn, error);
      throw new RecordedUnknown(error);
    }
  }
  /** Ends the policy: rethrows the first unknown value met, or reports each one as a violation. */
  settle() {
    if (this.setting === "mandatory") {
      for (const [urn, properties] of this.byResource) {
        for (const property of properties.keys()) this.report(unknownValueMessage(property), urn);
      }
      return;
    }
    if (this.first !== void 0) throw this.first;
  }
};
function readOrUndefined(read) {
  try {
    return read();
  } catch (error) {
    if (isUnknownValueError(error)) return void 0;
    throw error;
  }
}

// policies/resource-types.ts
var LOAD_BALANCER_TYPES = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
var LISTENER_TYPES = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
var LISTENER_RULE_TYPES = ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"];
var TARGET_GROUP_TYPES = ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"];
var HTTP_API_TYPE = "aws:apigatewayv2/api:Api";
var HTTP_API_STAGE_TYPE = "aws:apigatewayv2/stage:Stage";
var HTTP_API_DOMAIN_NAME_TYPE = "aws:apigatewayv2/domainName:DomainName";
var REST_API_TYPE = "aws:apigateway/restApi:RestApi";
var REST_API_STAGE_TYPE = "aws:apigateway/stage:Stage";
var REST_API_DEPLOYMENT_TYPE = "aws:apigateway/deployment:Deployment";
var REST_API_METHOD_SETTINGS_TYPE = "aws:apigateway/methodSettings:MethodSettings";
var REST_API_USAGE_PLAN_TYPE = "aws:apigateway/usagePlan:UsagePlan";
var REST_API_DOMAIN_NAME_TYPE = "aws:apigateway/domainName:DomainName";

// policies/tls.ts
var TLS_VERSIONS = ["1.0", "1.1", "1.2", "1.3"];
function isOlder(version, than) {
  return TLS_VERSIONS.indexOf(version) < TLS_VERSIONS.indexOf(than);
}
var TLS_MINIMUM_DEFAULTS = { minimumVersion: "1.2", allowedPolicies: [] };
var tlsMinimumConfigSchema = packConfigSchema({
  minimumVersion: {
    type: "string",
    enum: ["1.2", "1.3"],
    default: TLS_MINIMUM_DEFAULTS.minimumVersion,
    description: "The oldest TLS version a security policy may allow."
  },
  allowedPolicies: {
    type: "array",
    items: { type: "string", minLength: 1 },
    default: [],
    description: "Security policy names to accept even though this pack does not know their TLS versions."
  }
});
function tlsMinimumConfig(raw) {
  return {
    minimumVersion: raw.minimumVersion === "1.3" ? "1.3" : "1.2",
    allowedPolicies: Array.isArray(raw.allowedPolicies) ? raw.allowedPolicies.filter((name) => typeof name === "string") : []
  };
}

// policies/apigateway/apigateway-security-policies.ts
var API_GATEWAY_SECURITY_POLICY_MINIMUM_TLS = {
  // Legacy policies [legacy]; TLS_1_0 is the default of regional and edge-optimized REST APIs.
  TLS_1_0: "1.0",
  TLS_1_2: "1.2",
  // Regional and private endpoints.
  SecurityPolicy_TLS13_1_3_2025_09: "1.3",
  // [1_3]
  SecurityPolicy_TLS13_1_3_FIPS_2025_09: "1.3",
  // [list]
  SecurityPolicy_TLS13_1_2_FIPS_PFS_PQ_2025_09: "1.2",
  // [list]
  SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09: "1.2",
  // [name]
  SecurityPolicy_TLS13_1_2_FIPS_PQ_2025_09: "1.2",
  // [name]
  SecurityPolicy_TLS13_1_2_PQ_2025_09: "1.2",
  // [name]
  SecurityPolicy_TLS13_1_2_2021_06: "1.2",
  // [name]
  // Edge-optimized endpoints.
  SecurityPolicy_TLS12_PFS_2025_EDGE: "1.2",
  // [name]
  SecurityPolicy_TLS12_2018_EDGE: "1.2",
  // [name]
  // Unconfirmed, and recorded as the older of the two candidates. Its name gives no minimum (no
  // 1_N after TLS13_); edge-optimized endpoints are served by CloudFront, whose TLSv1.3_2025 policy
  // accepts TLS 1.3 only (third-party sources), so it may well be 1.3. Until AWS's table confirms
  // it, minimumVersion "1.3" does not pass it on a guess: allowedPolicies can.
  SecurityPolicy_TLS13_2025_EDGE: "1.2"
};
var API_GATEWAY_RECOMMENDED_SECURITY_POLICY = {
  "1.2": "TLS_1_2",
  "1.3": "SecurityPolicy_TLS13_1_3_2025_09"
};
function apiGatewaySecurityPolicyMinimumTls(name) {
  return Object.prototype.hasOwnProperty.call(API_GATEWAY_SECURITY_POLICY_MINIMUM_TLS, name) ? API_GATEWAY_SECURITY_POLICY_MINIMUM_TLS[name] : void 0;
}

// policies/apigateway/apigateway-domain-tls-1-2-minimum.ts
var NAME = "apigateway-domain-tls-1-2-minimum";
var apiGatewayDomainTls12Minimum = {
  name: NAME,
  description: "API Gateway custom domain names must require TLS 1.2 or newer.",
  enforcementLevel: "mandatory",
  configSchema: tlsMinimumConfigSchema,
  validateResource: (args, reportViolation) => {
    const raw = checkedConfig(NAME, tlsMinimumConfigSchema, args.getConfig());
    if (args.type !== REST_API_DOMAIN_NAME_TYPE && args.type !== HTTP_API_DOMAIN_NAME_TYPE) return;
    checkReportingUnknowns(unknownValuesSetting(raw), reportViolation, () => {
      let property;
      let securityPolicy;
      if (args.type === REST_API_DOMAIN_NAME_TYPE) {
        property = "securityPolicy";
        securityPolicy = args.props.securityPolicy;
      } else {
        property = "domainNameConfiguration.securityPolicy";
        const configuration = args.props.domainNameConfiguration;
        securityPolicy = configuration !== null && typeof configuration === "object" ? configuration.securityPolicy : void 0;
      }
      const config = tlsMinimumConfig(raw);
      const recommended = API_GATEWAY_RECOMMENDED_SECURITY_POLICY[config.minimumVersion];
      if (typeof securityPolicy === "string" && config.allowedPolicies.includes(securityPolicy)) return;
      if (securityPolicy === void 0 || securityPolicy === "") {
        reportViolation(
          `${property} must be set to a policy with TLS ${config.minimumVersion} or newer, but it is not set, so the TLS floor is left to AWS's default: set it to "${recommended}".`
        );
        return;
      }
      const minimum = typeof securityPolicy === "string" ? apiGatewaySecurityPolicyMinimumTls(securityPolicy) : void 0;
      if (minimum === void 0) {
        reportViolation(
          `${property} must name an API Gateway security policy whose TLS versions are known, but it is ${show(securityPolicy)}: set it to "${recommended}", or add the name to allowedPolicies in this policy's configuration.`
        );
      } else if (isOlder(minimum, config.minimumVersion)) {
        reportViolation(
          `${property} must allow nothing older than TLS ${config.minimumVersion}, but ${show(securityPolicy)} allows TLS ${minimum}: set it to "${recommended}".`
        );
      }
    });
  }
};

// policies/apigateway/apigateway-throttling-bounds.ts
var THROTTLING_BOUNDS_DEFAULTS = {
  minRateLimit: 1,
  maxRateLimit: 1e4,
  minBurstLimit: 1,
  maxBurstLimit: 5e3
};
var THROTTLING_BOUNDS_CEILINGS = { rate: 1e6, burst: 5e5 };
var NAME2 = "apigateway-throttling-bounds";
var CONFIG_SCHEMA = packConfigSchema({
  minRateLimit: {
    type: "number",
    minimum: 0,
    maximum: THROTTLING_BOUNDS_CEILINGS.rate,
    [NOT_ABOVE]: "maxRateLimit",
    default: THROTTLING_BOUNDS_DEFAULTS.minRateLimit,
    description: "Lowest steady-state rate (requests per second) a stage may set; not above maxRateLimit."
  },
  maxRateLimit: {
    type: "number",
    minimum: 0,
    maximum: THROTTLING_BOUNDS_CEILINGS.rate,
    default: THROTTLING_BOUNDS_DEFAULTS.maxRateLimit,
    description: "Highest steady-state rate (requests per second); AWS's default account quota is 10,000."
  },
  minBurstLimit: {
    type: "integer",
    minimum: 0,
    maximum: THROTTLING_BOUNDS_CEILINGS.burst,
    [NOT_ABOVE]: "maxBurstLimit",
    default: THROTTLING_BOUNDS_DEFAULTS.minBurstLimit,
    description: "Lowest burst a stage may set; not above maxBurstLimit."
  },
  maxBurstLimit: {
    type: "integer",
    minimum: 0,
    maximum: THROTTLING_BOUNDS_CEILINGS.burst,
    default: THROTTLING_BOUNDS_DEFAULTS.maxBurstLimit,
    description: "Highest burst; AWS's default account quota is 5,000."
  }
});
function bounds(kind, config) {
  return kind === "rate" ? [config.minRateLimit, config.maxRateLimit] : [config.minBurstLimit, config.maxBurstLimit];
}
function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
function limitProblem(value, kind, config) {
  const [min, max] = bounds(kind, config);
  const unit = kind === "rate" ? " requests per second" : " requests";
  const expected = `must be ${kind === "burst" ? "a whole number " : ""}from ${min} to ${max}${unit}`;
  if (typeof value !== "number" || !Number.isFinite(value) || kind === "burst" && !Number.isInteger(value)) {
    return `${expected}, but it is ${show(value)}`;
  }
  if (value === -1) return `${expected}, but it is -1, which turns throttling off`;
  if (value === 0 && min > 0) return `${expected}, but it is 0, which rejects every request with 429`;
  if (value < min || value > max) return `${expected}, but it is ${value}`;
  return void 0;
}
function checkLimits(pair, required, config, report) {
  for (const [key, kind] of [
    [pair.rateKey, "rate"],
    [pair.burstKey, "burst"]
  ]) {
    const value = pair.settings[key];
    const property = `${pair.path}.${key}`;
    const [min, max] = bounds(kind, config);
    if (value === void 0) {
      if (required)
        report(
          `${property} must be set, but it is not set, so only the account quota limits this stage: set it to a value from ${min} to ${max}.`
        );
      continue;
    }
    const problem = limitProblem(value, kind, config);
    if (problem) report(`${property} ${problem}: set it to a value from ${min} to ${max}.`);
  }
}
function checkHttpApiStage(stage, config, report) {
  const defaults = stage.props.defaultRouteSettings;
  const rate = `from ${config.minRateLimit} to ${config.maxRateLimit}`;
  const burst = `from ${config.minBurstLimit} to ${config.maxBurstLimit}`;
  if (defaults === void 0) {
    report(
      `defaultRouteSettings must set throttlingRateLimit and throttlingBurstLimit, but it is not set, so only the account quota limits this stage: add defaultRouteSettings with throttlingRateLimit ${rate} and throttlingBurstLimit ${burst}.`
    );
  } else if (!isObject(defaults)) {
    report(
      `defaultRouteSettings must be an object with throttlingRateLimit and throttlingBurstLimit, but it is ${show(defaults)}: set both limits in it.`
    );
  } else {
    checkLimits(
      { path: "defaultRouteSettings", rateKey: "throttlingRateLimit", burstKey: "throttlingBurstLimit", settings: defaults },
      true,
      config,
      report
    );
  }
  const routeSettings = stage.props.routeSettings;
  if (routeSettings === void 0) return;
  if (!Array.isArray(routeSettings)) {
    const keys = isObject(routeSettings) ? Object.keys(routeSettings) : [];
    report(
      `routeSettings must be a list of settings, one per routeKey, but it is ${show(routeSettings)}${keys.length > 0 ? ` with the keys ${keys.map((key) => JSON.stringify(key)).join(", ")}` : ""}: put stage-wide limits in defaultRouteSettings and per-route limits in routeSettings entries with a routeKey.`
    );
    return;
  }
  routeSettings.forEach((entry, index) => {
    if (!isObject(entry)) {
      report(
        `routeSettings[${index}] must be an object with a routeKey, but it is ${show(entry)}: remove it or give it a routeKey and limits.`
      );
      return;
    }
    checkLimits(
      { path: `routeSettings[${index}]`, rateKey: "throttlingRateLimit", burstKey: "throttlingBurstLimit", settings: entry },
      false,
      config,
      report
    );
  });
}
function restApiKey(resource) {
  const dependency = resource.propertyDependencies.restApi?.find((candidate) => candidate.type === REST_API_TYPE);
  if (dependency) return dependency.urn;
  const literal = readOrUndefined(() => resource.props.restApi);
  return typeof literal === "string" ? `literal:${literal}` : void 0;
}
function appliesToStage(methodSettings, stage) {
  if (methodSettings.propertyDependencies.stageName?.some((dependency) => dependency.urn === stage.urn)) return true;
  const apiKey = restApiKey(stage);
  if (apiKey === void 0 || restApiKey(methodSettings) !== apiKey) return false;
  const stageName = readOrUndefined(() => stage.props.stageName);
  return stageName !== void 0 && readOrUndefined(() => methodSettings.props.stageName) === stageName;
}
var apiGatewayThrottlingBounds = {
  name: NAME2,
  description: "API Gateway stages must be throttled, with rate and burst limits within the configured bounds.",
  enforcementLevel: "mandatory",
  configSchema: CONFIG_SCHEMA,
  validateStack: (args, reportViolation) => {
    const raw = checkedConfig(NAME2, CONFIG_SCHEMA, args.getConfig());
    const config = {
      minRateLimit: typeof raw.minRateLimit === "number" ? raw.minRateLimit : THROTTLING_BOUNDS_DEFAULTS.minRateLimit,
      maxRateLimit: typeof raw.maxRateLimit === "number" ? raw.maxRateLimit : THROTTLING_BOUNDS_DEFAULTS.maxRateLimit,
      minBurstLimit: typeof raw.minBurstLimit === "number" ? raw.minBurstLimit : THROTTLING_BOUNDS_DEFAULTS.minBurstLimit,
      maxBurstLimit: typeof raw.maxBurstLimit === "number" ? raw.maxBurstLimit : THROTTLING_BOUNDS_DEFAULTS.maxBurstLimit
    };
    const ofType = (type) => args.resources.filter((resource) => resource.type === type);
    const httpStages = ofType(HTTP_API_STAGE_TYPE);
    const methodSettings = ofType(REST_API_METHOD_SETTINGS_TYPE);
    const unknowns = new DeferredUnknowns(unknownValuesSetting(raw), reportViolation);
    unknowns.checkEach(httpStages, (stage) => checkHttpApiStage(stage, config, (message) => reportViolation(message, stage.urn)));
    const apisWithStages = new Set(httpStages.flatMap((stage) => (stage.propertyDependencies.apiId ?? []).map((api) => api.urn)));
    unknowns.checkEach(ofType(HTTP_API_TYPE), (api) => {
      if (apisWithStages.has(api.urn)) return;
      const quickCreate = ["target", "routeKey"].filter((key) => key in api.props);
      if (quickCreate.length === 0) return;
      reportViolation(
        `An API with ${quickCreate.join(" and ")} set must not rely on its implicit $default stage, which has no throttling, but ${show(api.name)} has no Stage: remove ${quickCreate.join(" and ")} and add an aws.apigatewayv2.Stage with defaultRouteSettings that set both limits.`,
        api.urn
      );
    });
    const throttledStageWide = (stage) => methodSettings.filter((settings) => appliesToStage(settings, stage)).some((settings) => unknowns.readOf(settings, () => settings.props.methodPath) === "*/*");
    const bothLimits = `both limits from ${config.minRateLimit} to ${config.maxRateLimit} and ${config.minBurstLimit} to ${config.maxBurstLimit}`;
    unknowns.checkEach(ofType(REST_API_STAGE_TYPE), (stage) => {
      if (throttledStageWide(stage)) return;
      reportViolation(
        `A REST API stage must have MethodSettings with methodPath "*/*" that set settings.throttlingRateLimit and settings.throttlingBurstLimit, but ${show(stage.name)} has none: add an aws.apigateway.MethodSettings for this stage with ${bothLimits}.`,
        stage.urn
      );
    });
    unknowns.checkEach(ofType(REST_API_DEPLOYMENT_TYPE), (deployment) => {
      const stageName = deployment.props.stageName;
      if (typeof stageName !== "string" || stageName === "" || throttledStageWide(deployment)) return;
      reportViolation(
        `A REST API stage must have MethodSettings with methodPath "*/*" that set settings.throttlingRateLimit and settings.throttlingBurstLimit, but the stage ${show(stageName)} that ${show(deployment.name)} creates with stageName has none: add an aws.apigateway.MethodSettings with stageName ${show(stageName)} and ${bothLimits}.`,
        deployment.urn
      );
    });
    unknowns.checkEach(methodSettings, (settings) => {
      const values = settings.props.settings;
      const stageWide = settings.props.methodPath === "*/*";
      if (!isObject(values)) {
        if (stageWide || values !== void 0) {
          reportViolation(
            `settings must be an object with throttlingRateLimit and throttlingBurstLimit, but it is ${show(values)}: set both limits in it.`,
            settings.urn
          );
        }
        return;
      }
      checkLimits(
        { path: "settings", rateKey: "throttlingRateLimit", burstKey: "throttlingBurstLimit", settings: values },
        stageWide,
        config,
        (message) => reportViolation(message, settings.urn)
      );
    });
    unknowns.checkEach(ofType(REST_API_USAGE_PLAN_TYPE), (plan) => {
      const report = (message) => reportViolation(message, plan.urn);
      const throttle = plan.props.throttleSettings;
      if (isObject(throttle))
        checkLimits({ path: "throttleSettings", rateKey: "rateLimit", burstKey: "burstLimit", settings: throttle }, false, config, report);
      const apiStages = plan.props.apiStages;
      if (!Array.isArray(apiStages)) return;
      apiStages.forEach((apiStage, stageIndex) => {
        const throttles = isObject(apiStage) ? apiStage.throttles : void 0;
        if (!Array.isArray(throttles)) return;
        throttles.forEach((entry, index) => {
          if (isObject(entry)) {
            checkLimits(
              { path: `apiStages[${stageIndex}].throttles[${index}]`, rateKey: "rateLimit", burstKey: "burstLimit", settings: entry },
              false,
              config,
              report
            );
          }
        });
      });
    });
    unknowns.settle();
  }
};

// policies/lb/load-balancer-topology.ts
function dependencyOfType(resource, property, types) {
  return resource.propertyDependencies[property]?.find((dependency) => types.includes(dependency.type));
}
function referenceKey(resource, property, types) {
  const dependency = dependencyOfType(resource, property, types);
  if (dependency) return dependency.urn;
  const literal = readOrUndefined(() => resource.props[property]);
  return typeof literal === "string" && literal !== "" ? `literal:${literal}` : void 0;
}
function terminalAction(actions) {
  if (!Array.isArray(actions) || actions.length === 0) return void 0;
  const indexed = actions.map((action, index) => ({ action: action ?? {}, index }));
  const orderOf = (entry) => typeof entry.action.order === "number" ? entry.action.order : entry.index + 1;
  const sorted = [...indexed].sort((a, b) => orderOf(a) - orderOf(b) || a.index - b.index);
  return sorted[sorted.length - 1];
}

// policies/lb/alb-http-redirects-to-https.ts
var NAME3 = "alb-http-redirects-to-https";
var CONFIG_SCHEMA2 = packConfigSchema();
var STANDARD_HTTPS_PORT = 443;
var LOAD_BALANCER_TYPE_VALUES = ["application", "network", "gateway"];
var LOAD_BALANCER_TYPE_ALIASES = {
  alb: "application",
  nlb: "network",
  gwlb: "gateway",
  glb: "gateway"
};
function unlinkedFacts() {
  return { resource: void 0, httpsPorts: [], httpPorts: /* @__PURE__ */ new Map(), portsIncomplete: false };
}
function upper(value) {
  return typeof value === "string" ? value.toUpperCase() : void 0;
}
function loadBalancerType(declared) {
  if (declared === void 0 || declared === null) return "application";
  const lower = typeof declared === "string" ? declared.toLowerCase() : void 0;
  return lower !== void 0 && LOAD_BALANCER_TYPE_VALUES.includes(lower) ? lower : void 0;
}
function loadBalancerTypeViolation(declared) {
  if (declared === void 0 || declared === null) return void 0;
  if (typeof declared === "string" && LOAD_BALANCER_TYPE_VALUES.includes(declared)) return void 0;
  const lower = typeof declared === "string" ? declared.toLowerCase() : "";
  const meant = LOAD_BALANCER_TYPE_VALUES.includes(lower) ? lower : LOAD_BALANCER_TYPE_ALIASES[lower];
  return `loadBalancerType must be "application", "network" or "gateway", but it is ${show(declared)}, which AWS does not accept: set it to ${meant ? `"${meant}"` : "the type you mean"}.`;
}
function servesPlainHttp(listener, type) {
  const protocol = upper(listener.props.protocol);
  if (protocol !== void 0) return protocol === "HTTP";
  if (type !== void 0) return type === "application";
  return listener.props.port !== void 0;
}
function describeHttpsPorts(ports) {
  return ports.length === 1 ? `its HTTPS listener (${ports[0]})` : `one of its HTTPS listeners (${ports.join(", ")})`;
}
function redirectViolation(actions, property, listener, listenerPort, facts, servedAs) {
  const suggestedPort = facts.httpsPorts[0] ?? STANDARD_HTTPS_PORT;
  const terminal = terminalAction(actions);
  if (!terminal) {
    return `${property} must end in a redirect to HTTPS, but it is ${show(actions)}: add a redirect action with protocol "HTTPS", port "${suggestedPort}" and statusCode "HTTP_301".`;
  }
  const path = `${property}[${terminal.index}]`;
  const type = typeof terminal.action.type === "string" ? terminal.action.type.toLowerCase() : terminal.action.type;
  if (type !== "redirect") {
    return servedAs === "rule" ? `${path} must not forward or answer over plain HTTP on an HTTP listener, but its type is ${show(terminal.action.type)}: attach this rule to the HTTPS listener, or make it redirect to HTTPS.` : `${path} must redirect to HTTPS as the last action of an HTTP listener, but its type is ${show(terminal.action.type)}: make it a redirect with protocol "HTTPS", port "${suggestedPort}" and statusCode "HTTP_301".`;
  }
  const redirect = terminal.action.redirect ?? {};
  const protocol = redirect.protocol;
  if (upper(protocol) !== "HTTPS") {
    return `${path}.redirect.protocol must be "HTTPS", but it is ${show(protocol)}${protocol === void 0 ? ', which defaults to "#{protocol}" and keeps plain HTTP' : ""}: set it to "HTTPS".`;
  }
  if (facts.portsIncomplete) return void 0;
  const port = redirect.port;
  const keepsPort = port === void 0 || port === "#{port}";
  const effectivePort = keepsPort ? listenerPort : port;
  const portNumber = typeof effectivePort === "number" ? effectivePort : Number(effectivePort);
  if (facts.httpsPorts.length > 0) {
    if (facts.httpsPorts.includes(portNumber)) return void 0;
    const defaulted = port === void 0 ? `, which defaults to "#{port}" and sends HTTPS to port ${show(listenerPort)}` : "";
    return `${path}.redirect.port must be the port of ${describeHttpsPorts(facts.httpsPorts)}, but it is ${show(port)}${defaulted}: set it to "${suggestedPort}".`;
  }
  if (facts.resource) return void 0;
  const plainHttp = facts.httpPorts.get(portNumber);
  if (plainHttp) {
    const given = port === void 0 ? `not set, which defaults to "#{port}" and sends HTTPS back to port ${portNumber}` : port === "#{port}" ? `"#{port}", which sends HTTPS back to port ${portNumber}` : show(port);
    const serving = plainHttp !== listener ? `listener ${show(plainHttp.name)}` : servedAs === "rule" ? "its listener" : "this listener";
    const fix = facts.httpPorts.has(STANDARD_HTTPS_PORT) ? "the port of the load balancer's HTTPS listener" : `"${STANDARD_HTTPS_PORT}"`;
    return `${path}.redirect.port must be a port where the load balancer listens for HTTPS, but it is ${given}, where ${serving} serves plain HTTP, so no HTTPS listener can be there (one listener per port): set it to ${fix}.`;
  }
  if (portNumber !== STANDARD_HTTPS_PORT && !facts.httpPorts.has(STANDARD_HTTPS_PORT)) {
    const defaulted = port === void 0 ? `, which defaults to "#{port}" and sends HTTPS to port ${show(listenerPort)}` : "";
    return `${path}.redirect.port must be the standard HTTPS port (${STANDARD_HTTPS_PORT}), but it is ${show(port)}${defaulted}: set it to "${STANDARD_HTTPS_PORT}".`;
  }
  return void 0;
}
var albHttpRedirectsToHttps = {
  name: NAME3,
  description: "HTTP listeners of application load balancers must redirect to HTTPS on a port where the load balancer has an HTTPS listener.",
  enforcementLevel: "mandatory",
  configSchema: CONFIG_SCHEMA2,
  validateStack: (args, reportViolation) => {
    const config = checkedConfig(NAME3, CONFIG_SCHEMA2, args.getConfig());
    const listeners = args.resources.filter((resource) => LISTENER_TYPES.includes(resource.type));
    const rules = args.resources.filter((resource) => LISTENER_RULE_TYPES.includes(resource.type));
    const declaredLoadBalancers = args.resources.filter((resource) => LOAD_BALANCER_TYPES.includes(resource.type));
    const unknowns = new DeferredUnknowns(unknownValuesSetting(config), reportViolation);
    const types = /* @__PURE__ */ new Map();
    unknowns.checkEach(declaredLoadBalancers, (loadBalancer) => {
      const declared = loadBalancer.props.loadBalancerType;
      types.set(loadBalancer.urn, loadBalancerType(declared));
      const violation = loadBalancerTypeViolation(declared);
      if (violation) reportViolation(violation, loadBalancer.urn);
    });
    const typeOf = (loadBalancer) => loadBalancer ? unknowns.readOf(
      loadBalancer,
      () => types.has(loadBalancer.urn) ? types.get(loadBalancer.urn) : loadBalancerType(loadBalancer.props.loadBalancerType)
    ) : void 0;
    const loadBalancers = /* @__PURE__ */ new Map();
    const loadBalancerKey = /* @__PURE__ */ new Map();
    for (const resource of declaredLoadBalancers) loadBalancers.set(resource.urn, { ...unlinkedFacts(), resource });
    unknowns.checkEach(listeners, (listener) => {
      const key = referenceKey(listener, "loadBalancerArn", LOAD_BALANCER_TYPES);
      loadBalancerKey.set(listener, key);
      if (key === void 0) return;
      const facts = loadBalancers.get(key) ?? unlinkedFacts();
      loadBalancers.set(key, facts);
      try {
        const port = listener.props.port;
        if (upper(listener.props.protocol) === "HTTPS") {
          if (typeof port === "number") facts.httpsPorts.push(port);
        } else if (typeof port === "number" && servesPlainHttp(listener, typeOf(facts.resource)) && !facts.httpPorts.has(port)) {
          facts.httpPorts.set(port, listener);
        }
      } catch (error) {
        facts.portsIncomplete = true;
        throw error;
      }
    });
    const factsOf = (listener) => {
      const key = loadBalancerKey.get(listener);
      return (key !== void 0 ? loadBalancers.get(key) : void 0) ?? unlinkedFacts();
    };
    const redirectingLoadBalancers = /* @__PURE__ */ new Map();
    const httpListeners = /* @__PURE__ */ new Set();
    unknowns.checkEach(listeners, (listener) => {
      const facts = factsOf(listener);
      if (!servesPlainHttp(listener, typeOf(facts.resource))) return;
      httpListeners.add(listener.urn);
      const violation = redirectViolation(listener.props.defaultActions, "defaultActions", listener, listener.props.port, facts, "default");
      if (violation) reportViolation(violation, listener.urn);
      else if (facts.resource && facts.httpsPorts.length === 0 && !facts.portsIncomplete)
        redirectingLoadBalancers.set(facts.resource.urn, listener);
    });
    for (const [urn, listener] of redirectingLoadBalancers) {
      const loadBalancer = loadBalancers.get(urn)?.resource;
      reportViolation(
        `An application load balancer with an HTTP listener must have an HTTPS listener to receive the redirect, but ${show(loadBalancer?.name)} has only HTTP listeners (such as ${show(listener.name)}): add a listener with protocol "HTTPS" on port ${STANDARD_HTTPS_PORT}.`,
        urn
      );
    }
    unknowns.checkEach(rules, (rule) => {
      const listener = dependencyOfType(rule, "listenerArn", LISTENER_TYPES);
      if (!listener || !httpListeners.has(listener.urn)) return;
      const listenerPort = unknowns.readOf(listener, () => listener.props.port);
      const violation = redirectViolation(rule.props.actions, "actions", listener, listenerPort, factsOf(listener), "rule");
      if (violation) reportViolation(violation, rule.urn);
    });
    unknowns.settle();
  }
};

// policies/lb/elb-security-policies.ts
var ELB_SECURITY_POLICY_MINIMUM_TLS = {
  // ELBSecurityPolicy-2016-08 is what AWS applies when a listener names no policy.
  "ELBSecurityPolicy-2016-08": "1.0",
  "ELBSecurityPolicy-2015-05": "1.0",
  "ELBSecurityPolicy-TLS-1-0-2015-04": "1.0",
  "ELBSecurityPolicy-TLS-1-1-2017-01": "1.1",
  "ELBSecurityPolicy-TLS-1-2-2017-01": "1.2",
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06": "1.2",
  "ELBSecurityPolicy-FS-2018-06": "1.0",
  "ELBSecurityPolicy-FS-1-1-2019-08": "1.1",
  "ELBSecurityPolicy-FS-1-2-2019-08": "1.2",
  "ELBSecurityPolicy-FS-1-2-Res-2019-08": "1.2",
  "ELBSecurityPolicy-FS-1-2-Res-2020-10": "1.2",
  "ELBSecurityPolicy-TLS13-1-0-2021-06": "1.0",
  "ELBSecurityPolicy-TLS13-1-1-2021-06": "1.1",
  "ELBSecurityPolicy-TLS13-1-2-2021-06": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06": "1.2",
  "ELBSecurityPolicy-TLS13-1-3-2021-06": "1.3",
  "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04": "1.0",
  "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04": "1.1",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04": "1.2",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04": "1.3",
  // The RFC 9151 family is documented by third-party sources only; its names follow the rule.
  "ELBSecurityPolicy-TLS13-1-2-RFC9151-FIPS-2023-07": "1.2",
  "ELBSecurityPolicy-TLS13-1-3-RFC9151-FIPS-2023-07": "1.3",
  "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP1-FIPS-2023-07": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP2-FIPS-2023-07": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP3-FIPS-2023-07": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP4-FIPS-2023-07": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext0-RFC9151-FIPS-2023-07": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09": "1.2",
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09": "1.3",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09": "1.3",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09": "1.2",
  "ELBSecurityPolicy-TLS13-1-0-PQ-2025-09": "1.0",
  "ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09": "1.0",
  // Its existence is uncertain; listed so that, if it exists, it is correctly rejected.
  "ELBSecurityPolicy-TLS13-1-1-FIPS-PQ-2025-09": "1.1"
};
var ELB_DEFAULT_SECURITY_POLICY = "ELBSecurityPolicy-2016-08";
var ELB_RECOMMENDED_SECURITY_POLICY = {
  "1.2": "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "1.3": "ELBSecurityPolicy-TLS13-1-3-2021-06"
};
function elbSecurityPolicyMinimumTls(name) {
  return Object.prototype.hasOwnProperty.call(ELB_SECURITY_POLICY_MINIMUM_TLS, name) ? ELB_SECURITY_POLICY_MINIMUM_TLS[name] : void 0;
}

// policies/lb/lb-tls-1-2-minimum.ts
var NAME4 = "lb-tls-1-2-minimum";
var lbTls12Minimum = {
  name: NAME4,
  description: "HTTPS and TLS listeners must use a predefined security policy that allows nothing older than TLS 1.2.",
  enforcementLevel: "mandatory",
  configSchema: tlsMinimumConfigSchema,
  validateResource: (args, reportViolation) => {
    const raw = checkedConfig(NAME4, tlsMinimumConfigSchema, args.getConfig());
    if (!LISTENER_TYPES.includes(args.type)) return;
    checkReportingUnknowns(unknownValuesSetting(raw), reportViolation, () => {
      const protocol = args.props.protocol;
      const normalized = typeof protocol === "string" ? protocol.toUpperCase() : void 0;
      if (normalized !== "HTTPS" && normalized !== "TLS") return;
      const config = tlsMinimumConfig(raw);
      const recommended = ELB_RECOMMENDED_SECURITY_POLICY[config.minimumVersion];
      const sslPolicy = args.props.sslPolicy;
      if (sslPolicy === void 0 || sslPolicy === "") {
        reportViolation(
          `sslPolicy must be set on ${normalized === "HTTPS" ? "an HTTPS" : "a TLS"} listener, but it is not set, so AWS applies "${ELB_DEFAULT_SECURITY_POLICY}", which allows TLS 1.0: set sslPolicy to "${recommended}" or another policy with TLS ${config.minimumVersion} or newer.`
        );
        return;
      }
      if (typeof sslPolicy !== "string") {
        reportViolation(`sslPolicy must be the name of a security policy, but it is ${show(sslPolicy)}: set it to "${recommended}".`);
        return;
      }
      if (config.allowedPolicies.includes(sslPolicy)) return;
      const minimum = elbSecurityPolicyMinimumTls(sslPolicy);
      if (minimum === void 0) {
        reportViolation(
          `sslPolicy must name a predefined security policy whose TLS versions are known, but ${show(sslPolicy)} is not one: set it to "${recommended}", or add the name to allowedPolicies in this policy's configuration.`
        );
      } else if (isOlder(minimum, config.minimumVersion)) {
        reportViolation(
          `sslPolicy must allow nothing older than TLS ${config.minimumVersion}, but ${show(sslPolicy)} allows TLS ${minimum}: set it to "${recommended}".`
        );
      }
    });
  }
};

// policies/lb/target-group-health-check.ts
var RANGES = {
  healthyThreshold: { min: 2, max: 10, unit: "", integer: true },
  unhealthyThreshold: { min: 2, max: 10, unit: "", integer: true },
  interval: { min: 5, max: 300, unit: " s", integer: true },
  timeout: { min: 2, max: 120, unit: " s", integer: true }
};
var HTTP_HEALTH_CHECK_PROTOCOLS = ["HTTP", "HTTPS"];
var NETWORK_PROTOCOLS = ["TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC"];
var TARGET_GROUP_HEALTH_CHECK_DEFAULTS = { includeLambda: false };
function upper2(value) {
  return typeof value === "string" ? value.toUpperCase() : void 0;
}
function healthCheckProtocol(targetGroupProtocol, checkProtocol) {
  if (checkProtocol) return checkProtocol;
  return targetGroupProtocol && HTTP_HEALTH_CHECK_PROTOCOLS.includes(targetGroupProtocol) ? targetGroupProtocol : "TCP";
}
function defaultIntervalSeconds(isLambda, targetGroupProtocol) {
  if (isLambda) return 35;
  return targetGroupProtocol === "GENEVE" ? 10 : 30;
}
function matcherRange(grpc, targetGroupProtocol) {
  if (grpc) return { low: 0, high: 99, example: '"12"' };
  if (targetGroupProtocol === "GENEVE") return { low: 200, high: 399, example: '"200-399"' };
  if (targetGroupProtocol !== void 0 && NETWORK_PROTOCOLS.includes(targetGroupProtocol))
    return { low: 200, high: 599, example: '"200-299"' };
  return { low: 200, high: 499, example: '"200-299"' };
}
function matcherCodes(matcher) {
  const codes = [];
  for (const part of matcher.split(",")) {
    const match = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(part);
    if (!match?.[1]) return void 0;
    codes.push(Number(match[1]), Number(match[2] ?? match[1]));
  }
  return codes;
}
var NAME5 = "target-group-health-check";
var CONFIG_SCHEMA3 = packConfigSchema({
  includeLambda: {
    type: "boolean",
    default: TARGET_GROUP_HEALTH_CHECK_DEFAULTS.includeLambda,
    description: "Also require health checks on Lambda target groups, where AWS leaves them off by default."
  }
});
function checkTargetGroup(args, config, reportViolation) {
  const props = args.props;
  const targetType = upper2(props.targetType) ?? "INSTANCE";
  const isLambda = targetType === "LAMBDA";
  if (isLambda && !config.includeLambda) return;
  const healthCheck = props.healthCheck;
  const targetGroupProtocol = upper2(props.protocol);
  const grpc = upper2(props.protocolVersion) === "GRPC";
  const pathExample = grpc ? '"/grpc.health.v1.Health/Check"' : '"/health"';
  if (healthCheck === void 0 || healthCheck === null) {
    reportViolation(
      isLambda ? `healthCheck must be set with enabled: true on a Lambda target group (includeLambda is on), but it is not set, so AWS does not check the function: add healthCheck with enabled: true.` : `healthCheck must be set explicitly, but it is not set, so AWS's defaults decide when a target is healthy: add healthCheck with ${targetGroupProtocol === void 0 || HTTP_HEALTH_CHECK_PROTOCOLS.includes(targetGroupProtocol) ? `a path such as ${pathExample}, ` : ""}thresholds, an interval and a timeout.`
    );
    return;
  }
  if (typeof healthCheck !== "object" || Array.isArray(healthCheck)) {
    reportViolation(`healthCheck must be an object, but it is ${show(healthCheck)}: set it to a health check block.`);
    return;
  }
  const check = healthCheck;
  const enabled = check.enabled;
  if (enabled === false || isLambda && enabled !== true) {
    reportViolation(
      `healthCheck.enabled must be true, but it is ${show(enabled)}${enabled === void 0 ? ", which leaves health checks off for a Lambda target group" : ""}, so traffic keeps going to failed targets: set healthCheck.enabled to true.`
    );
    return;
  }
  const protocol = healthCheckProtocol(targetGroupProtocol, upper2(check.protocol));
  const speaksHttp = !isLambda && HTTP_HEALTH_CHECK_PROTOCOLS.includes(protocol);
  if (speaksHttp) {
    const path = check.path;
    if (path === void 0 || path === "") {
      reportViolation(
        `healthCheck.path must be set for a${grpc ? " gRPC" : "n " + protocol} health check, but it is not set, so AWS checks ${grpc ? '"/AWS.ALB/healthcheck"' : '"/"'} instead of the service's health endpoint: set healthCheck.path to ${pathExample}.`
      );
    } else if (typeof path !== "string" || !path.startsWith("/")) {
      reportViolation(`healthCheck.path must be a path starting with "/", but it is ${show(path)}: set it to ${pathExample}.`);
    }
    const matcher = check.matcher;
    if (matcher !== void 0) {
      const { low, high, example } = matcherRange(grpc, targetGroupProtocol);
      const codes = typeof matcher === "string" ? matcherCodes(matcher) : void 0;
      if (!codes || codes.some((code) => code < low || code > high)) {
        reportViolation(
          `healthCheck.matcher must list ${grpc ? "gRPC" : "HTTP"} status codes from ${low} to ${high}, but it is ${show(matcher)}: set it to ${example} or similar.`
        );
      }
    }
  }
  for (const field of ["healthyThreshold", "unhealthyThreshold", "interval", "timeout"]) {
    const value = check[field];
    if (value === void 0) continue;
    const range = RANGES[field];
    if (typeof value !== "number" || !Number.isFinite(value) || range.integer && !Number.isInteger(value) || value < range.min || value > range.max) {
      reportViolation(
        `healthCheck.${field} must be a whole number from ${range.min} to ${range.max}${range.unit}, but it is ${show(value)}: set a value in that range.`
      );
    }
  }
  const timeout = check.timeout;
  const interval = check.interval ?? defaultIntervalSeconds(isLambda, targetGroupProtocol);
  if (typeof timeout === "number" && typeof interval === "number" && timeout >= interval) {
    reportViolation(
      `healthCheck.timeout must be shorter than healthCheck.interval, but it is ${timeout} s with an interval of ${interval} s${check.interval === void 0 ? " (the default)" : ""}: lower the timeout or raise the interval.`
    );
  }
}
var targetGroupHealthCheck = {
  name: NAME5,
  description: "Target groups must define an enabled health check with a path (for HTTP, HTTPS and gRPC) and values within AWS's ranges.",
  enforcementLevel: "mandatory",
  configSchema: CONFIG_SCHEMA3,
  validateResource: (args, reportViolation) => {
    const raw = checkedConfig(NAME5, CONFIG_SCHEMA3, args.getConfig());
    if (!TARGET_GROUP_TYPES.includes(args.type)) return;
    const config = { includeLambda: raw.includeLambda === true };
    checkReportingUnknowns(unknownValuesSetting(raw), reportViolation, () => checkTargetGroup(args, config, reportViolation));
  }
};

// policies/catalog.ts
var POLICY_PACK_NAME = "pulumi-policy-gate";
var policies = [
  albHttpRedirectsToHttps,
  lbTls12Minimum,
  apiGatewayDomainTls12Minimum,
  targetGroupHealthCheck,
  apiGatewayThrottlingBounds
];

// policies/index.ts
new import_policy.PolicyPack(POLICY_PACK_NAME, { policies, enforcementLevel: "mandatory" });
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  POLICY_PACK_NAME,
  policies
});
