// apigateway-throttling-bounds: every API Gateway stage is throttled, within configured bounds.
// HTTP and WebSocket stages carry their limits in defaultRouteSettings and routeSettings[]; a
// REST stage has no throttling fields of its own: its limits live in MethodSettings resources
// (methodPath "*/*" for the whole stage) and usage plans, which a stack policy links to it. A
// REST stage is an aws.apigateway.Stage, or the stage a Deployment creates with `stageName`
// (@pulumi/aws 6 and older; version 7 removed the input), which is checked the same way and
// reported on the Deployment.

import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { checkedConfig, NOT_ABOVE, packConfigSchema, unknownValuesSetting } from "../config";
import { show } from "../messages";
import { DeferredUnknowns, readOrUndefined } from "../preview";
import {
  HTTP_API_STAGE_TYPE,
  HTTP_API_TYPE,
  REST_API_DEPLOYMENT_TYPE,
  REST_API_METHOD_SETTINGS_TYPE,
  REST_API_STAGE_TYPE,
  REST_API_TYPE,
  REST_API_USAGE_PLAN_TYPE,
} from "../resource-types";

export interface ThrottlingBoundsConfig {
  readonly minRateLimit: number;
  readonly maxRateLimit: number;
  readonly minBurstLimit: number;
  readonly maxBurstLimit: number;
}

/** AWS's default account quotas per region (maxima) and the least limits that let traffic through. */
export const THROTTLING_BOUNDS_DEFAULTS: ThrottlingBoundsConfig = {
  minRateLimit: 1,
  maxRateLimit: 10000,
  minBurstLimit: 1,
  maxBurstLimit: 5000,
};

/**
 * The largest bounds the configuration takes. A stage limit above the account's quota has no
 * effect, and AWS raises quotas case by case without a published maximum; 100 times the default
 * quotas leaves room for any raised quota while refusing what can only be a typo (99999999).
 * This is the pack's choice, not an AWS limit.
 */
export const THROTTLING_BOUNDS_CEILINGS = { rate: 1_000_000, burst: 500_000 } as const;

const NAME = "apigateway-throttling-bounds";

const CONFIG_SCHEMA = packConfigSchema({
  minRateLimit: {
    type: "number",
    minimum: 0,
    maximum: THROTTLING_BOUNDS_CEILINGS.rate,
    [NOT_ABOVE]: "maxRateLimit",
    default: THROTTLING_BOUNDS_DEFAULTS.minRateLimit,
    description: "Lowest steady-state rate (requests per second) a stage may set; not above maxRateLimit.",
  },
  maxRateLimit: {
    type: "number",
    minimum: 0,
    maximum: THROTTLING_BOUNDS_CEILINGS.rate,
    default: THROTTLING_BOUNDS_DEFAULTS.maxRateLimit,
    description: "Highest steady-state rate (requests per second); AWS's default account quota is 10,000.",
  },
  minBurstLimit: {
    type: "integer",
    minimum: 0,
    maximum: THROTTLING_BOUNDS_CEILINGS.burst,
    [NOT_ABOVE]: "maxBurstLimit",
    default: THROTTLING_BOUNDS_DEFAULTS.minBurstLimit,
    description: "Lowest burst a stage may set; not above maxBurstLimit.",
  },
  maxBurstLimit: {
    type: "integer",
    minimum: 0,
    maximum: THROTTLING_BOUNDS_CEILINGS.burst,
    default: THROTTLING_BOUNDS_DEFAULTS.maxBurstLimit,
    description: "Highest burst; AWS's default account quota is 5,000.",
  },
});

type LimitKind = "rate" | "burst";

function bounds(kind: LimitKind, config: ThrottlingBoundsConfig): [number, number] {
  return kind === "rate" ? [config.minRateLimit, config.maxRateLimit] : [config.minBurstLimit, config.maxBurstLimit];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Why a limit is out of bounds, or undefined when it is within them. */
function limitProblem(value: unknown, kind: LimitKind, config: ThrottlingBoundsConfig): string | undefined {
  const [min, max] = bounds(kind, config);
  const unit = kind === "rate" ? " requests per second" : " requests";
  const expected = `must be ${kind === "burst" ? "a whole number " : ""}from ${min} to ${max}${unit}`;
  if (typeof value !== "number" || !Number.isFinite(value) || (kind === "burst" && !Number.isInteger(value))) {
    return `${expected}, but it is ${show(value)}`;
  }
  if (value === -1) return `${expected}, but it is -1, which turns throttling off`;
  // Configured bounds may allow 0 (a stage meant to be closed); only then is 0 acceptable.
  if (value === 0 && min > 0) return `${expected}, but it is 0, which rejects every request with 429`;
  if (value < min || value > max) return `${expected}, but it is ${value}`;
  return undefined;
}

interface LimitPair {
  readonly path: string;
  readonly rateKey: string;
  readonly burstKey: string;
  readonly settings: Record<string, unknown>;
}

/** Checks a rate/burst pair; `required` demands both be set. Reports each problem as its own violation. */
function checkLimits(pair: LimitPair, required: boolean, config: ThrottlingBoundsConfig, report: (message: string) => void): void {
  for (const [key, kind] of [
    [pair.rateKey, "rate"],
    [pair.burstKey, "burst"],
  ] as const) {
    const value = pair.settings[key];
    const property = `${pair.path}.${key}`;
    const [min, max] = bounds(kind, config);
    if (value === undefined) {
      if (required)
        report(
          `${property} must be set, but it is not set, so only the account quota limits this stage: set it to a value from ${min} to ${max}.`,
        );
      continue;
    }
    const problem = limitProblem(value, kind, config);
    if (problem) report(`${property} ${problem}: set it to a value from ${min} to ${max}.`);
  }
}

function checkHttpApiStage(stage: PolicyResource, config: ThrottlingBoundsConfig, report: (message: string) => void): void {
  const defaults: unknown = stage.props.defaultRouteSettings;
  const rate = `from ${config.minRateLimit} to ${config.maxRateLimit}`;
  const burst = `from ${config.minBurstLimit} to ${config.maxBurstLimit}`;
  if (defaults === undefined) {
    report(
      `defaultRouteSettings must set throttlingRateLimit and throttlingBurstLimit, but it is not set, so only the account quota limits this stage: add defaultRouteSettings with throttlingRateLimit ${rate} and throttlingBurstLimit ${burst}.`,
    );
  } else if (!isObject(defaults)) {
    report(
      `defaultRouteSettings must be an object with throttlingRateLimit and throttlingBurstLimit, but it is ${show(defaults)}: set both limits in it.`,
    );
  } else {
    checkLimits(
      { path: "defaultRouteSettings", rateKey: "throttlingRateLimit", burstKey: "throttlingBurstLimit", settings: defaults },
      true,
      config,
      report,
    );
  }

  const routeSettings: unknown = stage.props.routeSettings;
  if (routeSettings === undefined) return;
  if (!Array.isArray(routeSettings)) {
    const keys = isObject(routeSettings) ? Object.keys(routeSettings) : [];
    report(
      `routeSettings must be a list of settings, one per routeKey, but it is ${show(routeSettings)}${keys.length > 0 ? ` with the keys ${keys.map((key) => JSON.stringify(key)).join(", ")}` : ""}: put stage-wide limits in defaultRouteSettings and per-route limits in routeSettings entries with a routeKey.`,
    );
    return;
  }
  routeSettings.forEach((entry: unknown, index) => {
    if (!isObject(entry)) {
      report(
        `routeSettings[${index}] must be an object with a routeKey, but it is ${show(entry)}: remove it or give it a routeKey and limits.`,
      );
      return;
    }
    checkLimits(
      { path: `routeSettings[${index}]`, rateKey: "throttlingRateLimit", burstKey: "throttlingBurstLimit", settings: entry },
      false,
      config,
      report,
    );
  });
}

/** A key for the REST API a resource refers to: the URN its restApi input depends on, or the literal id. */
function restApiKey(resource: PolicyResource): string | undefined {
  const dependency = resource.propertyDependencies.restApi?.find((candidate) => candidate.type === REST_API_TYPE);
  if (dependency) return dependency.urn;
  const literal: unknown = readOrUndefined((): unknown => resource.props.restApi);
  return typeof literal === "string" ? `literal:${literal}` : undefined;
}

/**
 * Whether MethodSettings apply to this stage (a Stage, or a Deployment with stageName): they
 * depend on it, or name its API and stage name.
 */
function appliesToStage(methodSettings: PolicyResource, stage: PolicyResource): boolean {
  if (methodSettings.propertyDependencies.stageName?.some((dependency) => dependency.urn === stage.urn)) return true;
  const apiKey = restApiKey(stage);
  if (apiKey === undefined || restApiKey(methodSettings) !== apiKey) return false;
  const stageName: unknown = readOrUndefined((): unknown => stage.props.stageName);
  return stageName !== undefined && readOrUndefined((): unknown => methodSettings.props.stageName) === stageName;
}

export const apiGatewayThrottlingBounds: StackValidationPolicy = {
  name: NAME,
  description: "API Gateway stages must be throttled, with rate and burst limits within the configured bounds.",
  enforcementLevel: "mandatory",
  configSchema: CONFIG_SCHEMA,
  validateStack: (args, reportViolation) => {
    const raw = checkedConfig(NAME, CONFIG_SCHEMA, args.getConfig());
    const config: ThrottlingBoundsConfig = {
      minRateLimit: typeof raw.minRateLimit === "number" ? raw.minRateLimit : THROTTLING_BOUNDS_DEFAULTS.minRateLimit,
      maxRateLimit: typeof raw.maxRateLimit === "number" ? raw.maxRateLimit : THROTTLING_BOUNDS_DEFAULTS.maxRateLimit,
      minBurstLimit: typeof raw.minBurstLimit === "number" ? raw.minBurstLimit : THROTTLING_BOUNDS_DEFAULTS.minBurstLimit,
      maxBurstLimit: typeof raw.maxBurstLimit === "number" ? raw.maxBurstLimit : THROTTLING_BOUNDS_DEFAULTS.maxBurstLimit,
    };
    const ofType = (type: string): PolicyResource[] => args.resources.filter((resource) => resource.type === type);
    const httpStages = ofType(HTTP_API_STAGE_TYPE);
    const methodSettings = ofType(REST_API_METHOD_SETTINGS_TYPE);

    // An unknown value on one resource must not hide the verdicts on the others: every pass
    // goes on past it, and the unknowns are settled once all passes have reported.
    const unknowns = new DeferredUnknowns(unknownValuesSetting(raw), reportViolation);
    unknowns.checkEach(httpStages, (stage) => checkHttpApiStage(stage, config, (message) => reportViolation(message, stage.urn)));

    // A quick-create API (target or routeKey on the Api) gets an implicit $default stage that
    // no Stage resource describes, and that stage has no throttling.
    const apisWithStages = new Set(httpStages.flatMap((stage) => (stage.propertyDependencies.apiId ?? []).map((api) => api.urn)));
    unknowns.checkEach(ofType(HTTP_API_TYPE), (api) => {
      if (apisWithStages.has(api.urn)) return;
      // Whether they are set, not their values: a target is often an ARN unknown during preview.
      const quickCreate = ["target", "routeKey"].filter((key) => key in api.props);
      if (quickCreate.length === 0) return;
      reportViolation(
        `An API with ${quickCreate.join(" and ")} set must not rely on its implicit $default stage, which has no throttling, but ${show(api.name)} has no Stage: remove ${quickCreate.join(" and ")} and add an aws.apigatewayv2.Stage with defaultRouteSettings that set both limits.`,
        api.urn,
      );
    });

    /** Whether a REST stage has stage-wide MethodSettings (their methodPath is theirs to be unknown). */
    const throttledStageWide = (stage: PolicyResource): boolean =>
      methodSettings
        .filter((settings) => appliesToStage(settings, stage))
        .some((settings) => unknowns.readOf(settings, (): unknown => settings.props.methodPath) === "*/*");
    const bothLimits = `both limits from ${config.minRateLimit} to ${config.maxRateLimit} and ${config.minBurstLimit} to ${config.maxBurstLimit}`;

    unknowns.checkEach(ofType(REST_API_STAGE_TYPE), (stage) => {
      if (throttledStageWide(stage)) return;
      reportViolation(
        `A REST API stage must have MethodSettings with methodPath "*/*" that set settings.throttlingRateLimit and settings.throttlingBurstLimit, but ${show(stage.name)} has none: add an aws.apigateway.MethodSettings for this stage with ${bothLimits}.`,
        stage.urn,
      );
    });

    // A Deployment with stageName creates that stage (an empty name creates none).
    unknowns.checkEach(ofType(REST_API_DEPLOYMENT_TYPE), (deployment) => {
      const stageName: unknown = deployment.props.stageName;
      if (typeof stageName !== "string" || stageName === "" || throttledStageWide(deployment)) return;
      reportViolation(
        `A REST API stage must have MethodSettings with methodPath "*/*" that set settings.throttlingRateLimit and settings.throttlingBurstLimit, but the stage ${show(stageName)} that ${show(deployment.name)} creates with stageName has none: add an aws.apigateway.MethodSettings with stageName ${show(stageName)} and ${bothLimits}.`,
        deployment.urn,
      );
    });

    // Every MethodSettings is checked where it stands, stage-wide ones requiring both limits.
    unknowns.checkEach(methodSettings, (settings) => {
      const values: unknown = settings.props.settings;
      const stageWide = settings.props.methodPath === "*/*";
      if (!isObject(values)) {
        if (stageWide || values !== undefined) {
          reportViolation(
            `settings must be an object with throttlingRateLimit and throttlingBurstLimit, but it is ${show(values)}: set both limits in it.`,
            settings.urn,
          );
        }
        return;
      }
      checkLimits(
        { path: "settings", rateKey: "throttlingRateLimit", burstKey: "throttlingBurstLimit", settings: values },
        stageWide,
        config,
        (message) => reportViolation(message, settings.urn),
      );
    });

    unknowns.checkEach(ofType(REST_API_USAGE_PLAN_TYPE), (plan) => {
      const report = (message: string): void => reportViolation(message, plan.urn);
      const throttle: unknown = plan.props.throttleSettings;
      if (isObject(throttle))
        checkLimits({ path: "throttleSettings", rateKey: "rateLimit", burstKey: "burstLimit", settings: throttle }, false, config, report);
      const apiStages: unknown = plan.props.apiStages;
      if (!Array.isArray(apiStages)) return;
      apiStages.forEach((apiStage: unknown, stageIndex) => {
        const throttles = isObject(apiStage) ? apiStage.throttles : undefined;
        if (!Array.isArray(throttles)) return;
        throttles.forEach((entry: unknown, index) => {
          if (isObject(entry)) {
            checkLimits(
              { path: `apiStages[${stageIndex}].throttles[${index}]`, rateKey: "rateLimit", burstKey: "burstLimit", settings: entry },
              false,
              config,
              report,
            );
          }
        });
      });
    });
    unknowns.settle();
  },
};
