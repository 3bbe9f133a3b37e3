// alb-http-redirects-to-https: every HTTP listener of an application load balancer redirects to
// HTTPS, on a port where that load balancer has an HTTPS listener; rules on such a listener do
// not serve over plain HTTP; a load balancer that redirects has an HTTPS listener to receive it.
// A stack policy: a listener alone does not say which load balancer type it is on, nor which
// ports of that load balancer speak HTTPS.

import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { show } from "../messages";
import { DeferredUnknowns } from "../preview";
import { LISTENER_RULE_TYPES, LISTENER_TYPES, LOAD_BALANCER_TYPES } from "../resource-types";
import { dependencyOfType, referenceKey, terminalAction } from "./load-balancer-topology";

const STANDARD_HTTPS_PORT = 443;

interface LoadBalancerFacts {
  /** undefined when the load balancer is not declared in this program (an existing ARN). */
  readonly resource: PolicyResource | undefined;
  readonly httpsPorts: number[];
  /** A listener's protocol or port is unknown during this preview: more HTTPS ports may exist. */
  httpsPortsIncomplete: boolean;
}

function unlinkedFacts(): LoadBalancerFacts {
  return { resource: undefined, httpsPorts: [], httpsPortsIncomplete: false };
}

function upper(value: unknown): string | undefined {
  return typeof value === "string" ? value.toUpperCase() : undefined;
}

function loadBalancerType(loadBalancer: PolicyResource | undefined): string | undefined {
  if (!loadBalancer) return undefined;
  const declared: unknown = loadBalancer.props.loadBalancerType;
  return typeof declared === "string" ? declared.toLowerCase() : "application";
}

/**
 * Whether a listener serves plain HTTP on an application load balancer. Protocol HTTP exists
 * only there; an omitted protocol means HTTP on an ALB. On a load balancer outside this program
 * an omitted protocol counts as HTTP when a port is set (network load balancers require a
 * protocol, gateway load balancers take no port).
 */
function servesPlainHttp(listener: PolicyResource, loadBalancer: PolicyResource | undefined): boolean {
  const protocol = upper(listener.props.protocol);
  if (protocol !== undefined) return protocol === "HTTP";
  const type = loadBalancerType(loadBalancer);
  if (type !== undefined) return type === "application";
  return listener.props.port !== undefined;
}

function describeHttpsPorts(ports: readonly number[]): string {
  return ports.length === 1 ? `its HTTPS listener (${ports[0]})` : `one of its HTTPS listeners (${ports.join(", ")})`;
}

/**
 * Checks one action list that runs on an HTTP listener: its terminal action must redirect to
 * HTTPS on a port where the load balancer listens for HTTPS. Returns the violation, if any.
 */
function redirectViolation(
  actions: unknown,
  property: string,
  listenerPort: unknown,
  facts: LoadBalancerFacts,
  servedAs: "default" | "rule",
): string | undefined {
  const terminal = terminalAction(actions);
  if (!terminal) {
    return `${property} must end in a redirect to HTTPS, but it is ${show(actions)}: add a redirect action with protocol "HTTPS", port "${STANDARD_HTTPS_PORT}" and statusCode "HTTP_301".`;
  }
  const path = `${property}[${terminal.index}]`;
  const type = typeof terminal.action.type === "string" ? terminal.action.type.toLowerCase() : terminal.action.type;
  if (type !== "redirect") {
    return servedAs === "rule"
      ? `${path} must not forward or answer over plain HTTP on an HTTP listener, but its type is ${show(terminal.action.type)}: attach this rule to the HTTPS listener, or make it redirect to HTTPS.`
      : `${path} must redirect to HTTPS as the last action of an HTTP listener, but its type is ${show(terminal.action.type)}: make it a redirect with protocol "HTTPS", port "${STANDARD_HTTPS_PORT}" and statusCode "HTTP_301".`;
  }
  const redirect = terminal.action.redirect ?? {};
  const protocol = redirect.protocol;
  if (upper(protocol) !== "HTTPS") {
    return `${path}.redirect.protocol must be "HTTPS", but it is ${show(protocol)}${protocol === undefined ? ', which defaults to "#{protocol}" and keeps plain HTTP' : ""}: set it to "HTTPS".`;
  }
  // The port cannot be judged against ports this preview does not know; CrossGuard's advisory
  // for the unknown value says so.
  if (facts.httpsPortsIncomplete) return undefined;
  const port = redirect.port;
  const effectivePort = port === undefined || port === "#{port}" ? listenerPort : port;
  const portNumber = typeof effectivePort === "number" ? effectivePort : Number(effectivePort);
  // A load balancer outside this program may have HTTPS listeners this program cannot see: the
  // standard port is accepted there. One declared here without any is reported on its own.
  const acceptable = facts.resource || facts.httpsPorts.length > 0 ? facts.httpsPorts : [STANDARD_HTTPS_PORT];
  if (acceptable.length > 0 && !acceptable.includes(portNumber)) {
    const fix = acceptable[0] ?? STANDARD_HTTPS_PORT;
    const where = facts.httpsPorts.length > 0 ? `the port of ${describeHttpsPorts(acceptable)}` : `the standard HTTPS port (${STANDARD_HTTPS_PORT})`;
    const defaulted = port === undefined ? `, which defaults to "#{port}" and sends HTTPS to port ${show(listenerPort)}` : "";
    return `${path}.redirect.port must be ${where}, but it is ${show(port)}${defaulted}: set it to "${fix}".`;
  }
  return undefined;
}

export const albHttpRedirectsToHttps: StackValidationPolicy = {
  name: "alb-http-redirects-to-https",
  description: "HTTP listeners of application load balancers must redirect to HTTPS on a port where the load balancer has an HTTPS listener.",
  enforcementLevel: "mandatory",
  configSchema: { properties: {} },
  validateStack: (args, reportViolation) => {
    const listeners = args.resources.filter((resource) => LISTENER_TYPES.includes(resource.type));
    const rules = args.resources.filter((resource) => LISTENER_RULE_TYPES.includes(resource.type));

    // Every load balancer (declared or named by a literal ARN) and the ports of its HTTPS listeners.
    // An unknown value on one resource must not hide the verdicts on the others: every pass
    // goes on past it, and the first one is rethrown once all passes have reported.
    const unknowns = new DeferredUnknowns();
    const loadBalancers = new Map<string, LoadBalancerFacts>();
    const loadBalancerKey = new Map<PolicyResource, string | undefined>();
    for (const resource of args.resources) {
      if (LOAD_BALANCER_TYPES.includes(resource.type)) loadBalancers.set(resource.urn, { ...unlinkedFacts(), resource });
    }
    unknowns.checkEach(listeners, (listener) => {
      const key = referenceKey(listener, "loadBalancerArn", LOAD_BALANCER_TYPES);
      loadBalancerKey.set(listener, key);
      if (key === undefined) return;
      const facts = loadBalancers.get(key) ?? unlinkedFacts();
      loadBalancers.set(key, facts);
      try {
        if (upper(listener.props.protocol) !== "HTTPS") return;
        const port: unknown = listener.props.port;
        if (typeof port === "number") facts.httpsPorts.push(port);
      } catch (error) {
        facts.httpsPortsIncomplete = true;
        throw error;
      }
    });

    const redirectingLoadBalancers = new Map<string, PolicyResource>();
    const httpListeners = new Set<string>();
    unknowns.checkEach(listeners, (listener) => {
      const key = loadBalancerKey.get(listener);
      const facts = (key !== undefined ? loadBalancers.get(key) : undefined) ?? unlinkedFacts();
      if (!servesPlainHttp(listener, facts.resource)) return;
      httpListeners.add(listener.urn);
      const violation = redirectViolation(listener.props.defaultActions, "defaultActions", listener.props.port, facts, "default");
      if (violation) reportViolation(violation, listener.urn);
      // Without an HTTPS listener no redirect port can be right: reported once, on the load balancer.
      else if (facts.resource && facts.httpsPorts.length === 0 && !facts.httpsPortsIncomplete) redirectingLoadBalancers.set(facts.resource.urn, listener);
    });

    for (const [urn, listener] of redirectingLoadBalancers) {
      const loadBalancer = loadBalancers.get(urn)?.resource;
      reportViolation(
        `An application load balancer with an HTTP listener must have an HTTPS listener to receive the redirect, but ${show(loadBalancer?.name)} has only HTTP listeners (such as ${show(listener.name)}): add a listener with protocol "HTTPS" on port ${STANDARD_HTTPS_PORT}.`,
        urn,
      );
    }

    unknowns.checkEach(rules, (rule) => {
      const listener = dependencyOfType(rule, "listenerArn", LISTENER_TYPES);
      if (!listener || !httpListeners.has(listener.urn)) return;
      const key = loadBalancerKey.get(listener);
      const facts = (key !== undefined ? loadBalancers.get(key) : undefined) ?? unlinkedFacts();
      const violation = redirectViolation(rule.props.actions, "actions", listener.props.port, facts, "rule");
      if (violation) reportViolation(violation, rule.urn);
    });
    unknowns.rethrow();
  },
};
