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

// policies/messages.ts
function show(value) {
  if (value === void 0) return "not set";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  if (Array.isArray(value)) return "a list";
  return "an object";
}

// policies/resource-types.ts
var LOAD_BALANCER_TYPES = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
var LISTENER_TYPES = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
var LISTENER_RULE_TYPES = ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"];
var TARGET_GROUP_TYPES = ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"];
var HTTP_API_TYPE = "aws:apigatewayv2/api:Api";
var HTTP_API_STAGE_TYPE = "aws:apigatewayv2/stage:Stage";
var HTTP_API_DOMAIN_NAME_TYPE = "aws:apigatewayv2/domainName:DomainName";
var REST_API_STAGE_TYPE = "aws:apigateway/stage:Stage";
var REST_API_METHOD_SETTINGS_TYPE = "aws:apigateway/methodSettings:MethodSettings";
var REST_API_USAGE_PLAN_TYPE = "aws:apigateway/usagePlan:UsagePlan";
var REST_API_DOMAIN_NAME_TYPE = "aws:apigateway/domainName:DomainName";

// policies/tls.ts
var TLS_VERSIONS = ["1.0", "1.1", "1.2", "1.3"];
function isOlder(version, than) {
  return TLS_VERSIONS.indexOf(version) < TLS_VERSIONS.indexOf(than);
}
var TLS_MINIMUM_DEFAULTS = { minimumVersion: "1.2", allowedPolicies: [] };
var tlsMinimumConfigSchema = {
  properties: {
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
  }
};
function tlsMinimumConfig(raw) {
  return {
    minimumVersion: raw.minimumVersion === "1.3" ? "1.3" : "1.2",
    allowedPolicies: Array.isArray(raw.allowedPolicies) ? raw.allowedPolicies.filter((name) => typeof name === "string") : []
  };
}

// policies/apigateway/apigateway-domain-tls-1-2-minimum.ts
function apiGatewaySecurityPolicyMinimumTls(name) {
  if (name === "TLS_1_0") return "1.0";
  if (name === "TLS_1_2") return "1.2";
  const versioned = /^SecurityPolicy_TLS13_1_([0-3])_/.exec(name);
  if (versioned) return `1.${versioned[1]}`;
  if (/^SecurityPolicy_TLS13_/.test(name)) return "1.3";
  if (/^SecurityPolicy_TLS12_/.test(name)) return "1.2";
  return void 0;
}
var RECOMMENDED = { "1.2": "TLS_1_2", "1.3": "SecurityPolicy_TLS13_1_3_2025_09" };
var apiGatewayDomainTls12Minimum = {
  name: "apigateway-domain-tls-1-2-minimum",
  description: "API Gateway custom domain names must require TLS 1.2 or newer.",
  enforcementLevel: "mandatory",
  configSchema: tlsMinimumConfigSchema,
  validateResource: (args, reportViolation) => {
    let property;
    let securityPolicy;
    if (args.type === REST_API_DOMAIN_NAME_TYPE) {
      property = "securityPolicy";
      securityPolicy = args.props.securityPolicy;
    } else if (args.type === HTTP_API_DOMAIN_NAME_TYPE) {
      property = "domainNameConfiguration.securityPolicy";
      const configuration = args.props.domainNameConfiguration;
      securityPolicy = configuration !== null && typeof configuration === "object" ? configuration.securityPolicy : void 0;
    } else {
      return;
    }
    const config = tlsMinimumConfig(args.getConfig());
    const recommended = RECOMMENDED[config.minimumVersion];
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
  }
};

// policies/preview.ts
function isUnknownValueError(error) {
  return error instanceof Error && error.constructor.name === "UnknownValueError";
}
var DeferredUnknowns = class {
  /** Runs `check` on each item; unknown values are remembered, other errors propagate. */
  checkEach(items, check) {
    for (const item of items) {
      try {
        check(item);
      } catch (error) {
        if (!isUnknownValueError(error)) throw error;
        this.first ??= error;
      }
    }
  }
  /** Throws the first unknown value met, if any. */
  rethrow() {
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

// policies/apigateway/apigateway-throttling-bounds.ts
var THROTTLING_BOUNDS_DEFAULTS = {
  minRateLimit: 1,
  maxRateLimit: 1e4,
  minBurstLimit: 1,
  maxBurstLimit: 5e3
};
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
      if (required) report(`${property} must be set, but it is not set, so only the account quota limits this stage: set it to a value from ${min} to ${max}.`);
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
    report(`defaultRouteSettings must be an object with throttlingRateLimit and throttlingBurstLimit, but it is ${show(defaults)}: set both limits in it.`);
  } else {
    checkLimits({ path: "defaultRouteSettings", rateKey: "throttlingRateLimit", burstKey: "throttlingBurstLimit", settings: defaults }, true, config, report);
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
      report(`routeSettings[${index}] must be an object with a routeKey, but it is ${show(entry)}: remove it or give it a routeKey and limits.`);
      return;
    }
    checkLimits({ path: `routeSettings[${index}]`, rateKey: "throttlingRateLimit", burstKey: "throttlingBurstLimit", settings: entry }, false, config, report);
  });
}
function restApiKey(resource) {
  const dependency = resource.propertyDependencies.restApi?.find((candidate) => candidate.type === "aws:apigateway/restApi:RestApi");
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
  name: "apigateway-throttling-bounds",
  description: "API Gateway stages must be throttled, with rate and burst limits within the configured bounds.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minRateLimit: { type: "number", minimum: 0, default: THROTTLING_BOUNDS_DEFAULTS.minRateLimit, description: "Lowest steady-state rate (requests per second) a stage may set." },
      maxRateLimit: { type: "number", minimum: 0, default: THROTTLING_BOUNDS_DEFAULTS.maxRateLimit, description: "Highest steady-state rate (requests per second); AWS's default account quota is 10,000." },
      minBurstLimit: { type: "integer", minimum: 0, default: THROTTLING_BOUNDS_DEFAULTS.minBurstLimit, description: "Lowest burst a stage may set." },
      maxBurstLimit: { type: "integer", minimum: 0, default: THROTTLING_BOUNDS_DEFAULTS.maxBurstLimit, description: "Highest burst; AWS's default account quota is 5,000." }
    }
  },
  validateStack: (args, reportViolation) => {
    const config = { ...THROTTLING_BOUNDS_DEFAULTS, ...args.getConfig() };
    const ofType = (type) => args.resources.filter((resource) => resource.type === type);
    const httpStages = ofType(HTTP_API_STAGE_TYPE);
    const methodSettings = ofType(REST_API_METHOD_SETTINGS_TYPE);
    const unknowns = new DeferredUnknowns();
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
    unknowns.checkEach(ofType(REST_API_STAGE_TYPE), (stage) => {
      const applicable = methodSettings.filter((settings) => appliesToStage(settings, stage));
      const stageWide = applicable.filter((settings) => settings.props.methodPath === "*/*");
      if (stageWide.length === 0) {
        reportViolation(
          `A REST API stage must have MethodSettings with methodPath "*/*" that set settings.throttlingRateLimit and settings.throttlingBurstLimit, but ${show(stage.name)} has none: add an aws.apigateway.MethodSettings for this stage with both limits from ${config.minRateLimit} to ${config.maxRateLimit} and ${config.minBurstLimit} to ${config.maxBurstLimit}.`,
          stage.urn
        );
      }
    });
    unknowns.checkEach(methodSettings, (settings) => {
      const values = settings.props.settings;
      const stageWide = settings.props.methodPath === "*/*";
      if (!isObject(values)) {
        if (stageWide || values !== void 0) {
          reportViolation(`settings must be an object with throttlingRateLimit and throttlingBurstLimit, but it is ${show(values)}: set both limits in it.`, settings.urn);
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
      if (isObject(throttle)) checkLimits({ path: "throttleSettings", rateKey: "rateLimit", burstKey: "burstLimit", settings: throttle }, false, config, report);
      const apiStages = plan.props.apiStages;
      if (!Array.isArray(apiStages)) return;
      apiStages.forEach((apiStage, stageIndex) => {
        const throttles = isObject(apiStage) ? apiStage.throttles : void 0;
        if (!Array.isArray(throttles)) return;
        throttles.forEach((entry, index) => {
          if (isObject(entry)) {
            checkLimits({ path: `apiStages[${stageIndex}].throttles[${index}]`, rateKey: "rateLimit", burstKey: "burstLimit", settings: entry }, false, config, report);
          }
        });
      });
    });
    unknowns.rethrow();
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
var STANDARD_HTTPS_PORT = 443;
function unlinkedFacts() {
  return { resource: void 0, httpsPorts: [], httpsPortsIncomplete: false };
}
function upper(value) {
  return typeof value === "string" ? value.toUpperCase() : void 0;
}
function loadBalancerType(loadBalancer) {
  if (!loadBalancer) return void 0;
  const declared = loadBalancer.props.loadBalancerType;
  return typeof declared === "string" ? declared.toLowerCase() : "application";
}
function servesPlainHttp(listener, loadBalancer) {
  const protocol = upper(listener.props.protocol);
  if (protocol !== void 0) return protocol === "HTTP";
  const type = loadBalancerType(loadBalancer);
  if (type !== void 0) return type === "application";
  return listener.props.port !== void 0;
}
function describeHttpsPorts(ports) {
  return ports.length === 1 ? `its HTTPS listener (${ports[0]})` : `one of its HTTPS listeners (${ports.join(", ")})`;
}
function redirectViolation(actions, property, listenerPort, facts, servedAs) {
  const terminal = terminalAction(actions);
  if (!terminal) {
    return `${property} must end in a redirect to HTTPS, but it is ${show(actions)}: add a redirect action with protocol "HTTPS", port "${STANDARD_HTTPS_PORT}" and statusCode "HTTP_301".`;
  }
  const path = `${property}[${terminal.index}]`;
  const type = typeof terminal.action.type === "string" ? terminal.action.type.toLowerCase() : terminal.action.type;
  if (type !== "redirect") {
    return servedAs === "rule" ? `${path} must not forward or answer over plain HTTP on an HTTP listener, but its type is ${show(terminal.action.type)}: attach this rule to the HTTPS listener, or make it redirect to HTTPS.` : `${path} must redirect to HTTPS as the last action of an HTTP listener, but its type is ${show(terminal.action.type)}: make it a redirect with protocol "HTTPS", port "${STANDARD_HTTPS_PORT}" and statusCode "HTTP_301".`;
  }
  const redirect = terminal.action.redirect ?? {};
  const protocol = redirect.protocol;
  if (upper(protocol) !== "HTTPS") {
    return `${path}.redirect.protocol must be "HTTPS", but it is ${show(protocol)}${protocol === void 0 ? ', which defaults to "#{protocol}" and keeps plain HTTP' : ""}: set it to "HTTPS".`;
  }
  if (facts.httpsPortsIncomplete) return void 0;
  const port = redirect.port;
  const effectivePort = port === void 0 || port === "#{port}" ? listenerPort : port;
  const portNumber = typeof effectivePort === "number" ? effectivePort : Number(effectivePort);
  const acceptable = facts.resource || facts.httpsPorts.length > 0 ? facts.httpsPorts : [STANDARD_HTTPS_PORT];
  if (acceptable.length > 0 && !acceptable.includes(portNumber)) {
    const fix = acceptable[0] ?? STANDARD_HTTPS_PORT;
    const where = facts.httpsPorts.length > 0 ? `the port of ${describeHttpsPorts(acceptable)}` : `the standard HTTPS port (${STANDARD_HTTPS_PORT})`;
    const defaulted = port === void 0 ? `, which defaults to "#{port}" and sends HTTPS to port ${show(listenerPort)}` : "";
    return `${path}.redirect.port must be ${where}, but it is ${show(port)}${defaulted}: set it to "${fix}".`;
  }
  return void 0;
}
var albHttpRedirectsToHttps = {
  name: "alb-http-redirects-to-https",
  description: "HTTP listeners of application load balancers must redirect to HTTPS on a port where the load balancer has an HTTPS listener.",
  enforcementLevel: "mandatory",
  configSchema: { properties: {} },
  validateStack: (args, reportViolation) => {
    const listeners = args.resources.filter((resource) => LISTENER_TYPES.includes(resource.type));
    const rules = args.resources.filter((resource) => LISTENER_RULE_TYPES.includes(resource.type));
    const unknowns = new DeferredUnknowns();
    const loadBalancers = /* @__PURE__ */ new Map();
    const loadBalancerKey = /* @__PURE__ */ new Map();
    for (const resource of args.resources) {
      if (LOAD_BALANCER_TYPES.includes(resource.type)) loadBalancers.set(resource.urn, { ...unlinkedFacts(), resource });
    }
    unknowns.checkEach(listeners, (listener) => {
      const key = referenceKey(listener, "loadBalancerArn", LOAD_BALANCER_TYPES);
      loadBalancerKey.set(listener, key);
      if (key === void 0) return;
      const facts = loadBalancers.get(key) ?? unlinkedFacts();
      loadBalancers.set(key, facts);
      try {
        if (upper(listener.props.protocol) !== "HTTPS") return;
        const port = listener.props.port;
        if (typeof port === "number") facts.httpsPorts.push(port);
      } catch (error) {
        facts.httpsPortsIncomplete = true;
        throw error;
      }
    });
    const redirectingLoadBalancers = /* @__PURE__ */ new Map();
    const httpListeners = /* @__PURE__ */ new Set();
    unknowns.checkEach(listeners, (listener) => {
      const key = loadBalancerKey.get(listener);
      const facts = (key !== void 0 ? loadBalancers.get(key) : void 0) ?? unlinkedFacts();
      if (!servesPlainHttp(listener, facts.resource)) return;
      httpListeners.add(listener.urn);
      const violation = redirectViolation(listener.props.defaultActions, "defaultActions", listener.props.port, facts, "default");
      if (violation) reportViolation(violation, listener.urn);
      else if (facts.resource && facts.httpsPorts.length === 0 && !facts.httpsPortsIncomplete) redirectingLoadBalancers.set(facts.resource.urn, listener);
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
      const key = loadBalancerKey.get(listener);
      const facts = (key !== void 0 ? loadBalancers.get(key) : void 0) ?? unlinkedFacts();
      const violation = redirectViolation(rule.props.actions, "actions", listener.props.port, facts, "rule");
      if (violation) reportViolation(violation, rule.urn);
    });
    unknowns.rethrow();
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
var lbTls12Minimum = {
  name: "lb-tls-1-2-minimum",
  description: "HTTPS and TLS listeners must use a predefined security policy that allows nothing older than TLS 1.2.",
  enforcementLevel: "mandatory",
  configSchema: tlsMinimumConfigSchema,
  validateResource: (args, reportViolation) => {
    if (!LISTENER_TYPES.includes(args.type)) return;
    const protocol = args.props.protocol;
    const normalized = typeof protocol === "string" ? protocol.toUpperCase() : void 0;
    if (normalized !== "HTTPS" && normalized !== "TLS") return;
    const config = tlsMinimumConfig(args.getConfig());
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
  if (targetGroupProtocol !== void 0 && NETWORK_PROTOCOLS.includes(targetGroupProtocol)) return { low: 200, high: 599, example: '"200-299"' };
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
var targetGroupHealthCheck = {
  name: "target-group-health-check",
  description: "Target groups must define an enabled health check with a path (for HTTP, HTTPS and gRPC) and values within AWS's ranges.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      includeLambda: {
        type: "boolean",
        default: TARGET_GROUP_HEALTH_CHECK_DEFAULTS.includeLambda,
        description: "Also require health checks on Lambda target groups, where AWS leaves them off by default."
      }
    }
  },
  validateResource: (args, reportViolation) => {
    if (!TARGET_GROUP_TYPES.includes(args.type)) return;
    const config = { ...TARGET_GROUP_HEALTH_CHECK_DEFAULTS, ...args.getConfig() };
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
};

// policies/index.ts
var POLICY_PACK_NAME = "pulumi-policy-gate";
var policies = [
  albHttpRedirectsToHttps,
  lbTls12Minimum,
  apiGatewayDomainTls12Minimum,
  targetGroupHealthCheck,
  apiGatewayThrottlingBounds
];
new import_policy.PolicyPack(POLICY_PACK_NAME, { policies, enforcementLevel: "mandatory" });
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  POLICY_PACK_NAME,
  policies
});
