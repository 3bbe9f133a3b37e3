// Pulumi URNs: urn:pulumi:<stack>::<project>::<qualified type>::<name>. The one place that
// reads them and builds the root stack's.

/**
 * The resource's name: what follows the third "::". Not the last segment: Pulumi accepts any
 * resource name, "::" included, and a name such as "evil::web-http" must not be shown as "web-http".
 */
export function nameFromUrn(urn: string): string {
  let start = 0;
  for (let delimiter = 0; delimiter < 3; delimiter++) {
    const index = urn.indexOf("::", start);
    if (index < 0) {
      const last = urn.lastIndexOf("::");
      return last >= 0 ? urn.slice(last + 2) : urn;
    }
    start = index + 2;
  }
  return urn.slice(start);
}

/** The resource's own type: the last type of a URN's qualified type chain (parent$child). */
export function typeFromUrn(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? qualified;
}

/** A URN's qualified type: its resource's type after the types of its component parents (parent$child). */
export function qualifiedTypeFromUrn(urn: string): string {
  return urn.split("::")[2] ?? "";
}

/**
 * The qualified type of the resource's component parent, from the URN's type chain; undefined
 * for a resource whose parent is the stack (the stack's type is not in the chain).
 */
export function parentTypeFromUrn(urn: string): string | undefined {
  const chain = qualifiedTypeFromUrn(urn).split("$");
  return chain.length > 1 ? chain.slice(0, -1).join("$") : undefined;
}

/** The project of a URN, undefined for what is not one. */
export function projectFromUrn(urn: string): string | undefined {
  return urn.startsWith("urn:pulumi:") ? urn.split("::")[1] || undefined : undefined;
}

/** The URN of a stack's root resource. `stack` is the bare name (URNs never hold org/project). */
export function rootStackUrn(project: string, stack: string): string {
  return `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
}

/** The bare stack name of "stack", "org/stack" or "org/project/stack", as URNs hold it. */
export function bareStackName(stack: string): string {
  return stack.split("/").at(-1) ?? stack;
}
