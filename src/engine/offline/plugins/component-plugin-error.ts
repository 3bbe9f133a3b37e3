// The one error a remote component can end a preview with. The real engine would run the
// component package's provider plugin to build what is inside the component; when the offline
// engine cannot, no policy would see those resources, so the preview fails instead of passing
// without them. Every message names the component, its package and version, and the way out.

import { GateError } from "../../../gate/errors.js";

export type ComponentPluginFailure =
  | "plugin-not-installed" // no plugin of that package (and version) under PULUMI_HOME/plugins
  | "plugin-download-failed" // not installed, and its release archive could not be downloaded or verified
  | "plugin-did-not-start" // the plugin exited, printed no port or did not answer in time
  | "plugin-failed" // the plugin refused its configuration or died while working
  | "construct-failed" // the plugin's Construct answered with an error (the component threw)
  | "unsupported"; // a registration the offline engine does not construct (explicit provider, …)

/** The component a plugin was asked to build. */
export interface ComponentIdentity {
  readonly type: string;
  readonly name: string;
  /** The package: the type token's first part (`awsx` for `awsx:lb:ApplicationLoadBalancer`). */
  readonly package: string;
  /** The plugin version asked for or found; empty when none was asked for and none is installed. */
  readonly version: string;
}

export class ComponentPluginError extends GateError {
  /**
   * Whether the gate has a plugin of the component's package at all (installed in some version, or
   * one it may download): then the program could have had the component built, and a failure is
   * never one that unbuilt-components "warn" lets pass (a program could otherwise skip its own
   * component by naming a version that is not there, or an explicit provider).
   */
  packageHasPlugin = false;

  constructor(
    readonly failure: ComponentPluginFailure,
    readonly component: ComponentIdentity,
    /** What went wrong, without the component and the way out. */
    readonly detail: string,
  ) {
    super("preview-failed", componentPluginMessage(failure, component, detail));
    this.name = "ComponentPluginError";
  }

  /** The same failure, about another component of the same package. */
  about(component: ComponentIdentity): ComponentPluginError {
    return component.name === this.component.name && component.type === this.component.type
      ? this
      : new ComponentPluginError(this.failure, component, this.detail);
  }
}

function installCommand(component: ComponentIdentity): string {
  return `pulumi plugin install resource ${component.package}${component.version ? ` ${component.version}` : ""}`;
}

/** The sentence a user reads: what could not be built, why, and how to fix it. */
export function componentPluginMessage(failure: ComponentPluginFailure, component: ComponentIdentity, detail: string): string {
  const release = component.version ? ` v${component.version}` : "";
  const subject =
    `the component '${component.name}' (${component.type}) is a remote component of package ${component.package}${release}, ` +
    `built by the ${component.package} provider plugin`;
  const useCli = `or run the gate with engine "pulumi"`;
  switch (failure) {
    case "plugin-not-installed":
      return `${subject}, which is not installed (${detail}): install it with "${installCommand(component)}", ${useCli}`;
    case "plugin-download-failed":
      return `${subject}, which is not installed, and getting it failed: ${detail}; install it in a step before the gate with "${installCommand(component)}", ${useCli}`;
    case "plugin-did-not-start":
      return `${subject}, which did not start: ${detail}; reinstall it with "${installCommand(component)}", ${useCli}`;
    case "plugin-failed":
      return `${subject}, which failed: ${detail}; check the ${component.package} configuration of the stack, ${useCli}`;
    case "construct-failed":
      return `${subject}, which could not build it: ${detail}; check the component's arguments, ${useCli}`;
    case "unsupported":
      return `${subject}: ${detail}; run the gate with engine "pulumi" to check this program`;
  }
}
