// alb-http-redirects-to-https: every HTTP listener of an application load balancer redirects to
// HTTPS on a port where that load balancer listens for HTTPS; rules on an HTTP listener do not
// serve over plain HTTP; a load balancer that redirects has an HTTPS listener to receive it.

import { describe, expect, it } from "vitest";
import { PolicyConfigurationError } from "../../policies/config.js";
import { albHttpRedirectsToHttps } from "../../policies/lb/alb-http-redirects-to-https.js";
import {
  UNKNOWN,
  declare,
  errorClassName,
  runStackPolicy,
  validateStack,
  withProps,
  type Props,
  type TestResource,
  type Violation,
} from "./harness.js";

const HTTPS_REDIRECT = { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" };

const redirecting = (redirect: Props): Props => ({ defaultActions: [{ type: "redirect", redirect }] });

/** The stack with `changed` in place of the resources of the same URN, and `added` appended. */
function replaced(stack: readonly TestResource[], changed: readonly TestResource[], added: readonly TestResource[] = []): TestResource[] {
  return [...stack.map((resource) => changed.find((change) => change.urn === resource.urn) ?? resource), ...added];
}

const check = (resources: readonly TestResource[]): Violation[] => validateStack(albHttpRedirectsToHttps, resources);

const notARedirect = (path: string, type: string): string =>
  `${path} must redirect to HTTPS as the last action of an HTTP listener, but its type is "${type}": make it a redirect with protocol "HTTPS", port "443" and statusCode "HTTP_301".`;

const ruleServesHttp = (path: string, type: string): string =>
  `${path} must not forward or answer over plain HTTP on an HTTP listener, but its type is "${type}": attach this rule to the HTTPS listener, or make it redirect to HTTPS.`;

const noHttpsListener = (loadBalancer: string, listener: string): string =>
  `An application load balancer with an HTTP listener must have an HTTPS listener to receive the redirect, but "${loadBalancer}" has only HTTP listeners (such as "${listener}"): add a listener with protocol "HTTPS" on port 443.`;

/**
 * A program on an application load balancer, written with one family of type tokens: HTTPS on
 * 443 forwarding to a target group (with a path rule), HTTP on 80 redirecting to it. Every ARN
 * is unknown, as in the preview of a first deployment: the links are propertyDependencies.
 */
function program(family: "aws:lb" | "aws:alb") {
  const types = {
    loadBalancer: `${family}/loadBalancer:LoadBalancer`,
    listener: `${family}/listener:Listener`,
    listenerRule: `${family}/listenerRule:ListenerRule`,
    targetGroup: `${family}/targetGroup:TargetGroup`,
  };
  const loadBalancer = declare(types.loadBalancer, "web", {
    loadBalancerType: "application",
    internal: false,
    subnets: ["subnet-0a1", "subnet-0b2"],
    securityGroups: [UNKNOWN],
  });
  const targetGroup = declare(types.targetGroup, "api", { port: 8080, protocol: "HTTP", targetType: "ip", vpcId: UNKNOWN });
  const httpsListener = declare(
    types.listener,
    "https",
    {
      loadBalancerArn: UNKNOWN,
      port: 443,
      protocol: "HTTPS",
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificateArn: UNKNOWN,
      defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }],
    },
    { loadBalancerArn: loadBalancer, defaultActions: targetGroup },
  );
  const httpListener = declare(
    types.listener,
    "http",
    { loadBalancerArn: UNKNOWN, port: 80, protocol: "HTTP", ...redirecting(HTTPS_REDIRECT) },
    { loadBalancerArn: loadBalancer },
  );
  const rule = declare(
    types.listenerRule,
    "predict",
    {
      listenerArn: UNKNOWN,
      priority: 10,
      conditions: [{ pathPattern: { values: ["/predict"] } }],
      actions: [{ type: "forward", targetGroupArn: UNKNOWN }],
    },
    { listenerArn: httpsListener, actions: targetGroup },
  );
  /** A rule on `listener` with these actions. */
  const ruleOn = (listener: TestResource, actions: readonly Props[]): TestResource =>
    declare(types.listenerRule, rule.name, { ...rule.props, actions }, { listenerArn: listener, actions: targetGroup });
  return {
    types,
    loadBalancer,
    targetGroup,
    httpsListener,
    httpListener,
    rule,
    ruleOn,
    stack: [loadBalancer, targetGroup, httpsListener, httpListener, rule],
  };
}

describe.each(["aws:lb", "aws:alb"] as const)("alb-http-redirects-to-https with %s type tokens", (family) => {
  const { types, loadBalancer, httpsListener, httpListener, rule, ruleOn, stack } = program(family);
  const withHttp = (changes: Props): TestResource[] => replaced(stack, [withProps(httpListener, changes)]);

  it("accepts an HTTP listener that redirects to the HTTPS listener", () => {
    expect(check(stack)).toEqual([]);
  });

  describe("which listeners serve plain HTTP", () => {
    it("rejects an HTTP listener that forwards", () => {
      expect(check(withHttp({ defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] }))).toEqual([
        { message: notARedirect("defaultActions[0]", "forward"), urn: httpListener.urn },
      ]);
    });

    it("rejects an HTTP listener that answers with a fixed response", () => {
      const fixed = { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "200", messageBody: "ok" } };
      expect(check(withHttp({ defaultActions: [fixed] }))).toEqual([
        { message: notARedirect("defaultActions[0]", "fixed-response"), urn: httpListener.urn },
      ]);
    });

    it("treats a listener without protocol on an application load balancer as HTTP", () => {
      expect(check(withHttp({ protocol: undefined, defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] }))).toEqual([
        { message: notARedirect("defaultActions[0]", "forward"), urn: httpListener.urn },
      ]);
    });

    it("accepts a listener without protocol that redirects to HTTPS", () => {
      expect(check(withHttp({ protocol: undefined }))).toEqual([]);
    });

    it("treats a load balancer without loadBalancerType as an application load balancer", () => {
      const forwarding = withProps(httpListener, { protocol: undefined, defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] });
      expect(check(replaced(stack, [withProps(loadBalancer, { loadBalancerType: undefined }), forwarding]))).toEqual([
        { message: notARedirect("defaultActions[0]", "forward"), urn: httpListener.urn },
      ]);
    });

    it.each(["network", "gateway"])("does not include a listener without protocol on a %s load balancer", (loadBalancerType) => {
      const forwarding = withProps(httpListener, { protocol: undefined, defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] });
      expect(check(replaced(stack, [withProps(loadBalancer, { loadBalancerType }), forwarding]))).toEqual([]);
    });

    it.each([
      ["Application", '"application"'],
      ["alb", '"application"'],
      ["ALB", '"application"'],
      ["nlb", '"network"'],
      ["classic", "the type you mean"],
      [3, "the type you mean"],
    ])("reports a loadBalancerType of %j, which AWS does not accept, on the load balancer", (loadBalancerType, fix) => {
      expect(check(replaced(stack, [withProps(loadBalancer, { loadBalancerType })]))).toEqual([
        {
          message: `loadBalancerType must be "application", "network" or "gateway", but it is ${JSON.stringify(loadBalancerType)}, which AWS does not accept: set it to ${fix}.`,
          urn: loadBalancer.urn,
        },
      ]);
    });

    it("still checks the listeners of a load balancer whose type is spelt in another case", () => {
      const forwarding = withProps(httpListener, { protocol: undefined, defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] });
      expect(
        check(replaced(stack, [withProps(loadBalancer, { loadBalancerType: "Application" }), forwarding])).map(
          (violation) => violation.urn,
        ),
      ).toEqual([loadBalancer.urn, httpListener.urn]);
    });

    it("takes a listener without protocol but with a port as HTTP on a load balancer of a type AWS does not accept", () => {
      const forwarding = withProps(httpListener, { protocol: undefined, defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] });
      expect(check(replaced(stack, [withProps(loadBalancer, { loadBalancerType: "nlb" }), forwarding]))).toEqual([
        expect.objectContaining({ urn: loadBalancer.urn }),
        { message: notARedirect("defaultActions[0]", "forward"), urn: httpListener.urn },
      ]);
    });

    it("does not include a network load balancer's TCP listener", () => {
      const tcp = withProps(httpListener, { protocol: "TCP", defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] });
      expect(check(replaced(stack, [withProps(loadBalancer, { loadBalancerType: "network" }), tcp]))).toEqual([]);
    });

    it("checks a lowercase http listener", () => {
      expect(check(withHttp({ protocol: "http", defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] }))).toEqual([
        { message: notARedirect("defaultActions[0]", "forward"), urn: httpListener.urn },
      ]);
    });

    it("counts a lowercase https listener as the HTTPS listener", () => {
      expect(check(replaced(stack, [withProps(httpsListener, { protocol: "https" })]))).toEqual([]);
    });

    it("accepts a lowercase redirect type and protocol", () => {
      expect(check(withHttp({ defaultActions: [{ type: "REDIRECT", redirect: { ...HTTPS_REDIRECT, protocol: "https" } }] }))).toEqual([]);
    });

    it("rejects an HTTP listener with an empty list of default actions, saying it is empty and what to add", () => {
      expect(check(withHttp({ defaultActions: [] }))).toEqual([
        {
          message:
            'defaultActions must end in a redirect to HTTPS, but it is an empty list: add a redirect action with protocol "HTTPS", port "443" and statusCode "HTTP_301".',
          urn: httpListener.urn,
        },
      ]);
    });

    it("rejects an HTTP listener without default actions", () => {
      expect(check(withHttp({ defaultActions: undefined }))).toEqual([
        {
          message:
            'defaultActions must end in a redirect to HTTPS, but it is not set: add a redirect action with protocol "HTTPS", port "443" and statusCode "HTTP_301".',
          urn: httpListener.urn,
        },
      ]);
    });
  });

  describe("a load balancer outside this program (a literal ARN)", () => {
    const existing = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shared/50dc6c495c0c9188";
    const onExisting = (changes: Props): TestResource =>
      declare(types.listener, "http", { ...httpListener.props, loadBalancerArn: existing, ...changes });

    it("accepts a redirect to the standard HTTPS port, on a listener it cannot see", () => {
      expect(check([onExisting({})])).toEqual([]);
    });

    it("treats a listener without protocol but with a port as HTTP", () => {
      expect(check([onExisting({ protocol: undefined, defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] })])).toEqual([
        { message: notARedirect("defaultActions[0]", "forward"), urn: httpListener.urn },
      ]);
    });

    it("does not include a listener without protocol or port (a gateway load balancer's)", () => {
      expect(
        check([onExisting({ protocol: undefined, port: undefined, defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] })]),
      ).toEqual([]);
    });

    it("rejects a redirect to another port than the standard one when no HTTPS listener is seen", () => {
      expect(check([onExisting(redirecting({ ...HTTPS_REDIRECT, port: "8443" }))])).toEqual([
        {
          message: 'defaultActions[0].redirect.port must be the standard HTTPS port (443), but it is "8443": set it to "443".',
          urn: httpListener.urn,
        },
      ]);
    });

    // AWS allows one listener per port: an HTTP listener on 443 means no HTTPS listener can be there.
    describe("whose listener on the standard HTTPS port serves plain HTTP", () => {
      const on443 = (changes: Props): TestResource => onExisting({ port: 443, ...changes });

      it("rejects a redirect with the default #{port}, which sends HTTPS back to the same listener", () => {
        expect(check([on443(redirecting({ protocol: "HTTPS", statusCode: "HTTP_301" }))])).toEqual([
          {
            message:
              'defaultActions[0].redirect.port must be a port where the load balancer listens for HTTPS, but it is not set, which defaults to "#{port}" and sends HTTPS back to port 443, where this listener serves plain HTTP, so no HTTPS listener can be there (one listener per port): set it to the port of the load balancer\'s HTTPS listener.',
            urn: httpListener.urn,
          },
        ]);
      });

      it('rejects a redirect to "#{port}"', () => {
        expect(check([on443(redirecting({ ...HTTPS_REDIRECT, port: "#{port}" }))])).toEqual([
          {
            message:
              'defaultActions[0].redirect.port must be a port where the load balancer listens for HTTPS, but it is "#{port}", which sends HTTPS back to port 443, where this listener serves plain HTTP, so no HTTPS listener can be there (one listener per port): set it to the port of the load balancer\'s HTTPS listener.',
            urn: httpListener.urn,
          },
        ]);
      });

      it('rejects a redirect to its own port written out, "443"', () => {
        expect(check([on443(redirecting(HTTPS_REDIRECT))])).toEqual([
          {
            message:
              'defaultActions[0].redirect.port must be a port where the load balancer listens for HTTPS, but it is "443", where this listener serves plain HTTP, so no HTTPS listener can be there (one listener per port): set it to the port of the load balancer\'s HTTPS listener.',
            urn: httpListener.urn,
          },
        ]);
      });

      it("rejects another listener's redirect to that port", () => {
        const plainOn443 = declare(types.listener, "legacy-https-port", {
          ...httpListener.props,
          loadBalancerArn: existing,
          port: 443,
          ...redirecting({ ...HTTPS_REDIRECT, port: "8443" }),
        });
        expect(check([onExisting({}), plainOn443])).toEqual([
          {
            message:
              'defaultActions[0].redirect.port must be a port where the load balancer listens for HTTPS, but it is "443", where listener "legacy-https-port" serves plain HTTP, so no HTTPS listener can be there (one listener per port): set it to the port of the load balancer\'s HTTPS listener.',
            urn: httpListener.urn,
          },
        ]);
      });

      it("accepts a redirect to another port, where an HTTPS listener this program cannot see may be", () => {
        expect(check([on443(redirecting({ ...HTTPS_REDIRECT, port: "8443" }))])).toEqual([]);
      });

      it("rejects a rule on it that redirects with the default #{port}", () => {
        const http = on443(redirecting({ ...HTTPS_REDIRECT, port: "8443" }));
        const redirectRule = declare(
          types.listenerRule,
          "legacy",
          { listenerArn: UNKNOWN, priority: 5, actions: [{ type: "redirect", redirect: { protocol: "HTTPS" } }] },
          { listenerArn: http },
        );
        expect(check([http, redirectRule])).toEqual([
          {
            message:
              'actions[0].redirect.port must be a port where the load balancer listens for HTTPS, but it is not set, which defaults to "#{port}" and sends HTTPS back to port 443, where its listener serves plain HTTP, so no HTTPS listener can be there (one listener per port): set it to the port of the load balancer\'s HTTPS listener.',
            urn: redirectRule.urn,
          },
        ]);
      });
    });

    it("rejects a redirect to the port of another of its HTTP listeners, suggesting the standard HTTPS port", () => {
      const admin = declare(types.listener, "admin-http", {
        ...httpListener.props,
        loadBalancerArn: existing,
        port: 8080,
        defaultActions: [{ type: "fixed-response" }],
      });
      expect(check([onExisting(redirecting({ ...HTTPS_REDIRECT, port: "8080" })), admin])).toEqual([
        {
          message:
            'defaultActions[0].redirect.port must be a port where the load balancer listens for HTTPS, but it is "8080", where listener "admin-http" serves plain HTTP, so no HTTPS listener can be there (one listener per port): set it to "443".',
          urn: httpListener.urn,
        },
        { message: notARedirect("defaultActions[0]", "fixed-response"), urn: admin.urn },
      ]);
    });

    it("suggests the port of the HTTPS listener declared on it in the fix, not the standard port", () => {
      const https = declare(types.listener, "https", { ...httpsListener.props, loadBalancerArn: existing, port: 8443 });
      expect(check([https, onExisting({ defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] })])).toEqual([
        {
          message:
            'defaultActions[0] must redirect to HTTPS as the last action of an HTTP listener, but its type is "forward": make it a redirect with protocol "HTTPS", port "8443" and statusCode "HTTP_301".',
          urn: httpListener.urn,
        },
      ]);
    });

    it("links listeners that name the same ARN: the HTTPS port is the one declared", () => {
      const https = declare(types.listener, "https", { ...httpsListener.props, loadBalancerArn: existing, port: 8443 });
      expect(check([https, onExisting(redirecting({ ...HTTPS_REDIRECT, port: "8443" }))])).toEqual([]);
      expect(check([https, onExisting({})])).toEqual([
        {
          message: 'defaultActions[0].redirect.port must be the port of its HTTPS listener (8443), but it is "443": set it to "8443".',
          urn: httpListener.urn,
        },
      ]);
    });
  });

  describe("the terminal action", () => {
    it("is the one with the highest order, not the last one written", () => {
      const actions = [
        { type: "redirect", order: 2, redirect: HTTPS_REDIRECT },
        { type: "authenticate-oidc", order: 1, authenticateOidc: { issuer: "https://idp.example.com" } },
      ];
      expect(check(withHttp({ defaultActions: actions }))).toEqual([]);
    });

    it("is reported at its index as written", () => {
      const actions = [
        { type: "forward", order: 3, targetGroupArn: UNKNOWN },
        { type: "redirect", order: 1, redirect: HTTPS_REDIRECT },
      ];
      expect(check(withHttp({ defaultActions: actions }))).toEqual([
        { message: notARedirect("defaultActions[0]", "forward"), urn: httpListener.urn },
      ]);
    });

    it("is the last one written when no action has an order", () => {
      const actions = [
        { type: "authenticate-cognito", authenticateCognito: { userPoolArn: UNKNOWN } },
        { type: "forward", targetGroupArn: UNKNOWN },
      ];
      expect(check(withHttp({ defaultActions: actions }))).toEqual([
        { message: notARedirect("defaultActions[1]", "forward"), urn: httpListener.urn },
      ]);
    });
  });

  describe("the redirect", () => {
    it("must set protocol HTTPS: its default #{protocol} keeps plain HTTP", () => {
      expect(check(withHttp(redirecting({ ...HTTPS_REDIRECT, protocol: undefined })))).toEqual([
        {
          message:
            'defaultActions[0].redirect.protocol must be "HTTPS", but it is not set, which defaults to "#{protocol}" and keeps plain HTTP: set it to "HTTPS".',
          urn: httpListener.urn,
        },
      ]);
    });

    it("must not keep the protocol with #{protocol}", () => {
      expect(check(withHttp(redirecting({ ...HTTPS_REDIRECT, protocol: "#{protocol}" })))).toEqual([
        {
          message: 'defaultActions[0].redirect.protocol must be "HTTPS", but it is "#{protocol}": set it to "HTTPS".',
          urn: httpListener.urn,
        },
      ]);
    });

    it("must not redirect to HTTP", () => {
      expect(check(withHttp(redirecting({ ...HTTPS_REDIRECT, protocol: "HTTP" })))).toEqual([
        { message: 'defaultActions[0].redirect.protocol must be "HTTPS", but it is "HTTP": set it to "HTTPS".', urn: httpListener.urn },
      ]);
    });

    it("must set the port: its default #{port} sends HTTPS to port 80", () => {
      expect(check(withHttp(redirecting({ ...HTTPS_REDIRECT, port: undefined })))).toEqual([
        {
          message:
            'defaultActions[0].redirect.port must be the port of its HTTPS listener (443), but it is not set, which defaults to "#{port}" and sends HTTPS to port 80: set it to "443".',
          urn: httpListener.urn,
        },
      ]);
    });

    it("must not keep the port with #{port}", () => {
      expect(check(withHttp(redirecting({ ...HTTPS_REDIRECT, port: "#{port}" })))).toEqual([
        {
          message: 'defaultActions[0].redirect.port must be the port of its HTTPS listener (443), but it is "#{port}": set it to "443".',
          urn: httpListener.urn,
        },
      ]);
    });

    it("must go to a port with an HTTPS listener", () => {
      expect(check(withHttp(redirecting({ ...HTTPS_REDIRECT, port: "8443" })))).toEqual([
        {
          message: 'defaultActions[0].redirect.port must be the port of its HTTPS listener (443), but it is "8443": set it to "443".',
          urn: httpListener.urn,
        },
      ]);
    });

    describe("on a load balancer with two HTTPS listeners", () => {
      const second = declare(types.listener, "https-alt", { ...httpsListener.props, port: 8443 }, { loadBalancerArn: loadBalancer });

      it("may go to either", () => {
        expect(check(replaced(stack, [withProps(httpListener, redirecting({ ...HTTPS_REDIRECT, port: "8443" }))], [second]))).toEqual([]);
      });

      it("must go to one of them", () => {
        expect(check(replaced(stack, [withProps(httpListener, redirecting({ ...HTTPS_REDIRECT, port: "9443" }))], [second]))).toEqual([
          {
            message:
              'defaultActions[0].redirect.port must be the port of one of its HTTPS listeners (443, 8443), but it is "9443": set it to "443".',
            urn: httpListener.urn,
          },
        ]);
      });
    });
  });

  describe("a load balancer without an HTTPS listener", () => {
    it("is reported once, on the load balancer, not also on its redirecting HTTP listener", () => {
      expect(check(stack.filter((resource) => resource !== httpsListener && resource !== rule))).toEqual([
        { message: noHttpsListener("web", "http"), urn: loadBalancer.urn },
      ]);
    });

    it("is not rescued by another load balancer's HTTPS listener", () => {
      const other = declare(types.loadBalancer, "internal", { ...loadBalancer.props, internal: true });
      const elsewhere = declare(types.listener, "https", httpsListener.props, { loadBalancerArn: other });
      expect(check(replaced(stack, [elsewhere], [other]))).toEqual([{ message: noHttpsListener("web", "http"), urn: loadBalancer.urn }]);
    });

    it("reports only the listener when it does not redirect at all", () => {
      const forwarding = withProps(httpListener, { defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] });
      expect(check(replaced(stack, [forwarding]).filter((resource) => resource !== httpsListener && resource !== rule))).toEqual([
        { message: notARedirect("defaultActions[0]", "forward"), urn: httpListener.urn },
      ]);
    });
  });

  describe("listener rules", () => {
    it("may forward on the HTTPS listener", () => {
      expect(check(stack)).toEqual([]);
    });

    it("must not forward on the HTTP listener, even when its default redirects", () => {
      expect(check(replaced(stack, [ruleOn(httpListener, [{ type: "forward", targetGroupArn: UNKNOWN }])]))).toEqual([
        { message: ruleServesHttp("actions[0]", "forward"), urn: rule.urn },
      ]);
    });

    it("must not answer with a fixed response on the HTTP listener", () => {
      const fixed = { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "503" } };
      expect(check(replaced(stack, [ruleOn(httpListener, [fixed])]))).toEqual([
        { message: ruleServesHttp("actions[0]", "fixed-response"), urn: rule.urn },
      ]);
    });

    it("may redirect to HTTPS on the HTTP listener", () => {
      expect(
        check(replaced(stack, [ruleOn(httpListener, [{ type: "redirect", redirect: { ...HTTPS_REDIRECT, path: "/v2/#{path}" } }])])),
      ).toEqual([]);
    });

    it("must redirect to the HTTPS listener's port, not the default #{port}", () => {
      expect(
        check(replaced(stack, [ruleOn(httpListener, [{ type: "redirect", redirect: { ...HTTPS_REDIRECT, port: undefined } }])])),
      ).toEqual([
        {
          message:
            'actions[0].redirect.port must be the port of its HTTPS listener (443), but it is not set, which defaults to "#{port}" and sends HTTPS to port 80: set it to "443".',
          urn: rule.urn,
        },
      ]);
    });

    it("is checked besides its HTTP listener's own default", () => {
      const forwarding = withProps(httpListener, { defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] });
      expect(check(replaced(stack, [forwarding, ruleOn(httpListener, [{ type: "forward", targetGroupArn: UNKNOWN }])]))).toEqual([
        { message: notARedirect("defaultActions[0]", "forward"), urn: httpListener.urn },
        { message: ruleServesHttp("actions[0]", "forward"), urn: rule.urn },
      ]);
    });

    it("must not have an empty list of actions on the HTTP listener", () => {
      expect(check(replaced(stack, [ruleOn(httpListener, [])]))).toEqual([
        {
          message:
            'actions must end in a redirect to HTTPS, but it is an empty list: add a redirect action with protocol "HTTPS", port "443" and statusCode "HTTP_301".',
          urn: rule.urn,
        },
      ]);
    });

    it("are not checked on a listener outside this program (a literal listenerArn)", () => {
      const literal = declare(types.listenerRule, rule.name, {
        ...rule.props,
        listenerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shared/1/2",
      });
      expect(check(replaced(stack, [literal]))).toEqual([]);
    });
  });
});

describe("alb-http-redirects-to-https across type token families", () => {
  const lb = program("aws:lb");
  const alb = program("aws:alb");

  it("links an aws:alb listener to an aws:lb load balancer", () => {
    const https = declare(alb.types.listener, "https", { ...lb.httpsListener.props, port: 8443 }, { loadBalancerArn: lb.loadBalancer });
    const http = withProps(lb.httpListener, redirecting({ ...HTTPS_REDIRECT, port: "8443" }));
    expect(check([lb.loadBalancer, https, http])).toEqual([]);
  });

  it("links an aws:lb listener to an aws:alb load balancer", () => {
    const http = declare(
      lb.types.listener,
      "http",
      { ...alb.httpListener.props, protocol: undefined, defaultActions: [{ type: "forward" }] },
      { loadBalancerArn: alb.loadBalancer },
    );
    expect(check([alb.loadBalancer, alb.httpsListener, http])).toEqual([
      { message: notARedirect("defaultActions[0]", "forward"), urn: http.urn },
    ]);
  });

  it("links an aws:alb listener rule to an aws:lb HTTP listener", () => {
    const rule = declare(alb.types.listenerRule, "predict", { ...lb.rule.props }, { listenerArn: lb.httpListener });
    expect(check([...lb.stack, rule])).toEqual([{ message: ruleServesHttp("actions[0]", "forward"), urn: rule.urn }]);
  });
});

describe("alb-http-redirects-to-https during preview", () => {
  const { loadBalancer, httpsListener, httpListener, stack } = program("aws:lb");
  const forwarding = declare(
    httpListener.type,
    "http-api",
    { loadBalancerArn: UNKNOWN, port: 8080, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] },
    { loadBalancerArn: loadBalancer },
  );

  it("links listeners through propertyDependencies while every ARN is unknown", () => {
    expect(check(stack)).toEqual([]);
  });

  it("reports the other listeners' violations, then throws CrossGuard's UnknownValueError for unknown default actions", () => {
    const outcome = runStackPolicy(
      albHttpRedirectsToHttps,
      replaced(stack, [withProps(httpListener, { defaultActions: UNKNOWN })], [forwarding]),
    );
    expect(outcome.violations).toEqual([{ message: notARedirect("defaultActions[0]", "forward"), urn: forwarding.urn }]);
    expect(errorClassName(outcome.thrown)).toBe("UnknownValueError");
  });

  it("reports the other listeners' violations, then throws CrossGuard's UnknownValueError for an unknown protocol", () => {
    const outcome = runStackPolicy(
      albHttpRedirectsToHttps,
      replaced(stack, [withProps(httpListener, { protocol: UNKNOWN })], [forwarding]),
    );
    expect(outcome.violations).toEqual([{ message: notARedirect("defaultActions[0]", "forward"), urn: forwarding.urn }]);
    expect(errorClassName(outcome.thrown)).toBe("UnknownValueError");
  });

  it("does not claim a load balancer lacks an HTTPS listener when a listener's port is unknown", () => {
    const outcome = runStackPolicy(albHttpRedirectsToHttps, replaced(stack, [withProps(httpsListener, { port: UNKNOWN })]));
    expect(outcome.violations).toEqual([]);
    expect(errorClassName(outcome.thrown)).toBe("UnknownValueError");
  });

  it("does not judge a redirect port while a listener's protocol on that load balancer is unknown", () => {
    const unknownProtocol = declare(
      httpsListener.type,
      "https-alt",
      { ...httpsListener.props, port: 8443, protocol: UNKNOWN },
      { loadBalancerArn: loadBalancer },
    );
    const toAlt = withProps(httpListener, redirecting({ ...HTTPS_REDIRECT, port: "8443" }));
    const outcome = runStackPolicy(albHttpRedirectsToHttps, replaced(stack, [toAlt], [unknownProtocol]));
    expect(outcome.violations).toEqual([]);
    expect(errorClassName(outcome.thrown)).toBe("UnknownValueError");
  });

  it("still judges the redirect protocol while a port is unknown", () => {
    const keepsHttp = withProps(httpListener, redirecting({ ...HTTPS_REDIRECT, protocol: "HTTP" }));
    const outcome = runStackPolicy(albHttpRedirectsToHttps, replaced(stack, [keepsHttp, withProps(httpsListener, { port: UNKNOWN })]));
    expect(outcome.violations).toEqual([
      { message: 'defaultActions[0].redirect.protocol must be "HTTPS", but it is "HTTP": set it to "HTTPS".', urn: httpListener.urn },
    ]);
    expect(errorClassName(outcome.thrown)).toBe("UnknownValueError");
  });
});

describe("alb-http-redirects-to-https with unknownValues mandatory", () => {
  const { loadBalancer, httpsListener, httpListener, rule, stack } = program("aws:lb");
  const strict = { unknownValues: "mandatory" };
  const check = (resources: readonly TestResource[]): Violation[] => validateStack(albHttpRedirectsToHttps, resources, strict);
  const unknownMessage = (property: string): string =>
    `${property} must be known during preview (unknownValues is "mandatory"), but it is only known once the update runs: set it from values known before the update, or set unknownValues to "advisory" for this policy.`;
  const forwarding = declare(
    httpListener.type,
    "http-api",
    { loadBalancerArn: UNKNOWN, port: 8080, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] },
    { loadBalancerArn: loadBalancer },
  );

  it("still links listeners through propertyDependencies while every ARN is unknown", () => {
    expect(check(stack)).toEqual([]);
  });

  it("reports a listener whose protocol is unknown on that listener, after the known violations", () => {
    expect(check(replaced(stack, [withProps(httpListener, { protocol: UNKNOWN })], [forwarding]))).toEqual([
      { message: notARedirect("defaultActions[0]", "forward"), urn: forwarding.urn },
      { message: unknownMessage("protocol"), urn: httpListener.urn },
    ]);
  });

  it("reports unknown default actions, naming the list", () => {
    expect(check(replaced(stack, [withProps(httpListener, { defaultActions: UNKNOWN })]))).toEqual([
      { message: unknownMessage("defaultActions"), urn: httpListener.urn },
    ]);
  });

  it("names the unknown property inside an action", () => {
    expect(
      check(
        replaced(stack, [
          withProps(httpListener, { defaultActions: [{ type: "redirect", redirect: { ...HTTPS_REDIRECT, protocol: UNKNOWN } }] }),
        ]),
      ),
    ).toEqual([{ message: unknownMessage("defaultActions[0].redirect.protocol"), urn: httpListener.urn }]);
  });

  it("reports an HTTPS listener whose port is unknown on that listener, and does not judge the redirect port meanwhile", () => {
    expect(
      check(
        replaced(stack, [
          withProps(httpsListener, { port: UNKNOWN }),
          withProps(httpListener, redirecting({ ...HTTPS_REDIRECT, port: "9443" })),
        ]),
      ),
    ).toEqual([{ message: unknownMessage("port"), urn: httpsListener.urn }]);
  });

  it("reports a listener's unknown port on the listener, not on its rules", () => {
    const unknownPort = withProps(httpListener, { port: UNKNOWN, protocol: "HTTP" });
    const ruleOnHttp = declare(
      rule.type,
      rule.name,
      { ...rule.props, actions: [{ type: "redirect", redirect: HTTPS_REDIRECT }] },
      { listenerArn: unknownPort },
    );
    expect(check(replaced(stack, [unknownPort, ruleOnHttp]))).toEqual([{ message: unknownMessage("port"), urn: httpListener.urn }]);
  });

  it("reports a load balancer whose type is unknown on the load balancer", () => {
    expect(check(replaced(stack, [withProps(loadBalancer, { loadBalancerType: UNKNOWN })]))).toEqual([
      { message: unknownMessage("loadBalancerType"), urn: loadBalancer.urn },
    ]);
  });
});

describe("alb-http-redirects-to-https refuses a configuration it cannot mean", () => {
  it("refuses a misspelt unknownValues before judging anything", () => {
    const { stack } = program("aws:lb");
    const outcome = runStackPolicy(albHttpRedirectsToHttps, stack, { unknownValue: "mandatory" });
    expect(outcome.violations).toEqual([]);
    expect(outcome.thrown).toEqual(
      new PolicyConfigurationError(
        'policy "alb-http-redirects-to-https" has no property "unknownValue"; did you mean "unknownValues"? (known: unknownValues)',
      ),
    );
  });
});

// Where public rule sets disagree with this policy, and this policy is right (see
// /work/shared/reference/policy-facts.md): kept as regression tests.
describe("alb-http-redirects-to-https where peer rule sets go wrong", () => {
  const { httpsListener, httpListener, rule, ruleOn, stack } = program("aws:lb");
  const withHttp = (changes: Props): TestResource[] => replaced(stack, [withProps(httpListener, changes)]);

  // @pulumi/awsguard skips a listener whose protocol is omitted; on an ALB that is HTTP.
  it("checks a listener without protocol, which is HTTP on an application load balancer", () => {
    expect(check(withHttp({ protocol: undefined, defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] }))).toEqual([
      { message: notARedirect("defaultActions[0]", "forward"), urn: httpListener.urn },
    ]);
  });

  // @pulumi/awsguard ignores listener rules: a rule that forwards serves its paths over plain HTTP.
  it("checks the rules of an HTTP listener whose default redirects", () => {
    expect(check(replaced(stack, [ruleOn(httpListener, [{ type: "forward", targetGroupArn: UNKNOWN }])]))).toEqual([
      { message: ruleServesHttp("actions[0]", "forward"), urn: rule.urn },
    ]);
  });

  // @pulumi/awsguard ignores the redirect port; the default #{port} sends HTTPS to port 80.
  it("checks the redirect port", () => {
    expect(check(withHttp(redirecting({ protocol: "HTTPS", statusCode: "HTTP_301" })))).toHaveLength(1);
  });

  // Checkov CKV_AWS_2 looks only at the first default action; the one that decides is the last by order.
  it("judges the terminal action, not the first one written", () => {
    const actions = [
      { type: "redirect", order: 1, redirect: HTTPS_REDIRECT },
      { type: "forward", order: 2, targetGroupArn: UNKNOWN },
    ];
    expect(check(withHttp({ defaultActions: actions }))).toEqual([
      { message: notARedirect("defaultActions[1]", "forward"), urn: httpListener.urn },
    ]);
  });

  // Checkov CKV2_AWS_20 requires the redirect port "443": the port of this load balancer's HTTPS listener is right.
  it("accepts a redirect to the port where this load balancer listens for HTTPS, even when it is not 443", () => {
    const https8443 = withProps(httpsListener, { port: 8443 });
    expect(check(replaced(stack, [https8443, withProps(httpListener, redirecting({ ...HTTPS_REDIRECT, port: "8443" }))]))).toEqual([]);
  });

  // Trivy AWS-0054 passes any redirect, even one that stays on HTTP.
  it("rejects a redirect that keeps plain HTTP", () => {
    expect(check(withHttp(redirecting({ ...HTTPS_REDIRECT, protocol: "HTTP" })))).toEqual([
      { message: 'defaultActions[0].redirect.protocol must be "HTTPS", but it is "HTTP": set it to "HTTPS".', urn: httpListener.urn },
    ]);
  });

  // A rule that accepts any redirect to 443 passes an HTTP listener on 443 of an existing load
  // balancer that redirects to itself: one listener per port, so 443 can never be HTTPS there.
  it("rejects an HTTP listener on 443 of an existing load balancer that redirects to itself", () => {
    const existing = declare(httpListener.type, "http", {
      ...httpListener.props,
      loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shared/50dc6c495c0c9188",
      port: 443,
      ...redirecting({ protocol: "HTTPS", statusCode: "HTTP_301" }),
    });
    expect(check([existing])).toHaveLength(1);
  });
});
