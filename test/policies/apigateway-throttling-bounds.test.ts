// apigateway-throttling-bounds: every API Gateway stage is throttled within the configured
// bounds: HTTP and WebSocket stages through defaultRouteSettings, REST stages through a
// MethodSettings "*/*" linked to them; usage plan throttles stay within the same bounds.

import { describe, expect, it } from "vitest";
import { apiGatewayThrottlingBounds } from "../../policies/apigateway/apigateway-throttling-bounds.js";
import { PolicyConfigurationError } from "../../policies/config.js";
import {
  UNKNOWN,
  declare,
  errorClassName,
  runStackPolicy,
  schemaDefaults,
  urnOf,
  validateStack,
  withProps,
  type Props,
  type TestResource,
  type Violation,
} from "./harness.js";

const HTTP_API = "aws:apigatewayv2/api:Api";
const HTTP_STAGE = "aws:apigatewayv2/stage:Stage";
const REST_API = "aws:apigateway/restApi:RestApi";
const REST_STAGE = "aws:apigateway/stage:Stage";
const METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings";
const USAGE_PLAN = "aws:apigateway/usagePlan:UsagePlan";
const DEPLOYMENT = "aws:apigateway/deployment:Deployment";

// An HTTP API and its stage, throttled stage-wide and on one route.
const httpApi = declare(HTTP_API, "inference-api", { name: "inference", protocolType: "HTTP" });
const httpStage = declare(
  HTTP_STAGE,
  "inference-stage",
  {
    apiId: UNKNOWN,
    name: "prod",
    autoDeploy: true,
    defaultRouteSettings: { throttlingRateLimit: 100, throttlingBurstLimit: 50 },
    routeSettings: [{ routeKey: "POST /predict", throttlingRateLimit: 20, throttlingBurstLimit: 10 }],
  },
  { apiId: httpApi },
);

// A REST API stage, throttled by a MethodSettings "*/*" that names it, with a usage plan.
const restApi = declare(REST_API, "models-api", { name: "models" });
const restStage = declare(REST_STAGE, "models-stage", { restApi: UNKNOWN, stageName: "prod", deployment: UNKNOWN }, { restApi });
const methodSettings = declare(
  METHOD_SETTINGS,
  "models-throttling",
  { restApi: UNKNOWN, stageName: UNKNOWN, methodPath: "*/*", settings: { throttlingRateLimit: 100, throttlingBurstLimit: 50 } },
  { restApi, stageName: restStage },
);
const usagePlan = declare(
  USAGE_PLAN,
  "partners",
  {
    name: "partners",
    throttleSettings: { rateLimit: 50, burstLimit: 20 },
    apiStages: [{ apiId: UNKNOWN, stage: UNKNOWN, throttles: [{ path: "/models/POST", rateLimit: 10, burstLimit: 5 }] }],
  },
  { apiStages: [restApi, restStage] },
);

const STACK: readonly TestResource[] = [httpApi, httpStage, restApi, restStage, methodSettings, usagePlan];

/** The stack with `changed` in place of the resource of the same URN, and `added` appended. */
function stackWith(changed: readonly TestResource[], added: readonly TestResource[] = []): TestResource[] {
  return [...STACK.map((resource) => changed.find((change) => change.urn === resource.urn) ?? resource), ...added];
}

function stackWithout(...removed: readonly TestResource[]): TestResource[] {
  return STACK.filter((resource) => !removed.includes(resource));
}

const withDefaultRouteSettings = (changes: Props): TestResource =>
  withProps(httpStage, { defaultRouteSettings: { ...(httpStage.props.defaultRouteSettings as Props), ...changes } });

const withSettings = (changes: Props): TestResource =>
  withProps(methodSettings, { settings: { ...(methodSettings.props.settings as Props), ...changes } });

const rate = (property: string, value: string, bounds = "1 to 10000"): string =>
  `${property} must be from ${bounds} requests per second, but it is ${value}: set it to a value from ${bounds}.`;

const burst = (property: string, value: string, bounds = "1 to 5000"): string =>
  `${property} must be a whole number from ${bounds} requests, but it is ${value}: set it to a value from ${bounds}.`;

const missingLimit = (property: string, bounds: string): string =>
  `${property} must be set, but it is not set, so only the account quota limits this stage: set it to a value from ${bounds}.`;

const DEFAULTS = schemaDefaults(apiGatewayThrottlingBounds.configSchema);

describe.each([
  { configuration: "the schema defaults (as the engine applies them)", config: DEFAULTS },
  { configuration: "an empty configuration", config: {} },
])("apigateway-throttling-bounds with $configuration", ({ config }) => {
  const check = (resources: readonly TestResource[]): Violation[] => validateStack(apiGatewayThrottlingBounds, resources, config);
  const on = (resource: TestResource, ...messages: string[]): Violation[] => messages.map((message) => ({ message, urn: resource.urn }));

  it("accepts throttled HTTP and REST stages", () => {
    expect(check(STACK)).toEqual([]);
  });

  describe("an HTTP or WebSocket API stage", () => {
    it("must have defaultRouteSettings", () => {
      expect(check(stackWith([withProps(httpStage, { defaultRouteSettings: undefined })]))).toEqual(
        on(
          httpStage,
          "defaultRouteSettings must set throttlingRateLimit and throttlingBurstLimit, but it is not set, so only the account quota limits this stage: add defaultRouteSettings with throttlingRateLimit from 1 to 10000 and throttlingBurstLimit from 1 to 5000.",
        ),
      );
    });

    it("must set both limits in defaultRouteSettings (an empty block has been seen to end up at 0/0)", () => {
      expect(check(stackWith([withProps(httpStage, { defaultRouteSettings: {} })]))).toEqual(
        on(
          httpStage,
          missingLimit("defaultRouteSettings.throttlingRateLimit", "1 to 10000"),
          missingLimit("defaultRouteSettings.throttlingBurstLimit", "1 to 5000"),
        ),
      );
    });

    it("must set the rate limit", () => {
      expect(check(stackWith([withDefaultRouteSettings({ throttlingRateLimit: undefined })]))).toEqual(
        on(httpStage, missingLimit("defaultRouteSettings.throttlingRateLimit", "1 to 10000")),
      );
    });

    it("must set the burst limit", () => {
      expect(check(stackWith([withDefaultRouteSettings({ throttlingBurstLimit: undefined })]))).toEqual(
        on(httpStage, missingLimit("defaultRouteSettings.throttlingBurstLimit", "1 to 5000")),
      );
    });

    it("must not set a rate of 0, which rejects every request", () => {
      expect(check(stackWith([withDefaultRouteSettings({ throttlingRateLimit: 0 })]))).toEqual(
        on(httpStage, rate("defaultRouteSettings.throttlingRateLimit", "0, which rejects every request with 429")),
      );
    });

    it("must not set a burst of 0, which rejects every request", () => {
      expect(check(stackWith([withDefaultRouteSettings({ throttlingBurstLimit: 0 })]))).toEqual(
        on(httpStage, burst("defaultRouteSettings.throttlingBurstLimit", "0, which rejects every request with 429")),
      );
    });

    it("must not set a rate of -1, which turns throttling off", () => {
      expect(check(stackWith([withDefaultRouteSettings({ throttlingRateLimit: -1 })]))).toEqual(
        on(httpStage, rate("defaultRouteSettings.throttlingRateLimit", "-1, which turns throttling off")),
      );
    });

    it("must not set a burst of -1, which turns throttling off", () => {
      expect(check(stackWith([withDefaultRouteSettings({ throttlingBurstLimit: -1 })]))).toEqual(
        on(httpStage, burst("defaultRouteSettings.throttlingBurstLimit", "-1, which turns throttling off")),
      );
    });

    it("must not set a rate above the account quota", () => {
      expect(check(stackWith([withDefaultRouteSettings({ throttlingRateLimit: 10001 })]))).toEqual(
        on(httpStage, rate("defaultRouteSettings.throttlingRateLimit", "10001")),
      );
    });

    it("must not set a burst above the account quota", () => {
      expect(check(stackWith([withDefaultRouteSettings({ throttlingBurstLimit: 5001 })]))).toEqual(
        on(httpStage, burst("defaultRouteSettings.throttlingBurstLimit", "5001")),
      );
    });

    it("must not set a fractional burst", () => {
      expect(check(stackWith([withDefaultRouteSettings({ throttlingBurstLimit: 2.5 })]))).toEqual(
        on(httpStage, burst("defaultRouteSettings.throttlingBurstLimit", "2.5")),
      );
    });

    it("may set a fractional rate", () => {
      expect(check(stackWith([withDefaultRouteSettings({ throttlingRateLimit: 12.5 })]))).toEqual([]);
    });

    it("accepts the bounds themselves", () => {
      expect(check(stackWith([withDefaultRouteSettings({ throttlingRateLimit: 10000, throttlingBurstLimit: 1 })]))).toEqual([]);
      expect(check(stackWith([withDefaultRouteSettings({ throttlingRateLimit: 1, throttlingBurstLimit: 5000 })]))).toEqual([]);
    });

    it("must not give a limit as a string", () => {
      expect(check(stackWith([withDefaultRouteSettings({ throttlingRateLimit: "100" })]))).toEqual(
        on(httpStage, rate("defaultRouteSettings.throttlingRateLimit", '"100"')),
      );
    });

    it("must give defaultRouteSettings as a block", () => {
      expect(
        check(stackWith([withProps(httpStage, { defaultRouteSettings: [{ throttlingRateLimit: 100, throttlingBurstLimit: 50 }] })])),
      ).toEqual(
        on(
          httpStage,
          "defaultRouteSettings must be an object with throttlingRateLimit and throttlingBurstLimit, but it is a list: set both limits in it.",
        ),
      );
    });

    it("must give routeSettings as a list, not as a map by route key", () => {
      const mapped = withProps(httpStage, { routeSettings: { "POST /predict": { throttlingRateLimit: 20, throttlingBurstLimit: 10 } } });
      expect(check(stackWith([mapped]))).toEqual(
        on(
          httpStage,
          'routeSettings must be a list of settings, one per routeKey, but it is an object with the keys "POST /predict": put stage-wide limits in defaultRouteSettings and per-route limits in routeSettings entries with a routeKey.',
        ),
      );
    });

    it("must not give routeSettings as a plain value", () => {
      expect(check(stackWith([withProps(httpStage, { routeSettings: "POST /predict" })]))).toEqual(
        on(
          httpStage,
          'routeSettings must be a list of settings, one per routeKey, but it is "POST /predict": put stage-wide limits in defaultRouteSettings and per-route limits in routeSettings entries with a routeKey.',
        ),
      );
    });

    it("must keep routeSettings entries within the bounds", () => {
      const routes = withProps(httpStage, {
        routeSettings: [
          { routeKey: "POST /predict", throttlingRateLimit: 0, throttlingBurstLimit: 10 },
          { routeKey: "GET /models", throttlingRateLimit: 20, throttlingBurstLimit: 9000 },
        ],
      });
      expect(check(stackWith([routes]))).toEqual(
        on(
          httpStage,
          rate("routeSettings[0].throttlingRateLimit", "0, which rejects every request with 429"),
          burst("routeSettings[1].throttlingBurstLimit", "9000"),
        ),
      );
    });

    it("may leave limits out of a routeSettings entry (the stage defaults apply)", () => {
      expect(
        check(stackWith([withProps(httpStage, { routeSettings: [{ routeKey: "POST /predict", detailedMetricsEnabled: true }] })])),
      ).toEqual([]);
    });

    it("must give routeSettings entries as blocks", () => {
      expect(check(stackWith([withProps(httpStage, { routeSettings: ["POST /predict"] })]))).toEqual(
        on(
          httpStage,
          'routeSettings[0] must be an object with a routeKey, but it is "POST /predict": remove it or give it a routeKey and limits.',
        ),
      );
    });

    it("applies to WebSocket API stages too", () => {
      const websocketApi = withProps(httpApi, { protocolType: "WEBSOCKET", routeSelectionExpression: "$request.body.action" });
      expect(check(stackWith([websocketApi, withProps(httpStage, { defaultRouteSettings: undefined })]))).toEqual(
        on(
          httpStage,
          "defaultRouteSettings must set throttlingRateLimit and throttlingBurstLimit, but it is not set, so only the account quota limits this stage: add defaultRouteSettings with throttlingRateLimit from 1 to 10000 and throttlingBurstLimit from 1 to 5000.",
        ),
      );
    });
  });

  describe("a quick-create API (target or routeKey on the Api)", () => {
    const quickCreate = withProps(httpApi, { target: UNKNOWN, routeKey: "POST /predict" });

    it("must not rely on its implicit $default stage", () => {
      expect(check(stackWith([quickCreate]).filter((resource) => resource !== httpStage))).toEqual(
        on(
          httpApi,
          'An API with target and routeKey set must not rely on its implicit $default stage, which has no throttling, but "inference-api" has no Stage: remove target and routeKey and add an aws.apigatewayv2.Stage with defaultRouteSettings that set both limits.',
        ),
      );
    });

    it("is recognized by its target alone", () => {
      const targetOnly = withProps(httpApi, { target: "arn:aws:lambda:us-east-1:123456789012:function:predict" });
      expect(check(stackWith([targetOnly]).filter((resource) => resource !== httpStage))).toEqual(
        on(
          httpApi,
          'An API with target set must not rely on its implicit $default stage, which has no throttling, but "inference-api" has no Stage: remove target and add an aws.apigatewayv2.Stage with defaultRouteSettings that set both limits.',
        ),
      );
    });

    it("is accepted with a Stage of its own", () => {
      expect(check(stackWith([quickCreate]))).toEqual([]);
    });

    it("does not include an API without target or routeKey that has no Stage yet", () => {
      expect(check(stackWithout(httpStage))).toEqual([]);
    });
  });

  describe("a REST API stage", () => {
    const stageWithoutThrottling = on(
      restStage,
      'A REST API stage must have MethodSettings with methodPath "*/*" that set settings.throttlingRateLimit and settings.throttlingBurstLimit, but "models-stage" has none: add an aws.apigateway.MethodSettings for this stage with both limits from 1 to 10000 and 1 to 5000.',
    );

    it("must have MethodSettings for */*", () => {
      expect(check(stackWithout(methodSettings))).toEqual(stageWithoutThrottling);
    });

    it("is not throttled by MethodSettings for one method only", () => {
      expect(check(stackWith([withProps(methodSettings, { methodPath: "models/POST" })]))).toEqual(stageWithoutThrottling);
    });

    it("is linked to MethodSettings through the restApi dependency and the literal stageName", () => {
      const byName = declare(METHOD_SETTINGS, methodSettings.name, { ...methodSettings.props, stageName: "prod" }, { restApi });
      expect(check(stackWith([byName]))).toEqual([]);
    });

    it("is linked to MethodSettings through a literal restApi id and stageName", () => {
      const literalStage = declare(REST_STAGE, restStage.name, { ...restStage.props, restApi: "a1b2c3d4e5" });
      const literalSettings = declare(METHOD_SETTINGS, methodSettings.name, {
        ...methodSettings.props,
        restApi: "a1b2c3d4e5",
        stageName: "prod",
      });
      expect(check(stackWith([literalStage, literalSettings]))).toEqual([]);
    });

    it("is not throttled by MethodSettings of another stage of the same API", () => {
      const otherStage = declare(METHOD_SETTINGS, methodSettings.name, { ...methodSettings.props, stageName: "staging" }, { restApi });
      expect(check(stackWith([otherStage]))).toEqual(stageWithoutThrottling);
    });

    it("is not throttled by MethodSettings of the same stage name on another API", () => {
      const otherApi = declare(REST_API, "other-api", { name: "other" });
      const elsewhere = declare(
        METHOD_SETTINGS,
        methodSettings.name,
        { ...methodSettings.props, stageName: "prod" },
        { restApi: otherApi },
      );
      expect(check(stackWith([elsewhere], [otherApi]))).toEqual(stageWithoutThrottling);
    });

    it("is not throttled by a usage plan, which limits only requests with its API keys", () => {
      expect(stackWithout(methodSettings)).toContain(usagePlan);
      expect(check(stackWithout(methodSettings))).toEqual(stageWithoutThrottling);
    });

    it("has its MethodSettings checked: -1 turns throttling off", () => {
      expect(check(stackWith([withSettings({ throttlingRateLimit: -1 })]))).toEqual(
        on(methodSettings, rate("settings.throttlingRateLimit", "-1, which turns throttling off")),
      );
    });

    it("has its MethodSettings checked: the burst -1 turns throttling off", () => {
      expect(check(stackWith([withSettings({ throttlingBurstLimit: -1 })]))).toEqual(
        on(methodSettings, burst("settings.throttlingBurstLimit", "-1, which turns throttling off")),
      );
    });

    it("needs both limits in its MethodSettings */*", () => {
      expect(check(stackWith([withSettings({ throttlingBurstLimit: undefined })]))).toEqual(
        on(methodSettings, missingLimit("settings.throttlingBurstLimit", "1 to 5000")),
      );
    });

    it("needs settings in its MethodSettings */*", () => {
      expect(check(stackWith([withProps(methodSettings, { settings: undefined })]))).toEqual(
        on(
          methodSettings,
          "settings must be an object with throttlingRateLimit and throttlingBurstLimit, but it is not set: set both limits in it.",
        ),
      );
    });
  });

  describe("MethodSettings for one method", () => {
    const perMethod = declare(
      METHOD_SETTINGS,
      "predict-throttling",
      { restApi: UNKNOWN, stageName: UNKNOWN, methodPath: "models/POST", settings: { metricsEnabled: true } },
      { restApi, stageName: restStage },
    );

    it("need no limits", () => {
      expect(check(stackWith([], [perMethod]))).toEqual([]);
    });

    it("keep the limits they set within the bounds", () => {
      const zero = withProps(perMethod, { settings: { throttlingRateLimit: 0 } });
      expect(check(stackWith([], [zero]))).toEqual(
        on(perMethod, rate("settings.throttlingRateLimit", "0, which rejects every request with 429")),
      );
    });
  });

  describe("a usage plan", () => {
    it("keeps its throttle settings within the bounds", () => {
      const plan = withProps(usagePlan, { throttleSettings: { rateLimit: 20000, burstLimit: 20 } });
      expect(check(stackWith([plan]))).toEqual(on(usagePlan, rate("throttleSettings.rateLimit", "20000")));
    });

    it("does not turn throttling off with -1", () => {
      const plan = withProps(usagePlan, { throttleSettings: { rateLimit: 50, burstLimit: -1 } });
      expect(check(stackWith([plan]))).toEqual(on(usagePlan, burst("throttleSettings.burstLimit", "-1, which turns throttling off")));
    });

    it("keeps its per-method throttles within the bounds", () => {
      const plan = withProps(usagePlan, {
        apiStages: [{ apiId: UNKNOWN, stage: UNKNOWN, throttles: [{ path: "/models/POST", rateLimit: 10, burstLimit: 0 }] }],
      });
      expect(check(stackWith([plan]))).toEqual(
        on(usagePlan, burst("apiStages[0].throttles[0].burstLimit", "0, which rejects every request with 429")),
      );
    });

    it("may leave throttle settings out", () => {
      expect(
        check(stackWith([withProps(usagePlan, { throttleSettings: undefined, apiStages: [{ apiId: UNKNOWN, stage: UNKNOWN }] })])),
      ).toEqual([]);
    });
  });
});

describe("apigateway-throttling-bounds configured", () => {
  const check = (resources: readonly TestResource[], config: object): Violation[] =>
    validateStack(apiGatewayThrottlingBounds, resources, config);

  it("rejects a rate above a configured maxRateLimit", () => {
    expect(check(stackWith([withDefaultRouteSettings({ throttlingRateLimit: 1000 })]), { ...DEFAULTS, maxRateLimit: 500 })).toEqual([
      { message: rate("defaultRouteSettings.throttlingRateLimit", "1000", "1 to 500"), urn: httpStage.urn },
    ]);
  });

  it("takes the other bounds from the defaults when only one is configured", () => {
    expect(
      check(stackWith([withDefaultRouteSettings({ throttlingRateLimit: 1000, throttlingBurstLimit: 6000 })]), { maxRateLimit: 500 }),
    ).toEqual([
      { message: rate("defaultRouteSettings.throttlingRateLimit", "1000", "1 to 500"), urn: httpStage.urn },
      { message: burst("defaultRouteSettings.throttlingBurstLimit", "6000"), urn: httpStage.urn },
    ]);
  });

  it("rejects a burst below a configured minBurstLimit", () => {
    expect(check(stackWith([withSettings({ throttlingBurstLimit: 4 })]), { ...DEFAULTS, minBurstLimit: 5 })).toEqual([
      { message: burst("settings.throttlingBurstLimit", "4", "5 to 5000"), urn: methodSettings.urn },
    ]);
  });

  it("rejects a rate below a configured minRateLimit", () => {
    expect(check(stackWith([withDefaultRouteSettings({ throttlingRateLimit: 5 })]), { ...DEFAULTS, minRateLimit: 10 })).toEqual([
      { message: rate("defaultRouteSettings.throttlingRateLimit", "5", "10 to 10000"), urn: httpStage.urn },
    ]);
  });

  it("names the configured bounds in the fix for a stage without throttling", () => {
    expect(
      check(stackWith([withProps(httpStage, { defaultRouteSettings: undefined })]), { ...DEFAULTS, maxRateLimit: 500, maxBurstLimit: 100 }),
    ).toEqual([
      {
        message:
          "defaultRouteSettings must set throttlingRateLimit and throttlingBurstLimit, but it is not set, so only the account quota limits this stage: add defaultRouteSettings with throttlingRateLimit from 1 to 500 and throttlingBurstLimit from 1 to 100.",
        urn: httpStage.urn,
      },
    ]);
  });

  it("accepts a rate of 0 when the configured minRateLimit is 0 (a stage meant to be closed)", () => {
    expect(check(stackWith([withDefaultRouteSettings({ throttlingRateLimit: 0 })]), { ...DEFAULTS, minRateLimit: 0 })).toEqual([]);
  });

  it("still rejects -1 when the configured minimum is 0", () => {
    expect(check(stackWith([withDefaultRouteSettings({ throttlingRateLimit: -1 })]), { ...DEFAULTS, minRateLimit: 0 })).toEqual([
      { message: rate("defaultRouteSettings.throttlingRateLimit", "-1, which turns throttling off", "0 to 10000"), urn: httpStage.urn },
    ]);
  });
});

describe("apigateway-throttling-bounds during preview", () => {
  it("links resources through dependencies while their ids, ARNs and stage names are unknown", () => {
    expect(validateStack(apiGatewayThrottlingBounds, STACK)).toEqual([]);
  });

  it("reports a quick-create API whose target (a new function's ARN) is unknown", () => {
    const quickCreate = withProps(httpApi, { target: UNKNOWN });
    expect(
      validateStack(
        apiGatewayThrottlingBounds,
        stackWith([quickCreate]).filter((resource) => resource !== httpStage),
      ),
    ).toEqual([
      {
        message:
          'An API with target set must not rely on its implicit $default stage, which has no throttling, but "inference-api" has no Stage: remove target and add an aws.apigatewayv2.Stage with defaultRouteSettings that set both limits.',
        urn: httpApi.urn,
      },
    ]);
  });

  it("reports the other stages' violations, then throws CrossGuard's UnknownValueError for an unknown limit", () => {
    const unknownLimit = withDefaultRouteSettings({ throttlingRateLimit: UNKNOWN });
    const unthrottled = declare(HTTP_STAGE, "batch-stage", { apiId: UNKNOWN, name: "batch" }, { apiId: httpApi });
    const outcome = runStackPolicy(apiGatewayThrottlingBounds, stackWith([unknownLimit], [unthrottled]));
    expect(outcome.violations).toEqual([
      {
        message:
          "defaultRouteSettings must set throttlingRateLimit and throttlingBurstLimit, but it is not set, so only the account quota limits this stage: add defaultRouteSettings with throttlingRateLimit from 1 to 10000 and throttlingBurstLimit from 1 to 5000.",
        urn: unthrottled.urn,
      },
    ]);
    expect(errorClassName(outcome.thrown)).toBe("UnknownValueError");
  });

  it("reports REST stages and usage plans after an HTTP stage with an unknown limit, then throws", () => {
    const unknownLimit = withDefaultRouteSettings({ throttlingRateLimit: UNKNOWN });
    const plan = withProps(usagePlan, { throttleSettings: { rateLimit: 20000, burstLimit: 20 } });
    const outcome = runStackPolicy(
      apiGatewayThrottlingBounds,
      stackWith([unknownLimit, plan]).filter((resource) => resource !== methodSettings),
    );
    expect(outcome.violations).toEqual([
      {
        message:
          'A REST API stage must have MethodSettings with methodPath "*/*" that set settings.throttlingRateLimit and settings.throttlingBurstLimit, but "models-stage" has none: add an aws.apigateway.MethodSettings for this stage with both limits from 1 to 10000 and 1 to 5000.',
        urn: restStage.urn,
      },
      { message: rate("throttleSettings.rateLimit", "20000"), urn: usagePlan.urn },
    ]);
    expect(errorClassName(outcome.thrown)).toBe("UnknownValueError");
  });
});

// @pulumi/aws 6 and older: `new aws.apigateway.Deployment("models-v1", { restApi: api.id, stageName:
// "v1" })` registers a Deployment with that input, and AWS creates stage "v1" with it; version 7
// removed the input, so these resources are declared as the version 6 SDK registers them.
describe("apigateway-throttling-bounds on the stage a Deployment creates with stageName", () => {
  const check = (resources: readonly TestResource[]): Violation[] => validateStack(apiGatewayThrottlingBounds, resources, DEFAULTS);
  const deployment = declare(DEPLOYMENT, "models-v1", { restApi: UNKNOWN, stageName: "v1", description: "first release" }, { restApi });
  // stageName: deployment.stageName, as a version 6 program writes it: unknown, and computed from the Deployment.
  const deploymentSettings = declare(
    METHOD_SETTINGS,
    "models-v1-throttling",
    { restApi: UNKNOWN, stageName: UNKNOWN, methodPath: "*/*", settings: { throttlingRateLimit: 100, throttlingBurstLimit: 50 } },
    { restApi, stageName: deployment },
  );
  const unthrottled = (name = "v1", deploymentName = "models-v1"): Violation[] => [
    {
      message: `A REST API stage must have MethodSettings with methodPath "*/*" that set settings.throttlingRateLimit and settings.throttlingBurstLimit, but the stage "${name}" that "${deploymentName}" creates with stageName has none: add an aws.apigateway.MethodSettings with stageName "${name}" and both limits from 1 to 10000 and 1 to 5000.`,
      urn: urnOf(DEPLOYMENT, deploymentName),
    },
  ];

  it("is throttled by MethodSettings */* whose stageName comes from the Deployment", () => {
    expect(check([...STACK, deployment, deploymentSettings])).toEqual([]);
  });

  it("is reported on the Deployment when no MethodSettings name its stage", () => {
    expect(check([...STACK, deployment])).toEqual(unthrottled());
  });

  it("is throttled by MethodSettings that name its API and its stage name", () => {
    const byName = declare(METHOD_SETTINGS, deploymentSettings.name, { ...deploymentSettings.props, stageName: "v1" }, { restApi });
    expect(check([...STACK, deployment, byName])).toEqual([]);
  });

  it("is throttled by MethodSettings that name the same literal API id and stage name", () => {
    const literalDeployment = declare(DEPLOYMENT, deployment.name, { ...deployment.props, restApi: "a1b2c3d4e5" });
    const literalSettings = declare(METHOD_SETTINGS, deploymentSettings.name, {
      ...deploymentSettings.props,
      restApi: "a1b2c3d4e5",
      stageName: "v1",
    });
    expect(check([...STACK, literalDeployment, literalSettings])).toEqual([]);
  });

  it("is not throttled by MethodSettings of another stage name", () => {
    const otherStage = declare(METHOD_SETTINGS, deploymentSettings.name, { ...deploymentSettings.props, stageName: "v2" }, { restApi });
    expect(check([...STACK, deployment, otherStage])).toEqual(unthrottled());
  });

  it("is not throttled by MethodSettings of the same stage name on another API", () => {
    const otherApi = declare(REST_API, "other-api", { name: "other" });
    const elsewhere = declare(
      METHOD_SETTINGS,
      deploymentSettings.name,
      { ...deploymentSettings.props, stageName: "v1" },
      { restApi: otherApi },
    );
    expect(check([...STACK, otherApi, deployment, elsewhere])).toEqual(unthrottled());
  });

  it("is not throttled by MethodSettings for one method only", () => {
    expect(check([...STACK, deployment, withProps(deploymentSettings, { methodPath: "models/POST" })])).toEqual(unthrottled());
  });

  it("is linked to a usage plan like any stage: the plan's limits are checked, and it stands in for no MethodSettings", () => {
    const plan = declare(
      USAGE_PLAN,
      "v1-partners",
      { name: "v1-partners", throttleSettings: { rateLimit: 20000, burstLimit: 20 }, apiStages: [{ apiId: UNKNOWN, stage: UNKNOWN }] },
      { apiStages: [restApi, deployment] },
    );
    expect(check([...STACK, deployment, plan])).toEqual([
      ...unthrottled(),
      { message: rate("throttleSettings.rateLimit", "20000"), urn: plan.urn },
    ]);
  });

  it("has the limits of its MethodSettings checked", () => {
    const off = withProps(deploymentSettings, { settings: { throttlingRateLimit: -1, throttlingBurstLimit: 50 } });
    expect(check([...STACK, deployment, off])).toEqual([
      { message: rate("settings.throttlingRateLimit", "-1, which turns throttling off"), urn: off.urn },
    ]);
  });

  it("is reported besides a Stage of the same API that lacks throttling, each on its own resource", () => {
    expect(check([...stackWithout(methodSettings), deployment])).toEqual([
      {
        message:
          'A REST API stage must have MethodSettings with methodPath "*/*" that set settings.throttlingRateLimit and settings.throttlingBurstLimit, but "models-stage" has none: add an aws.apigateway.MethodSettings for this stage with both limits from 1 to 10000 and 1 to 5000.',
        urn: restStage.urn,
      },
      ...unthrottled(),
    ]);
  });

  it.each([
    ["without stageName (the only form in @pulumi/aws 7)", undefined],
    ["with an empty stageName", ""],
  ])("is no stage %s", (_, stageName) => {
    expect(check([...STACK, withProps(deployment, { stageName })])).toEqual([]);
  });

  it("throws CrossGuard's UnknownValueError when its stageName is unknown, after reporting the rest", () => {
    const outcome = runStackPolicy(
      apiGatewayThrottlingBounds,
      [...stackWithout(methodSettings), withProps(deployment, { stageName: UNKNOWN })],
      DEFAULTS,
    );
    expect(outcome.violations.map((violation) => violation.urn)).toEqual([restStage.urn]);
    expect(errorClassName(outcome.thrown)).toBe("UnknownValueError");
  });
});

// The bounds themselves, the values just inside and outside them, 0, -1 and fractions, in every
// place a limit can be set: each passes or fails as the bounds and AWS decide (a rate is a
// double in API Gateway, a burst an integer).
describe("apigateway-throttling-bounds at the configured bounds", () => {
  const bounds = { ...DEFAULTS, minRateLimit: 10, maxRateLimit: 500, minBurstLimit: 5, maxBurstLimit: 100 };
  const check = (resources: readonly TestResource[]): Violation[] => validateStack(apiGatewayThrottlingBounds, resources, bounds);
  const inBounds = { rate: 100, burst: 50 };

  interface Place {
    readonly where: string;
    readonly rateProperty: string;
    readonly burstProperty: string;
    readonly resource: TestResource;
    readonly stack: (rate: unknown, burst: unknown) => TestResource[];
  }
  const places: readonly Place[] = [
    {
      where: "an HTTP stage's defaultRouteSettings",
      rateProperty: "defaultRouteSettings.throttlingRateLimit",
      burstProperty: "defaultRouteSettings.throttlingBurstLimit",
      resource: httpStage,
      stack: (rateLimit, burstLimit) =>
        stackWith([
          withProps(httpStage, {
            routeSettings: undefined,
            defaultRouteSettings: { throttlingRateLimit: rateLimit, throttlingBurstLimit: burstLimit },
          }),
        ]),
    },
    {
      where: "an HTTP stage's routeSettings entry",
      rateProperty: "routeSettings[0].throttlingRateLimit",
      burstProperty: "routeSettings[0].throttlingBurstLimit",
      resource: httpStage,
      stack: (rateLimit, burstLimit) =>
        stackWith([
          withProps(httpStage, {
            routeSettings: [{ routeKey: "POST /predict", throttlingRateLimit: rateLimit, throttlingBurstLimit: burstLimit }],
          }),
        ]),
    },
    {
      where: "a REST stage's MethodSettings */*",
      rateProperty: "settings.throttlingRateLimit",
      burstProperty: "settings.throttlingBurstLimit",
      resource: methodSettings,
      stack: (rateLimit, burstLimit) => stackWith([withSettings({ throttlingRateLimit: rateLimit, throttlingBurstLimit: burstLimit })]),
    },
    {
      where: "a usage plan's throttleSettings",
      rateProperty: "throttleSettings.rateLimit",
      burstProperty: "throttleSettings.burstLimit",
      resource: usagePlan,
      stack: (rateLimit, burstLimit) =>
        stackWith([withProps(usagePlan, { apiStages: [{ apiId: UNKNOWN, stage: UNKNOWN }], throttleSettings: { rateLimit, burstLimit } })]),
    },
    {
      where: "a usage plan's per-method throttle",
      rateProperty: "apiStages[0].throttles[0].rateLimit",
      burstProperty: "apiStages[0].throttles[0].burstLimit",
      resource: usagePlan,
      stack: (rateLimit, burstLimit) =>
        stackWith([
          withProps(usagePlan, {
            throttleSettings: undefined,
            apiStages: [{ apiId: UNKNOWN, stage: UNKNOWN, throttles: [{ path: "/models/POST", rateLimit, burstLimit }] }],
          }),
        ]),
    },
  ];

  describe.each(places)("in $where", ({ rateProperty, burstProperty, resource, stack }) => {
    it.each([10, 10.5, 499.99, 500])("accepts the rate %d", (value) => {
      expect(check(stack(value, inBounds.burst))).toEqual([]);
    });

    it.each([
      [9.99, "9.99"],
      [500.01, "500.01"],
      [0.5, "0.5"],
      [0, "0, which rejects every request with 429"],
      [-1, "-1, which turns throttling off"],
      [-0.5, "-0.5"],
    ])("rejects the rate %d", (value, shown) => {
      expect(check(stack(value, inBounds.burst))).toEqual([{ message: rate(rateProperty, shown, "10 to 500"), urn: resource.urn }]);
    });

    it.each([5, 6, 99, 100])("accepts the burst %d", (value) => {
      expect(check(stack(inBounds.rate, value))).toEqual([]);
    });

    it.each([
      [4, "4"],
      [101, "101"],
      [5.5, "5.5"],
      [99.9, "99.9"],
      [0, "0, which rejects every request with 429"],
      [-1, "-1, which turns throttling off"],
    ])("rejects the burst %d", (value, shown) => {
      expect(check(stack(inBounds.rate, value))).toEqual([{ message: burst(burstProperty, shown, "5 to 100"), urn: resource.urn }]);
    });
  });

  it("accepts the default bounds themselves, and nothing past them", () => {
    const stage = (rateLimit: number, burstLimit: number): TestResource[] =>
      stackWith([
        withProps(httpStage, {
          routeSettings: undefined,
          defaultRouteSettings: { throttlingRateLimit: rateLimit, throttlingBurstLimit: burstLimit },
        }),
      ]);
    const byDefault = (resources: readonly TestResource[]): Violation[] => validateStack(apiGatewayThrottlingBounds, resources, DEFAULTS);
    expect(byDefault(stage(1, 1))).toEqual([]);
    expect(byDefault(stage(10000, 5000))).toEqual([]);
    expect(byDefault(stage(0.99, 5001))).toEqual([
      { message: rate("defaultRouteSettings.throttlingRateLimit", "0.99"), urn: httpStage.urn },
      { message: burst("defaultRouteSettings.throttlingBurstLimit", "5001"), urn: httpStage.urn },
    ]);
    expect(byDefault(stage(10000.5, 1))).toEqual([
      { message: rate("defaultRouteSettings.throttlingRateLimit", "10000.5"), urn: httpStage.urn },
    ]);
  });
});

describe("apigateway-throttling-bounds with unknownValues mandatory", () => {
  const strict = { ...DEFAULTS, unknownValues: "mandatory" };
  const check = (resources: readonly TestResource[]): Violation[] => validateStack(apiGatewayThrottlingBounds, resources, strict);
  const unknownMessage = (property: string): string =>
    `${property} must be known during preview (unknownValues is "mandatory"), but it is only known once the update runs: set it from values known before the update, or set unknownValues to "advisory" for this policy.`;

  it("still links resources through dependencies while their ids, ARNs and stage names are unknown", () => {
    expect(check(STACK)).toEqual([]);
  });

  it("reports an unknown limit on its stage, after the known violations of the others", () => {
    const unknownLimit = withDefaultRouteSettings({ throttlingRateLimit: UNKNOWN });
    const plan = withProps(usagePlan, { throttleSettings: { rateLimit: 20000, burstLimit: 20 } });
    expect(check(stackWith([unknownLimit, plan]))).toEqual([
      { message: rate("throttleSettings.rateLimit", "20000"), urn: usagePlan.urn },
      { message: unknownMessage("defaultRouteSettings.throttlingRateLimit"), urn: httpStage.urn },
    ]);
  });

  it("reports an unknown methodPath on its MethodSettings, not on the stage it would throttle", () => {
    expect(check(stackWith([withProps(methodSettings, { methodPath: UNKNOWN })]))).toEqual([
      { message: unknownMessage("methodPath"), urn: methodSettings.urn },
    ]);
  });

  it("reports an unknown stageName on the Deployment that creates the stage", () => {
    const deployment = declare(DEPLOYMENT, "models-v1", { restApi: UNKNOWN, stageName: UNKNOWN }, { restApi });
    expect(check([...STACK, deployment])).toEqual([{ message: unknownMessage("stageName"), urn: deployment.urn }]);
  });

  it("reports each unknown property of a resource once", () => {
    const unknownBoth = withProps(httpStage, { defaultRouteSettings: UNKNOWN, routeSettings: UNKNOWN });
    expect(check(stackWith([unknownBoth]))).toEqual([{ message: unknownMessage("defaultRouteSettings"), urn: httpStage.urn }]);
  });
});

describe("apigateway-throttling-bounds refuses a configuration it cannot mean", () => {
  it.each([
    [
      { minRateLimit: 5000, maxRateLimit: 100 },
      'policy "apigateway-throttling-bounds", property "minRateLimit": must not be above maxRateLimit (100); it is 5000',
    ],
    [
      { minBurstLimit: 200, maxBurstLimit: 100 },
      'policy "apigateway-throttling-bounds", property "minBurstLimit": must not be above maxBurstLimit (100); it is 200',
    ],
    [
      { maxRateLimt: 2500 },
      'policy "apigateway-throttling-bounds" has no property "maxRateLimt"; did you mean "maxRateLimit"? (known: maxBurstLimit, maxRateLimit, minBurstLimit, minRateLimit, unknownValues)',
    ],
  ])("refuses %j before judging any stage (the Pulumi CLI lets it through)", (changes, message) => {
    const outcome = runStackPolicy(apiGatewayThrottlingBounds, stackWithout(methodSettings), { ...DEFAULTS, ...changes });
    expect(outcome.violations).toEqual([]);
    expect(outcome.thrown).toEqual(new PolicyConfigurationError(message));
  });

  it("takes equal bounds", () => {
    expect(
      validateStack(apiGatewayThrottlingBounds, STACK, {
        ...DEFAULTS,
        minRateLimit: 100,
        maxRateLimit: 100,
        minBurstLimit: 50,
        maxBurstLimit: 50,
      }),
    ).toEqual([
      { message: rate("routeSettings[0].throttlingRateLimit", "20", "100 to 100"), urn: httpStage.urn },
      { message: burst("routeSettings[0].throttlingBurstLimit", "10", "50 to 50"), urn: httpStage.urn },
      { message: rate("throttleSettings.rateLimit", "50", "100 to 100"), urn: usagePlan.urn },
      { message: burst("throttleSettings.burstLimit", "20", "50 to 50"), urn: usagePlan.urn },
      { message: rate("apiStages[0].throttles[0].rateLimit", "10", "100 to 100"), urn: usagePlan.urn },
      { message: burst("apiStages[0].throttles[0].burstLimit", "5", "50 to 50"), urn: usagePlan.urn },
    ]);
  });
});

// Where public rule sets disagree with this policy, and this policy is right (see
// /work/shared/reference/policy-facts.md): kept as regression tests.
describe("apigateway-throttling-bounds where peer rule sets go wrong", () => {
  const check = (resources: readonly TestResource[]): Violation[] => validateStack(apiGatewayThrottlingBounds, resources, DEFAULTS);

  // awslabs serverless-rules (cfn-lint ES2003, tflint) only ask for the values to be present:
  // -1 (throttling off, what AWS shows when nothing is set) and 0 (every request refused) pass.
  it("rejects a stage-wide MethodSettings of -1, which turns throttling off", () => {
    expect(check(stackWith([withSettings({ throttlingRateLimit: -1 })]))).toEqual([
      { message: rate("settings.throttlingRateLimit", "-1, which turns throttling off"), urn: methodSettings.urn },
    ]);
  });

  it("rejects an HTTP stage rate of 0, which refuses every request", () => {
    expect(check(stackWith([withDefaultRouteSettings({ throttlingRateLimit: 0 })]))).toEqual([
      { message: rate("defaultRouteSettings.throttlingRateLimit", "0, which rejects every request with 429"), urn: httpStage.urn },
    ]);
  });

  // No AWS control and no peer bounds a limit by the account quota: a stage limit above it has no effect.
  it("rejects a rate above the account quota", () => {
    expect(check(stackWith([withDefaultRouteSettings({ throttlingRateLimit: 50000 })]))).toEqual([
      { message: rate("defaultRouteSettings.throttlingRateLimit", "50000"), urn: httpStage.urn },
    ]);
  });

  // A quick-create HTTP API gets an implicit $default stage that no Stage resource describes,
  // so a rule that inspects Stage resources never sees it.
  it("reports a quick-create API that has no Stage", () => {
    const quickCreate = withProps(httpApi, { target: UNKNOWN });
    expect(check(stackWith([quickCreate]).filter((resource) => resource !== httpStage))).toHaveLength(1);
  });
});
