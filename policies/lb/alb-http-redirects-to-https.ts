// alb-http-redirects-to-https: every HTTP listener of an application load balancer redirects to
// HTTPS, on a port where that load balancer has an HTTPS listener and none that speaks plain
// HTTP; rules on such a listener do not serve over plain HTTP; a load balancer that redirects has
// an HTTPS listener to receive it; a load balancer's type is one AWS accepts.
// A stack policy: a listener alone does not say which load balancer type it is on, nor which
// ports of that load balancer speak HTTPS.

import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { checkedConfig, packConfigSchema, unknownValuesSetting } from "../config";
import { show } from "../messages";
import { DeferredUnknowns } from "../preview";
import { LISTENER_RULE_TYPES, LISTENER_TYPES, LOAD_BALANCER_TYPES } from "../resource-types";
import { dependencyOfType, referenceKey, terminalAction } from "./load-balancer-topology";

const NAME = "alb-http-redirects-to-https";
const CONFIG_SCHEMA = packConfigSchema();

const STANDARD_HTTPS_PORT = 443;

/** The values AWS accepts for loadBalancerType, exactly (the provider compares them case-sensitively). */
const LOAD_BALANCER_TYPE_VALUES = ["application", "network", "gateway"];
/** What a value AWS does not accept most likely meant. */
const LOAD_BALANCER_TYPE_ALIASES: Readonly<Record<string, string>> = {
  alb: "application",
  nlb: "network",
  gwlb: "gateway",
  glb: "gateway",
};

interface LoadBalancerFacts {
  /** undefined when the load balancer is not declared in this program (an existing ARN). */
  readonly resource: PolicyResource | undefined;
  readonly httpsPorts: number[];
  /** The ports where a listener of this load balancer serves plain HTTP: no HTTPS listener can be there. */
  readonly httpPorts: Map<number, PolicyResource>;
  /** A listener's protocol or port is unknown during this preview: the ports above may be incomplete. */
  portsIncomplete: boolean;
}

function unlinkedFacts(): LoadBalancerFacts {
  return { resource: undefined, httpsPorts: [], httpPorts: new Map(), portsIncomplete: false };
}

function upper(value: unknown): string | undefined {
  return typeof value === "string" ? value.toUpperCase() : undefined;
}

/**
 * A load balancer's type: omitted means application; a value AWS does not accept is taken for
 * the type it spells in another case ("Application"), else for unknown (it is reported itself).
 */
function loadBalancerType(declared: unknown): string | undefined {
  if (declared === undefined || declared === null) return "application";
  const lower = typeof declared === "string" ? declared.toLowerCase() : undefined;
  return lower !== undefined && LOAD_BALANCER_TYPE_VALUES.includes(lower) ? lower : undefined;
}

/** The violation for a loadBalancerType AWS does not accept, if it is one. */
function loadBalancerTypeViolation(declared: unknown): string | undefined {
  if (declared === undefined || declared === null) return undefined;
  if (typeof declared === "string" && LOAD_BALANCER_TYPE_VALUES.includes(declared)) return undefined;
  const lower = typeof declared === "string" ? declared.toLowerCase() : "";
  const meant = LOAD_BALANCER_TYPE_VALUES.includes(lower) ? lower : LOAD_BALANCER_TYPE_ALIASES[lower];
  return `loadBalancerType must be "application", "network" or "gateway", but it is ${show(declared)}, which AWS does not accept: set it to ${meant ? `"${meant}"` : "the type you mean"}.`;
}

/**
 * Whether a listener serves plain HTTP on an application load balancer. Protocol HTTP exists
 * only there; an omitted protocol means HTTP on an ALB. On a load balancer outside this program
 * (or of a type AWS does not accept) an omitted protocol counts as HTTP when a port is set
 * (network load balancers require a protocol, gateway load balancers take no port).
 */
function servesPlainHttp(listener: PolicyResource, type: string | undefined): boolean {
  const protocol = upper(listener.props.protocol);
  if (protocol !== undefined) return protocol === "HTTP";
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
  listener: PolicyResource,
  listenerPort: unknown,
  facts: LoadBalancerFacts,
  servedAs: "default" | "rule",
): string | undefined {
  const suggestedPort = facts.httpsPorts[0] ?? STANDARD_HTTPS_PORT;
  const terminal = terminalAction(actions);
  if (!terminal) {
    return `${property} must end in a redirect to HTTPS, but it is ${show(actions)}: add a redirect action with protocol "HTTPS", port "${suggestedPort}" and statusCode "HTTP_301".`;
  }
  const path = `${property}[${terminal.index}]`;
  const type = typeof terminal.action.type === "string" ? terminal.action.type.toLowerCase() : terminal.action.type;
  if (type !== "redirect") {
    return servedAs === "rule"
      ? `${path} must not forward or answer over plain HTTP on an HTTP listener, but its type is ${show(terminal.action.type)}: attach this rule to the HTTPS listener, or make it redirect to HTTPS.`
      : `${path} must redirect to HTTPS as the last action of an HTTP listener, but its type is ${show(terminal.action.type)}: make it a redirect with protocol "HTTPS", port "${suggestedPort}" and statusCode "HTTP_301".`;
  }
  const redirect = terminal.action.redirect ?? {};
  const protocol = redirect.protocol;
  if (upper(protocol) !== "HTTPS") {
    return `${path}.redirect.protocol must be "HTTPS", but it is ${show(protocol)}${protocol === undefined ? ', which defaults to "#{protocol}" and keeps plain HTTP' : ""}: set it to "HTTPS".`;
  }
  // The port cannot be judged against ports this preview does not know; the unknown value is
  // settled with the others (an advisory, or a violation with unknownValues "mandatory").
  if (facts.portsIncomplete) return undefined;
  const port = redirect.port;
  const keepsPort = port === undefined || port === "#{port}";
  const effectivePort = keepsPort ? listenerPort : port;
  const portNumber = typeof effectivePort === "number" ? effectivePort : Number(effectivePort);
  if (facts.httpsPorts.length > 0) {
    if (facts.httpsPorts.includes(portNumber)) return undefined;
    const defaulted = port === undefined ? `, which defaults to "#{port}" and sends HTTPS to port ${show(listenerPort)}` : "";
    return `${path}.redirect.port must be the port of ${describeHttpsPorts(facts.httpsPorts)}, but it is ${show(port)}${defaulted}: set it to "${suggestedPort}".`;
  }
  // A load balancer declared here without any HTTPS listener is reported once, on itself.
  if (facts.resource) return undefined;
  // A load balancer outside this program may have HTTPS listeners this program cannot see, but
  // AWS allows one listener per port: where one of its listeners serves plain HTTP (this one
  // included, with the default "#{port}"), no HTTPS listener can be.
  const plainHttp = facts.httpPorts.get(portNumber);
  if (plainHttp) {
    const given =
      port === undefined
        ? `not set, which defaults to "#{port}" and sends HTTPS back to port ${portNumber}`
        : port === "#{port}"
          ? `"#{port}", which sends HTTPS back to port ${portNumber}`
          : show(port);
    const serving = plainHttp !== listener ? `listener ${show(plainHttp.name)}` : servedAs === "rule" ? "its listener" : "this listener";
    const fix = facts.httpPorts.has(STANDARD_HTTPS_PORT) ? "the port of the load balancer's HTTPS listener" : `"${STANDARD_HTTPS_PORT}"`;
    return `${path}.redirect.port must be a port where the load balancer listens for HTTPS, but it is ${given}, where ${serving} serves plain HTTP, so no HTTPS listener can be there (one listener per port): set it to ${fix}.`;
  }
  // Otherwise the standard port is accepted, or any other when the standard one serves plain HTTP.
  if (portNumber !== STANDARD_HTTPS_PORT && !facts.httpPorts.has(STANDARD_HTTPS_PORT)) {
    const defaulted = port === undefined ? `, which defaults to "#{port}" and sends HTTPS to port ${show(listenerPort)}` : "";
    return `${path}.redirect.port must be the standard HTTPS port (${STANDARD_HTTPS_PORT}), but it is ${show(port)}${defaulted}: set it to "${STANDARD_HTTPS_PORT}".`;
  }
  return undefined;
}

export const albHttpRedirectsToHttps: StackValidationPolicy = {
  name: NAME,
  description:
    "HTTP listeners of application load balancers must redirect to HTTPS on a port where the load balancer has an HTTPS listener.",
  enforcementLevel: "mandatory",
  configSchema: CONFIG_SCHEMA,
  validateStack: (args, reportViolation) => {
    const config = checkedConfig(NAME, CONFIG_SCHEMA, args.getConfig());
    const listeners = args.resources.filter((resource) => LISTENER_TYPES.includes(resource.type));
    const rules = args.resources.filter((resource) => LISTENER_RULE_TYPES.includes(resource.type));
    const declaredLoadBalancers = args.resources.filter((resource) => LOAD_BALANCER_TYPES.includes(resource.type));

    // An unknown value on one resource must not hide the verdicts on the others: every pass
    // goes on past it, and the unknowns are settled once all passes have reported.
    const unknowns = new DeferredUnknowns(unknownValuesSetting(config), reportViolation);
    const types = new Map<string, string | undefined>();
    unknowns.checkEach(declaredLoadBalancers, (loadBalancer) => {
      const declared: unknown = loadBalancer.props.loadBalancerType;
      types.set(loadBalancer.urn, loadBalancerType(declared));
      const violation = loadBalancerTypeViolation(declared);
      if (violation) reportViolation(violation, loadBalancer.urn);
    });
    /** The type of a declared load balancer (unknown types are the load balancer's own unknown). */
    const typeOf = (loadBalancer: PolicyResource | undefined): string | undefined =>
      loadBalancer
        ? unknowns.readOf(loadBalancer, () =>
            types.has(loadBalancer.urn) ? types.get(loadBalancer.urn) : loadBalancerType(loadBalancer.props.loadBalancerType),
          )
        : undefined;

    // Every load balancer (declared or named by a literal ARN) and the ports of its listeners.
    const loadBalancers = new Map<string, LoadBalancerFacts>();
    const loadBalancerKey = new Map<PolicyResource, string | undefined>();
    for (const resource of declaredLoadBalancers) loadBalancers.set(resource.urn, { ...unlinkedFacts(), resource });
    unknowns.checkEach(listeners, (listener) => {
      const key = referenceKey(listener, "loadBalancerArn", LOAD_BALANCER_TYPES);
      loadBalancerKey.set(listener, key);
      if (key === undefined) return;
      const facts = loadBalancers.get(key) ?? unlinkedFacts();
      loadBalancers.set(key, facts);
      try {
        const port: unknown = listener.props.port;
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

    const factsOf = (listener: PolicyResource): LoadBalancerFacts => {
      const key = loadBalancerKey.get(listener);
      return (key !== undefined ? loadBalancers.get(key) : undefined) ?? unlinkedFacts();
    };

    const redirectingLoadBalancers = new Map<string, PolicyResource>();
    const httpListeners = new Set<string>();
    unknowns.checkEach(listeners, (listener) => {
      const facts = factsOf(listener);
      if (!servesPlainHttp(listener, typeOf(facts.resource))) return;
      httpListeners.add(listener.urn);
      const violation = redirectViolation(listener.props.defaultActions, "defaultActions", listener, listener.props.port, facts, "default");
      if (violation) reportViolation(violation, listener.urn);
      // Without an HTTPS listener no redirect port can be right: reported once, on the load balancer.
      else if (facts.resource && facts.httpsPorts.length === 0 && !facts.portsIncomplete)
        redirectingLoadBalancers.set(facts.resource.urn, listener);
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
      const listenerPort = unknowns.readOf(listener, (): unknown => listener.props.port);
      const violation = redirectViolation(rule.props.actions, "actions", listener, listenerPort, factsOf(listener), "rule");
      if (violation) reportViolation(violation, rule.urn);
    });
    unknowns.settle();
  },
};
