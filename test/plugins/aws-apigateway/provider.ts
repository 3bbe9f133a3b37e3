// A stand-in for the aws-apigateway provider plugin (pulumi-resource-aws-apigateway), on the
// Pulumi SDK's provider server as the real one is. It builds `aws-apigateway:index:RestAPI` as
// that package documents it: the REST API from a Swagger document (the one given, or one made from
// the routes), a Deployment of it (its `variables.version` the document's hash, so that a new
// document makes a new deployment; @pulumi/aws 7 has no stage name on it), a Lambda permission per route
// handled by a function, and the Stage (`stage` unless `stageName` says otherwise) pointing at the
// deployment. Its outputs are those of the package's schema: url, api, deployment, stage, apiPolicy.

import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { main, type ConstructResult, type Provider } from "@pulumi/pulumi/provider/index.js";

interface Route {
  path: string;
  method?: string;
  eventHandler?: aws.lambda.Function;
  target?: { type: string; uri: string; httpMethod?: string };
  data?: unknown;
}

interface RestAPIArgs {
  routes?: Route[];
  swaggerString?: pulumi.Input<string>;
  stageName?: pulumi.Input<string>;
  apiKeySource?: pulumi.Input<string>;
  binaryMediaTypes?: string[];
  gatewayResponses?: Record<string, unknown>;
}

type Swagger = { swagger: string; info: { title?: string; version: string }; paths: Record<string, Record<string, unknown>> } & Record<
  string,
  unknown
>;

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

function routeMethod(route: Route): string {
  return (route.method ?? "ANY").toLowerCase() === "any" ? "x-amazon-apigateway-any-method" : (route.method ?? "").toLowerCase();
}

/** A Swagger document for the routes: a Lambda proxy integration per function, the given target or data otherwise. */
function swaggerFor(name: string, routes: readonly Route[], gatewayResponses: Record<string, unknown> | undefined): pulumi.Output<string> {
  const integrations = routes.map((route) => {
    if (route.eventHandler) {
      const uri = pulumi.interpolate`arn:aws:apigateway:${aws.getRegionOutput().name}:lambda:path/2015-03-31/functions/${route.eventHandler.arn}/invocations`;
      return uri.apply((value) => ({
        "x-amazon-apigateway-integration": { type: "aws_proxy", httpMethod: "POST", uri: value, passthroughBehavior: "when_no_match" },
      }));
    }
    if (route.target)
      return pulumi.output({ "x-amazon-apigateway-integration": { ...route.target, httpMethod: route.target.httpMethod ?? "ANY" } });
    return pulumi.output((route.data ?? {}) as Record<string, unknown>);
  });
  return pulumi.all(integrations).apply((operations) => {
    const swagger: Swagger = { swagger: "2.0", info: { title: name, version: "1.0" }, paths: {} };
    routes.forEach((route, index) => {
      const path = route.path.startsWith("/") ? route.path : `/${route.path}`;
      swagger.paths[path] = { ...swagger.paths[path], [routeMethod(route)]: operations[index] };
    });
    if (gatewayResponses) swagger["x-amazon-apigateway-gateway-responses"] = gatewayResponses;
    return JSON.stringify(swagger);
  });
}

class RestAPI extends pulumi.ComponentResource {
  readonly api: aws.apigateway.RestApi;
  readonly deployment: aws.apigateway.Deployment;
  readonly stage: aws.apigateway.Stage;
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: RestAPIArgs, opts: pulumi.ComponentResourceOptions) {
    super("aws-apigateway:index:RestAPI", name, {}, opts);
    const parent = { parent: this };
    let body: pulumi.Output<string>;
    let title: pulumi.Output<string>;
    if (args.swaggerString) {
      const spec = pulumi.output(args.swaggerString).apply((text) => {
        const parsed = JSON.parse(text) as Swagger;
        parsed.info = { ...parsed.info, title: parsed.info?.title ?? name };
        return parsed;
      });
      title = spec.apply((parsed) => parsed.info.title ?? name);
      body = spec.apply((parsed) => JSON.stringify(parsed));
    } else if (args.routes) {
      title = pulumi.output(name);
      body = swaggerFor(name, args.routes, args.gatewayResponses);
    } else {
      throw new pulumi.ResourceError("API must specify either [swaggerString] or as least one of the [route] options.", opts.parent);
    }
    const stageName = args.stageName ?? "stage";
    this.api = new aws.apigateway.RestApi(
      name,
      { name: title, binaryMediaTypes: args.binaryMediaTypes ?? ["*/*"], body, apiKeySource: args.apiKeySource },
      parent,
    );
    const version = body.apply(sha1);
    this.deployment = new aws.apigateway.Deployment(name, { restApi: this.api, variables: { version } }, parent);
    const permissions = (args.routes ?? []).flatMap((route) => {
      if (!route.eventHandler) return [];
      const methodAndPath = `${(route.method ?? "ANY") === "ANY" ? "*" : route.method}${route.path.startsWith("/") ? route.path : `/${route.path}`}`;
      return [
        new aws.lambda.Permission(
          `${name}-${sha1(methodAndPath).slice(0, 8)}`,
          {
            action: "lambda:invokeFunction",
            function: route.eventHandler,
            principal: "apigateway.amazonaws.com",
            sourceArn: pulumi.interpolate`${this.api.executionArn}/*/${methodAndPath}`,
          },
          parent,
        ),
      ];
    });
    this.stage = new aws.apigateway.Stage(
      name,
      { restApi: this.api, deployment: this.deployment, stageName },
      { parent: this, dependsOn: permissions },
    );
    this.url = pulumi.interpolate`${this.stage.invokeUrl}/`;
    this.registerOutputs(this.outputs());
  }

  outputs(): pulumi.Inputs {
    return { url: this.url, api: this.api, deployment: this.deployment, stage: this.stage, apiPolicy: undefined };
  }
}

class AwsApiGatewayProvider implements Provider {
  constructor(readonly version: string) {}

  async construct(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<ConstructResult> {
    if (type !== "aws-apigateway:index:RestAPI") throw new Error(`unknown resource type ${type}`);
    const api = new RestAPI(name, inputs, options);
    return Promise.resolve({ urn: api.urn, state: api.outputs() });
  }
}

await main(new AwsApiGatewayProvider(process.env.TEST_PLUGIN_VERSION ?? "0.0.0"), process.argv.slice(2));
