// Which listener belongs to which load balancer, and which rule to which listener. During a
// real preview the ARNs of resources being created are unknown, so the links come from the
// engine's propertyDependencies (the URNs an input was computed from); a literal ARN (an
// existing load balancer) links listeners that name the same ARN.

import type { PolicyResource } from "@pulumi/policy";
import { readOrUndefined } from "../preview";

/** The resource an input was computed from, when it is one of `types`. */
export function dependencyOfType(resource: PolicyResource, property: string, types: readonly string[]): PolicyResource | undefined {
  return resource.propertyDependencies[property]?.find((dependency) => types.includes(dependency.type));
}

/**
 * A key shared by everything that points at the same resource through `property`: the URN it
 * depends on, or else the literal value. Undefined when neither is known.
 */
export function referenceKey(resource: PolicyResource, property: string, types: readonly string[]): string | undefined {
  const dependency = dependencyOfType(resource, property, types);
  if (dependency) return dependency.urn;
  const literal: unknown = readOrUndefined((): unknown => resource.props[property]);
  return typeof literal === "string" && literal !== "" ? `literal:${literal}` : undefined;
}

export interface Action {
  readonly type: unknown;
  readonly order: unknown;
  readonly redirect: Record<string, unknown> | undefined;
}

/**
 * The action that decides a request's fate: the last one once sorted by `order` (actions
 * without one keep their place in the list), with its index in the list as written.
 */
export function terminalAction(actions: unknown): { readonly action: Action; readonly index: number } | undefined {
  if (!Array.isArray(actions) || actions.length === 0) return undefined;
  const indexed = actions.map((action: unknown, index) => ({ action: (action ?? {}) as Action, index }));
  const orderOf = (entry: { action: Action; index: number }): number =>
    typeof entry.action.order === "number" ? entry.action.order : entry.index + 1;
  const sorted = [...indexed].sort((a, b) => orderOf(a) - orderOf(b) || a.index - b.index);
  return sorted[sorted.length - 1];
}
