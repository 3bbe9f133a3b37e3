// The seam between the front ends (the action, the command line) and the engines: one preview
// request in, one result out, whichever engine runs it. An engine that knows the stack's state
// can also deploy a saved plan. Front ends pick an engine by name from engines.ts and know
// nothing else about it.

import type { ChangeSummary, ResourceChange, StackOutput } from "../gate/outcome.js";
import type { Report } from "../gate/report.js";

export interface PreviewRequest {
  /** The Pulumi project directory (with Pulumi.yaml). */
  readonly workDir: string;
  /**
   * The stack: for the Pulumi CLI as `pulumi stack select` takes it ("dev", "org/dev",
   * "org/project/dev"); offline, the name of the Pulumi.<stack>.yaml whose config the program reads.
   */
  readonly stack: string;
  /** The policy packs, each ready to start: the bundled pack first, then the user's. */
  readonly packDirs: readonly string[];
  /** A policy configuration file in Pulumi's --policy-pack-config format, for every pack. */
  readonly policyConfigFile?: string | undefined;
  /** Refresh the stack's state before the preview. */
  readonly refresh?: boolean;
  /** Type-check TypeScript programs as `pulumi preview` does by default (engines that run the program). */
  readonly typeCheck?: boolean;
  /** Run the program without Node.js's permission model (engines that run the program). */
  readonly unrestricted?: boolean;
  /**
   * Download a provider plugin that is not installed (engines that build remote components
   * themselves); undefined: never.
   */
  readonly pluginDownload?: PluginDownload | undefined;
  /**
   * What to do with a remote component whose plugin the engine cannot get (engines that build
   * remote components themselves); undefined: the check is an error.
   */
  readonly unbuiltComponents?: UnbuiltComponents | undefined;
  /** Save the update plan there (engines that know the stack's state). */
  readonly savePlanTo?: string | undefined;
  /** The exact Pulumi CLI version to run (engines that run the CLI). */
  readonly pulumiVersion?: string | undefined;
  /** A directory whose bin/pulumi is the CLI to run (tests: the stand-in). */
  readonly pulumiCommandRoot?: string | undefined;
  /** Called as the engine makes progress (each engine event), for the action's timings. */
  readonly onProgress?: () => void;
  /**
   * Called with the stack's secret values (its secret config) once the engine has read them,
   * before the program runs and before any of its output: for the front end's masker.
   */
  readonly onSecrets?: (values: readonly string[]) => void;
}

/** How the front ends name the ways to get a plugin that is not installed; "never" is no PluginDownload. */
export const PLUGIN_DOWNLOAD_MODES = ["verified", "unverified", "never"] as const;
export type PluginDownloadMode = (typeof PLUGIN_DOWNLOAD_MODES)[number];

/** How an engine may get a remote component's provider plugin that is not installed. */
export interface PluginDownload {
  /** "verified": only an archive that matches the checksums its release publishes; "unverified": also one nothing vouches for. */
  readonly mode: Exclude<PluginDownloadMode, "never">;
  /** The gate's own folder for verified archives, kept between runs (the runner's tool cache). */
  readonly cacheDir: string;
  /** Where a run unpacks the plugins it uses, in a folder of its own removed when the run ends. */
  readonly tempDir: string;
  /** How the front end names this setting in messages, e.g. `input plugin-download "verified"`. */
  readonly setting: string;
  readonly log: { readonly info: (text: string) => void; readonly warning: (text: string) => void };
  /** The release base URLs to try for a package without a pluginDownloadURL (tests: loopback). */
  readonly sources?: (name: string, version: string) => readonly string[];
  /** The packages whose plugins may be downloaded, each with its lowest version; default DOWNLOADABLE_PACKAGES (tests: their own). */
  readonly packages?: ReadonlyMap<string, string>;
}

export const UNBUILT_COMPONENTS_MODES = ["error", "warn"] as const;
export type UnbuiltComponentsMode = (typeof UNBUILT_COMPONENTS_MODES)[number];

/**
 * What happens to a remote component whose provider plugin is not available to the gate (not
 * installed, its download failed, or a registration the engine does not construct): "error" fails
 * the check; "warn" records the component without what is inside it, and the report warns that
 * its resources were not checked. A plugin that is there but fails is an error either way.
 */
export interface UnbuiltComponents {
  readonly mode: UnbuiltComponentsMode;
  /** How the front end names this setting in messages, e.g. `input unbuilt-components "warn"`. */
  readonly setting: string;
}

export interface PreviewResult {
  readonly report: Report;
  /** One entry per resource: its last step. */
  readonly changes: readonly ResourceChange[];
  /** One entry per step (resource, operation): a replacement keeps the properties that force it. */
  readonly steps: readonly ResourceChange[];
  /** op → count; undefined when the engine knows no stack state (offline). */
  readonly changeSummary: ChangeSummary | undefined;
  /** The error diagnostics of the run, oldest first, without colour directives. */
  readonly errors: readonly string[];
}

export interface DeployRequest {
  readonly workDir: string;
  readonly stack: string;
  /** The update plan a preview saved: the update cannot stray from it. */
  readonly plan: string;
  readonly pulumiVersion?: string | undefined;
  readonly pulumiCommandRoot?: string | undefined;
  /** As PreviewRequest's: the stack's secret values, before the update runs. */
  readonly onSecrets?: (values: readonly string[]) => void;
}

export interface DeployResult {
  readonly changeSummary: ChangeSummary;
  /** Stack outputs, every secret replaced by "[secret]". */
  readonly outputs: Readonly<Record<string, StackOutput>>;
}

export interface Engine {
  /**
   * How the engine names stacks: "qualified" as the Pulumi CLI does ("dev", "org/dev",
   * "org/project/dev"); "bare" as the name of a Pulumi.<stack>.yaml file.
   */
  readonly stackNames: "qualified" | "bare";
  /** Runs the program's preview with the policy packs. An error that prevents a verdict is thrown (GateError). */
  preview(request: PreviewRequest): Promise<PreviewResult>;
  /**
   * Deploys a saved plan, for engines that know the stack's state. A failure is thrown as a
   * GateError whose `details` are the engine's diagnostics (some resources may have changed).
   */
  readonly deploy?: (request: DeployRequest) => Promise<DeployResult>;
}
