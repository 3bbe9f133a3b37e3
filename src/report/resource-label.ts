// How the comment names a resource: its name, a short type, and the component it belongs to.

import type { ReportedResource } from "../gate/report.js";
import { nameFromUrn, parentTypeFromUrn, qualifiedTypeFromUrn, typeFromUrn } from "../gate/urn.js";
import { codeSpan } from "./untrusted-text.js";

const NAME_LIMIT = 200;

/**
 * A type as a reader scans it: "aws:lb/listener:Listener" is "lb.Listener",
 * "acme:index:WebService" is "WebService". Anything not of the form package:module:Name is kept.
 */
export function shortType(type: string): string {
  const parts = type.split(":");
  if (parts.length !== 3) return type;
  const [, module = "", name = ""] = parts;
  const first = module.split("/")[0] ?? "";
  return first === "" || first === "index" ? name : `${first}.${name}`;
}

/**
 * Finds a resource's component parent among the reported resources: the URN's type chain names
 * the parent's qualified type, and the parent is the resource with that qualified type when
 * exactly one has it (two components of one type leave it open: then only the type is shown).
 */
export class ComponentParents {
  private readonly byQualifiedType = new Map<string, ReportedResource | null>();

  constructor(resources: readonly ReportedResource[]) {
    for (const resource of resources) {
      const qualified = qualifiedTypeFromUrn(resource.urn);
      this.byQualifiedType.set(qualified, this.byQualifiedType.has(qualified) ? null : resource);
    }
  }

  /** "in `web` (WebService)" or "in a WebService"; empty for a resource whose parent is the stack. */
  describe(urn: string): string {
    const parentType = parentTypeFromUrn(urn);
    if (parentType === undefined) return "";
    const ownType = parentType.split("$").pop() ?? parentType;
    const parent = this.byQualifiedType.get(parentType);
    const type = codeSpan(shortType(ownType), NAME_LIMIT);
    return parent ? `in ${codeSpan(parent.name || nameFromUrn(parent.urn), NAME_LIMIT)} (${type})` : `in a ${type}`;
  }
}

/** The resource's name as code (copyable, nothing in it read as Markdown). */
export function resourceName(urn: string): string {
  return codeSpan(nameFromUrn(urn), NAME_LIMIT);
}

/** The resource's short type as code. */
export function resourceType(type: string, urn: string): string {
  return codeSpan(shortType(type || typeFromUrn(urn)), NAME_LIMIT);
}
