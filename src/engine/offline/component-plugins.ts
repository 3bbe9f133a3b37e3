// Remote components for the offline engine. `@pulumi/awsx` (v1 and later) and
// `@pulumi/aws-apigateway` register their components with `remote: true`: the SDK sends only the
// component's type, name and arguments, and the engine has the package's provider plugin build
// it. The plugin registers the component and everything inside it with the engine's resource
// monitor, then answers with the component's URN and outputs. ComponentPlugins plays the
// engine's part in that: it finds the installed plugin as the CLI does, starts it (one process per
// package and version per run), configures it with the stack's configuration of its package and
// calls Construct. Anything that keeps the component from being built is a ComponentPluginError:
// the preview fails rather than pass without the component's resources.

import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import type providerProto from "@pulumi/pulumi/proto/provider_pb.js";
import type resourceProto from "@pulumi/pulumi/proto/resource_pb.js";
import type { PluginDownload } from "../engine.js";
import { ComponentPluginError, type ComponentIdentity } from "./plugins/component-plugin-error.js";
import { EngineService } from "./plugins/engine-service.js";
import { DOWNLOADABLE_PACKAGES, downloadPlugin } from "./plugins/plugin-install.js";
import { findInstalledPlugin, pulumiHome, type InstalledPlugin } from "./plugins/plugin-location.js";
import { outputNote, PluginProcess, PluginStartError } from "./plugins/plugin-process.js";
import { configurePlugin, grpcDetail, unary } from "./plugins/plugin-setup.js";
import { constructRequest, type ComponentRun } from "./plugins/provider-requests.js";
import { constructedComponent, type ConstructedComponent } from "./plugins/constructed-component.js";
import type { AcceptedForms } from "./plugins/property-values.js";

export type { ComponentRun } from "./plugins/provider-requests.js";
export { ComponentPluginError, type ComponentIdentity, type ComponentPluginFailure } from "./plugins/component-plugin-error.js";
export { downloadPlugin, PluginDownloadError, type PluginDownloadRequest } from "./plugins/plugin-install.js";
export { registerResourceResponse, type ConstructedComponent } from "./plugins/constructed-component.js";

export interface ComponentPluginsOptions {
  /** The Pulumi home whose `plugins/` holds the installed plugins; default `$PULUMI_HOME`, else `~/.pulumi`. */
  readonly pulumiHome?: string;
  /** The plugins' environment; default the gate's own. */
  readonly env?: NodeJS.ProcessEnv;
  /** How long a plugin may take to print its port and answer; default 60 s. */
  readonly startTimeoutMs?: number;
  /** How long one call (CheckConfig, Configure, Construct) may take; default 5 min. */
  readonly callTimeoutMs?: number;
  /**
   * Download a plugin of the asked-for version that is not installed, from its release archive,
   * into a Pulumi home of this run (removed by close()); default: never.
   */
  readonly download?: (PluginDownload & { readonly fetch?: typeof fetch }) | undefined;
}

interface StartedPlugin {
  readonly process: PluginProcess;
  readonly accepted: AcceptedForms;
  readonly component: ComponentIdentity;
}

/** A plugin process of the run. */
export interface RunningPlugin {
  readonly package: string;
  readonly version: string;
  readonly pid: number | undefined;
}

export class ComponentPlugins {
  private readonly plugins = new Map<string, Promise<StartedPlugin>>();
  /** Every plugin process started and not stopped yet, for killNow(). */
  private readonly processes = new Set<PluginProcess>();
  private engine: Promise<EngineService> | undefined;
  private closed = false;
  private readonly home: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly startTimeoutMs: number;
  private readonly callTimeoutMs: number;
  private readonly download: ComponentPluginsOptions["download"];
  /** The plugins this run downloaded, by package and version: each is fetched and unpacked once. */
  private readonly downloads = new Map<string, Promise<InstalledPlugin>>();
  /** This run's own Pulumi home, for the plugins it downloaded; made on the first download. */
  private runHome: string | undefined;

  constructor(
    private readonly run: ComponentRun,
    options: ComponentPluginsOptions = {},
  ) {
    this.env = options.env ?? process.env;
    this.home = options.pulumiHome ?? pulumiHome(this.env);
    this.startTimeoutMs = options.startTimeoutMs ?? 60_000;
    this.callTimeoutMs = options.callTimeoutMs ?? 300_000;
    this.download = options.download;
  }

  /**
   * Has the package's plugin build the component of a RegisterResource request with `remote`
   * set. The plugin registers the component and its children with the run's monitor before
   * this resolves; the monitor answers the request with the result.
   */
  async construct(registration: resourceProto.RegisterResourceRequest): Promise<ConstructedComponent> {
    try {
      return await this.build(registration);
    } catch (error) {
      if (error instanceof ComponentPluginError) error.packageHasPlugin = this.hasPlugin(error.component.package);
      throw error;
    }
  }

  /** Whether the run has a plugin of the package: installed in any version, or one it may download. */
  private hasPlugin(pkg: string): boolean {
    if (this.download && (this.download.packages ?? DOWNLOADABLE_PACKAGES).has(pkg)) return true;
    const search = findInstalledPlugin(this.home, pkg, "");
    return search.found || search.installedVersions.length > 0;
  }

  private async build(registration: resourceProto.RegisterResourceRequest): Promise<ConstructedComponent> {
    const type = registration.getType();
    const pkg = type.split(":")[0] ?? type;
    let component: ComponentIdentity = { type, name: registration.getName(), package: pkg, version: registration.getVersion() };
    if (this.closed) throw new ComponentPluginError("unsupported", component, "the run is over (its plugins were closed)");
    if (registration.getProvider()) {
      throw new ComponentPluginError("unsupported", component, `its explicit ${pkg} provider is not supported offline`);
    }
    if (registration.getPackageref()) {
      throw new ComponentPluginError("unsupported", component, "a parameterized package is not supported offline");
    }
    const installed = await this.locate(registration, component);
    component = { ...component, version: installed.version };
    let plugin: StartedPlugin;
    try {
      plugin = await this.started(installed, component);
    } catch (error) {
      // One plugin process per package and version: its failure to start fails each of its components.
      throw error instanceof ComponentPluginError ? error.about(component) : error;
    }
    const request = constructRequest(this.run, registration, plugin.accepted);
    let response: providerProto.ConstructResponse;
    try {
      response = await unary(plugin.process.client.construct.bind(plugin.process.client), request, this.callTimeoutMs);
    } catch (error) {
      const exit = plugin.process.exit;
      if (exit) {
        throw new ComponentPluginError("plugin-failed", component, `it stopped (${exit})${outputNote(plugin.process.recentOutput)}`);
      }
      throw new ComponentPluginError("construct-failed", component, grpcDetail(error, this.callTimeoutMs));
    }
    return constructedComponent(registration, response);
  }

  /** Errors the plugins logged; the CLI fails an update when a plugin logs one, and so should the run. */
  async loggedErrors(): Promise<string[]> {
    return this.engine ? (await this.engine).errors : [];
  }

  /** The plugins started so far that are still running. */
  async runningPlugins(): Promise<RunningPlugin[]> {
    const started = await Promise.allSettled(this.plugins.values());
    return started.flatMap((outcome) =>
      outcome.status === "fulfilled" && outcome.value.process.exit === undefined
        ? [{ package: outcome.value.component.package, version: outcome.value.component.version, pid: outcome.value.process.pid }]
        : [],
    );
  }

  /** Stops every plugin (and the processes they started) and the engine service. */
  async close(): Promise<void> {
    this.closed = true;
    const started = await Promise.allSettled(this.plugins.values());
    this.plugins.clear();
    await Promise.all(started.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value.process.stop()] : [])));
    this.processes.clear();
    const engine = this.engine;
    this.engine = undefined;
    if (engine) await (await engine).stop();
    await Promise.allSettled(this.downloads.values());
    this.downloads.clear();
    if (this.runHome) rmSync(this.runHome, { recursive: true, force: true });
    this.runHome = undefined;
  }

  /**
   * Kills every plugin process group at once, without waiting: for exit paths that cannot await
   * close() (the runner's disconnect handler). The plugins lead their own process groups, so
   * ending the runner's group does not end them.
   */
  killNow(): void {
    for (const plugin of this.processes) plugin.killNow();
  }

  /**
   * The installed plugin: the user's, where the CLI keeps them, else one this run downloaded (when
   * the options allow and a version was asked for).
   */
  private async locate(registration: resourceProto.RegisterResourceRequest, component: ComponentIdentity): Promise<InstalledPlugin> {
    const search = findInstalledPlugin(this.home, component.package, component.version);
    if (search.found) return search.plugin;
    const installed = search.installedVersions.length > 0 ? `; installed: ${search.installedVersions.join(", ")}` : "";
    const missing = `${search.problem ?? `no ${search.searched}`}${installed}`;
    const download = this.download;
    if (!download || !component.version || search.problem) throw new ComponentPluginError("plugin-not-installed", component, missing);
    const key = `${component.package}@${component.version}`;
    let downloaded = this.downloads.get(key);
    if (!downloaded) {
      const checksums: Record<string, Uint8Array> = {};
      registration.getPluginchecksumsMap().forEach((digest, platform) => {
        checksums[platform] = typeof digest === "string" ? Buffer.from(digest, "base64") : digest;
      });
      this.runHome ??= mkdtempSync(path.join(download.tempDir, "policy-gate-plugins-"));
      downloaded = downloadPlugin({
        ...download,
        runHome: this.runHome,
        name: component.package,
        version: component.version,
        downloadUrl: registration.getPlugindownloadurl() || undefined,
        checksums,
      });
      this.downloads.set(key, downloaded);
    }
    try {
      return await downloaded;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new ComponentPluginError("plugin-download-failed", component, `${missing}; ${why}`);
    }
  }

  private engineService(): Promise<EngineService> {
    this.engine ??= EngineService.start();
    return this.engine;
  }

  private started(installed: InstalledPlugin, component: ComponentIdentity): Promise<StartedPlugin> {
    const key = `${installed.name}@${installed.version}`;
    let plugin = this.plugins.get(key);
    if (!plugin) {
      plugin = this.start(installed, component);
      this.plugins.set(key, plugin);
    }
    return plugin;
  }

  private async start(installed: InstalledPlugin, component: ComponentIdentity): Promise<StartedPlugin> {
    const engine = await this.engineService();
    let plugin: PluginProcess;
    try {
      plugin = await PluginProcess.start({
        executable: installed.executable,
        engineAddress: engine.address,
        cwd: this.run.programDirectory,
        env: { ...this.env, PULUMI_PROJECT: this.run.project },
        startTimeoutMs: this.startTimeoutMs,
      });
    } catch (error) {
      const detail = error instanceof PluginStartError ? error.message : String(error);
      throw new ComponentPluginError("plugin-did-not-start", component, `${installed.executable}: ${detail}`);
    }
    this.processes.add(plugin);
    try {
      // A run closed while the plugin started must not leave it running.
      if (this.closed) throw new ComponentPluginError("unsupported", component, "the run is over (its plugins were closed)");
      const accepted = await configurePlugin({
        run: this.run,
        plugin,
        installed,
        engineAddress: engine.address,
        component,
        callTimeoutMs: this.callTimeoutMs,
      });
      return { process: plugin, accepted, component };
    } catch (error) {
      await plugin.stop();
      this.processes.delete(plugin);
      throw error;
    }
  }
}
