// The `pulumi` engine through the real Automation API, with a stand-in `pulumi` executable
// (test/stand-in-pulumi) that answers what the Automation API runs and replays engine event
// streams over the Automation API's event protocol: recorded ones (fixtures/events, see
// SOURCES.md) and our own previews of the ALB fixture (fixtures/events/own, see README.md).
// Each case has a temporary project directory with its own Pulumi.yaml and invocation log.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { bundledPackDir, bundledPackIdentity, packageRoot } from "../../../src/engine/bundled-pack.js";
import type { EngineEvent } from "../../../src/engine/pulumi/engine-events.js";
import { runPulumiPreview, type PulumiPreviewOptions, type PulumiPreviewResult } from "../../../src/engine/pulumi/preview.js";
import { pulumiInstallRoot } from "../../../src/engine/pulumi/pulumi-command.js";
import { GateError } from "../../../src/gate/errors.js";

const ROOT = packageRoot();
const STAND_IN = path.join(ROOT, "test", "stand-in-pulumi");
const EVENTS = path.join(ROOT, "fixtures", "events");
const OWN = path.join(EVENTS, "own");
const EXTRA_PACK = path.join(ROOT, "fixtures", "packs", "extra-advisory");

const scratch = mkdtempSync(path.join(os.tmpdir(), "pulumi-engine-test-"));
let caseCount = 0;

afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
});

interface Case {
  readonly workDir: string;
  readonly log: string;
}

function newCase(projectYaml = "name: alb\nruntime: nodejs\n"): Case {
  const workDir = path.join(scratch, `case-${++caseCount}`);
  mkdirSync(workDir, { recursive: true });
  writeFileSync(path.join(workDir, "Pulumi.yaml"), projectYaml);
  return { workDir, log: path.join(workDir, "invocations.jsonl") };
}

function readEvents(file: string): EngineEvent[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as EngineEvent);
}

interface Invocation {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: readonly string[];
}

function invocations(log: string): Invocation[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Invocation);
}

function preview(
  testCase: Case,
  events: string,
  options: Partial<PulumiPreviewOptions> & { readonly env?: Record<string, string> } = {},
): Promise<PulumiPreviewResult> {
  const { env, ...rest } = options;
  return runPulumiPreview({
    workDir: testCase.workDir,
    stackName: "dev",
    packDirs: [bundledPackDir()],
    requiredPack: bundledPackIdentity(),
    pulumiCommandRoot: STAND_IN,
    ...rest,
    envVars: { STAND_IN_PULUMI_EVENTS: events, STAND_IN_PULUMI_LOG: testCase.log, ...env, ...rest.envVars },
  });
}

async function gateError(promise: Promise<unknown>): Promise<GateError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(GateError);
  return error as GateError;
}

describe("runPulumiPreview through the Automation API and the stand-in CLI", () => {
  it("a clean preview passes, with the change summary, the resources and the pack from the engine's summary", async () => {
    const testCase = newCase();
    const result = await preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"));
    expect(result.report.verdict).toBe("pass");
    expect(result.report.failureReason).toBe("none");
    expect(result.report.engine).toBe("pulumi");
    expect(result.report.project).toBe("alb");
    expect(result.report.stack).toBe("dev");
    expect(result.report.violations).toEqual([]);
    expect(result.report.policyPacks).toEqual([{ name: "pulumi-policy-gate", version: "0.1.0" }]);
    expect(result.changeSummary).toEqual({ create: 7 });
    expect(result.hasChanges).toBe(true);
    expect(result.report.resources.map((resource) => resource.name)).toEqual([
      "alb-dev",
      "alb-sg",
      "inference-alb",
      "inference-tg",
      "http",
      "https",
      "api",
    ]);
    expect(result.project).toBe("alb");
    expect(result.exitCode).toBe(0);
    expect(result.stdoutTail).toContain("Previewing update (dev):");
    expect(result.events).toHaveLength(33);
  });

  it("mandatory violations fail the gate; the CLI's exit code 1 does not make the preview an error", async () => {
    const testCase = newCase();
    const result = await preview(testCase, path.join(OWN, "alb-preview-violations.jsonl"));
    expect(result.exitCode).toBe(1);
    expect(result.report.verdict).toBe("fail");
    expect(result.report.failureReason).toBe("policy-violations");
    expect(result.report.error).toBeUndefined();
    expect(result.report.violations).toEqual([
      {
        policy: "target-group-health-check",
        policyPack: "pulumi-policy-gate",
        enforcementLevel: "mandatory",
        urn: "urn:pulumi:dev::alb::aws:lb/targetGroup:TargetGroup::inference-tg",
        resourceType: "aws:lb/targetGroup:TargetGroup",
        message:
          'healthCheck.path must be set for an HTTP health check, but it is not set, so AWS checks "/" instead of the service\'s health endpoint: set healthCheck.path to "/health".',
      },
      {
        policy: "lb-tls-1-2-minimum",
        policyPack: "pulumi-policy-gate",
        enforcementLevel: "mandatory",
        urn: "urn:pulumi:dev::alb::aws:lb/listener:Listener::https",
        resourceType: "aws:lb/listener:Listener",
        message:
          'sslPolicy must allow nothing older than TLS 1.2, but "ELBSecurityPolicy-2016-08" allows TLS 1.0: set it to "ELBSecurityPolicy-TLS13-1-2-2021-06".',
      },
    ]);
  });

  it("a recorded stream with ten violations over every level fails, each violation kept", async () => {
    const testCase = newCase("name: test\nruntime: nodejs\n");
    const result = await preview(testCase, path.join(EVENTS, "TestSimpleAnalyzeResourceMultipleViolations__eventstream.jsonl"), {
      stackName: "test",
    });
    expect(result.exitCode).toBe(1);
    expect(result.report.verdict).toBe("fail");
    expect(result.report.violations).toHaveLength(10);
    expect(result.report.violations.filter((violation) => violation.enforcementLevel === "advisory")).toHaveLength(5);
  });

  it("advisory violations only: the gate passes and reports them", async () => {
    const testCase = newCase();
    const result = await preview(testCase, path.join(OWN, "alb-preview-advisory.jsonl"));
    expect(result.exitCode).toBe(0);
    expect(result.report.verdict).toBe("pass");
    expect(result.report.violations).toEqual([
      expect.objectContaining({
        policy: "lb-tls-1-2-minimum",
        enforcementLevel: "advisory",
        message:
          "can't run policy 'lb-tls-1-2-minimum' from policy pack 'pulumi-policy-gate@v0.1.0' during preview: string value at .sslPolicy can't be known during preview",
      }),
    ]);
  });

  it("a program error is an error verdict carrying the program's diagnostics", async () => {
    const testCase = newCase();
    const result = await preview(testCase, path.join(OWN, "alb-preview-program-error.jsonl"));
    expect(result.exitCode).toBe(1);
    expect(result.report.verdict).toBe("error");
    expect(result.report.failureReason).toBe("preview-failed");
    expect(result.report.error?.message).toContain("Error: Missing required configuration variable 'alb:certificateDomain'");
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ severity: "error", urn: "urn:pulumi:dev::alb::pulumi:pulumi:Stack::alb-dev" }),
    ]);
  });

  it("a recorded failing preview is an error verdict with the engine's messages", async () => {
    const testCase = newCase("name: test\nruntime: nodejs\n");
    const result = await preview(testCase, path.join(EVENTS, "TestMissingRead__-0-0-preview__eventstream.jsonl"), { stackName: "test" });
    expect(result.report.verdict).toBe("error");
    expect(result.report.error?.message).toBe("Preview failed: resource 'resA-some-id' does not exist\npreview failed");
  });

  it("a locked stack on Pulumi Cloud is a stack-locked GateError that says the stack is locked", async () => {
    const testCase = newCase();
    const error = await gateError(preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"), { env: { STAND_IN_PULUMI_LOCKED: "1" } }));
    expect(error.reason).toBe("stack-locked");
    expect(error.message).toContain(`stack "dev" in ${testCase.workDir} is locked: another update or preview is in progress`);
    expect(error.message).toContain("[409] Conflict: Another update is currently in progress.");
    expect(error.project).toBe("alb");
  });

  it("a locked stack on a self-managed backend (the CLI says the stack is currently locked by …) is the same GateError, never preview-failed", async () => {
    const testCase = newCase();
    const error = await gateError(preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"), { env: { STAND_IN_PULUMI_LOCKED: "diy" } }));
    expect(error.reason).toBe("stack-locked");
    expect(error.message).toMatch(/is locked: .*\n[\s\S]*the stack is currently locked by 1 lock\(s\)/);
    expect(error.message).toContain(`stack "dev" in ${testCase.workDir} is locked: another update or preview is in progress`);
    expect(error.message).toContain("file:///home/runner/.pulumi/locks/organization/project/dev/8d1f0b6e.json: created by runner@ci-host");
    expect(error.project).toBe("alb");
    expect(invocations(testCase.log).filter((call) => call.argv[0] === "preview")).toHaveLength(1);
  });

  it("an unknown stack is a config-error naming the stack and the project directory, with the CLI's words", async () => {
    const testCase = newCase();
    const error = await gateError(
      preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"), { env: { STAND_IN_PULUMI_STACKS: "prod,staging" } }),
    );
    expect(error.reason).toBe("config-error");
    expect(error.subject).toBe("stack");
    expect(error.message).toContain(`dev: no such stack for the Pulumi project in ${testCase.workDir}`);
    expect(error.message).toContain("error: no stack named 'dev' found");
    // Selecting failed, so no preview ran.
    expect(invocations(testCase.log).map((invocation) => invocation.argv[0])).toEqual(["stack"]);
  });

  it("the CLI is run as the Automation API runs it: version, stack select, the stack's config, then preview with every pack and its config", async () => {
    const testCase = newCase();
    // `pulumi version` runs before the workspace exists, with the process environment only.
    vi.stubEnv("STAND_IN_PULUMI_LOG", testCase.log);
    const config = path.join(testCase.workDir, "policy-config.json");
    writeFileSync(config, JSON.stringify({ "target-group-health-check": "advisory" }));
    const plan = path.join(testCase.workDir, "plan.json");
    await preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"), {
      packDirs: [bundledPackDir(), EXTRA_PACK],
      policyConfigFile: config,
      plan,
      envVars: { PULUMI_CONFIG_PASSPHRASE: "correct horse battery staple" },
    });
    const calls = invocations(testCase.log);
    expect(calls.map((call) => call.argv)).toEqual([
      ["version"],
      ["stack", "select", "--stack", "dev", "--non-interactive"],
      // The stack's config, whose secret values are masked in all the gate writes.
      ["config", "--show-secrets", "--json", "--stack", "dev", "--non-interactive"],
      [
        "preview",
        "--policy-pack",
        bundledPackDir(),
        "--policy-pack",
        EXTRA_PACK,
        "--policy-pack-config",
        config,
        "--policy-pack-config",
        config,
        "--exec-agent",
        "pulumi-policy-gate",
        "--save-plan",
        plan,
        "--color",
        "never",
        "--exec-kind",
        "auto.local",
        "--event-log",
        expect.stringMatching(/^tcp:\/\/127\.0\.0\.1:\d+$/) as unknown as string,
        "--stack",
        "dev",
        "--non-interactive",
      ],
    ]);
    expect(calls.slice(1).every((call) => call.cwd === testCase.workDir)).toBe(true);
    const previewCall = calls[3];
    expect(previewCall?.env).toEqual(
      expect.arrayContaining(["PULUMI_AUTOMATION_API", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_DEBUG_COMMANDS", "PULUMI_SKIP_UPDATE_CHECK"]),
    );
    expect(readFileSync(testCase.log, "utf8")).not.toContain("correct horse");
  });

  it("--refresh reaches the CLI when asked", async () => {
    const testCase = newCase();
    await preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"), { refresh: true });
    expect(invocations(testCase.log).at(-1)?.argv).toContain("--refresh");
  });

  it("relative pack, config and plan paths are the caller's, not the project directory's", async () => {
    const testCase = newCase();
    const config = path.join(testCase.workDir, "config.json");
    writeFileSync(config, "{}");
    await preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"), {
      packDirs: [path.relative(process.cwd(), bundledPackDir())],
      policyConfigFile: path.relative(process.cwd(), config),
    });
    const argv = invocations(testCase.log).at(-1)?.argv ?? [];
    expect(argv[argv.indexOf("--policy-pack") + 1]).toBe(bundledPackDir());
    expect(argv[argv.indexOf("--policy-pack-config") + 1]).toBe(config);
  });

  for (const [label, file, version] of [
    ["gRPC event stream (CLI 3.248.0)", "alb-preview-violations.jsonl", "3.248.0"],
    ["event log file (CLI 3.200.0)", "alb-preview-violations.jsonl", "3.200.0"],
    ["gRPC event stream, clean run", "alb-preview-clean.jsonl", "3.248.0"],
  ] as const) {
    it(`every event reaches onEvent, in order, before the promise settles: ${label}`, async () => {
      const testCase = newCase();
      // The version decides the event protocol; `pulumi version` sees the process environment.
      vi.stubEnv("STAND_IN_PULUMI_VERSION", version);
      const seen: EngineEvent[] = [];
      const result = await preview(testCase, path.join(OWN, file), { onEvent: (event) => seen.push(event) });
      const expected = readEvents(path.join(OWN, file));
      expect(seen).toEqual(expected);
      expect(result.events).toEqual(expected);
      const eventLog = invocations(testCase.log)
        .at(-1)
        ?.argv.find((argument, index, argv) => argv[index - 1] === "--event-log");
      expect(eventLog?.startsWith("tcp://")).toBe(version !== "3.200.0");
    });
  }

  it("an onEvent that throws still lets every event in, and its error is the outcome", async () => {
    const testCase = newCase();
    let calls = 0;
    const outcome = preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"), {
      onEvent: () => {
        calls++;
        throw new Error("the progress printer broke");
      },
    });
    await expect(outcome).rejects.toThrow("the progress printer broke");
    expect(calls).toBe(33);
  });

  it("--save-plan: the plan is written when the preview succeeded, not when it failed", async () => {
    const passing = newCase();
    const plan = path.join(passing.workDir, "plan.json");
    await preview(passing, path.join(OWN, "alb-preview-clean.jsonl"), { plan });
    const written = JSON.parse(readFileSync(plan, "utf8")) as { resourcePlans: Record<string, unknown> };
    expect(Object.keys(written.resourcePlans)).toContain("urn:pulumi:dev::alb::aws:lb/targetGroup:TargetGroup::inference-tg");

    const failing = newCase();
    const failedPlan = path.join(failing.workDir, "plan.json");
    const result = await preview(failing, path.join(OWN, "alb-preview-violations.jsonl"), { plan: failedPlan });
    expect(result.report.verdict).toBe("fail");
    expect(existsSync(failedPlan)).toBe(false);
  });

  describe("a pass needs the engine's evidence that the bundled pack ran (policy-pack-failed)", () => {
    /** `file` without its per-resource analyses, as a CLI before they existed streams a preview. */
    function withoutAnalyses(testCase: Case, file: string): string {
      const stripped = path.join(testCase.workDir, "no-analyses.jsonl");
      const lines = readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "" && !line.includes('"policyAnalyzeSummaryEvent"'));
      writeFileSync(stripped, `${lines.join("\n")}\n`);
      return stripped;
    }

    it("a clean preview whose summary lists no policy pack is an error naming the pack and what the CLI reported", async () => {
      const testCase = newCase("name: test\nruntime: nodejs\n");
      const error = await gateError(preview(testCase, path.join(EVENTS, "TestAutomaticDiff__eventstream.jsonl"), { stackName: "test" }));
      expect(error.reason).toBe("policy-pack-failed");
      expect(error.project).toBe("test");
      expect(error.message).toBe('the policy pack "pulumi-policy-gate" 0.1.0 did not run: the Pulumi CLI reported no policy packs');
    });

    it("the pack at another version than the gate ships is an error naming both", async () => {
      const testCase = newCase();
      const error = await gateError(
        preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"), { requiredPack: { name: "pulumi-policy-gate", version: "0.2.0" } }),
      );
      expect(error.reason).toBe("policy-pack-failed");
      expect(error.message).toBe(
        'the policy pack "pulumi-policy-gate" 0.2.0 did not run: the Pulumi CLI reported it at version "0.1.0", expected "0.2.0"',
      );
    });

    it("no per-resource analysis: evidence enough from a CLI before 3.200.0, an error from a newer one", async () => {
      const old = newCase();
      vi.stubEnv("STAND_IN_PULUMI_VERSION", "3.199.0");
      const result = await preview(old, withoutAnalyses(old, path.join(OWN, "alb-preview-clean.jsonl")));
      expect(result.report.verdict).toBe("pass");

      const current = newCase();
      vi.stubEnv("STAND_IN_PULUMI_VERSION", "3.248.0");
      const error = await gateError(preview(current, withoutAnalyses(current, path.join(OWN, "alb-preview-clean.jsonl"))));
      expect(error.reason).toBe("policy-pack-failed");
      expect(error.message).toMatch(
        /^the policy pack "pulumi-policy-gate" 0.1.0 did not analyze 7 resources the engine registered \(urn:pulumi:dev::alb::pulumi:pulumi:Stack::alb-dev, /,
      );
    });

    it("a failing preview stays a fail: the evidence is asked of a pass", async () => {
      const testCase = newCase();
      const result = await preview(testCase, path.join(OWN, "alb-preview-violations.jsonl"), {
        requiredPack: { name: "pulumi-policy-gate", version: "0.2.0" },
      });
      expect(result.report.verdict).toBe("fail");
    });
  });

  it("a CLI that fails after the engine reported success is an error, not a pass (fail closed)", async () => {
    const testCase = newCase();
    const result = await preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"), { env: { STAND_IN_PULUMI_EXIT: "1" } });
    expect(result.exitCode).toBe(1);
    expect(result.report.verdict).toBe("error");
    expect(result.report.failureReason).toBe("preview-failed");
    expect(result.report.error?.message).toBe("the engine reported success, but the Pulumi CLI failed (exit code 1)");
    expect(result.changeSummary).toEqual({ create: 7 });
  });

  it("a preview that fails before any event is a GateError with the CLI's last words", async () => {
    const testCase = newCase();
    const error = await gateError(preview(testCase, path.join(OWN, "does-not-exist.jsonl")));
    expect(error.reason).toBe("preview-failed");
    expect(error.message).toContain(`the preview of stack "dev" in ${testCase.workDir} failed before the engine ran (exit code 1)`);
    expect(error.message).toContain("cannot read STAND_IN_PULUMI_EVENTS=");
  });

  it("the project comes from Pulumi.yaml, else from the URNs in the events", async () => {
    const testCase = newCase("runtime: nodejs\n");
    const result = await preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"));
    expect(result.project).toBe("alb");
    expect(result.report.project).toBe("alb");
  });

  it("a fully qualified stack name is passed on as given and reported as given", async () => {
    const testCase = newCase();
    const result = await preview(testCase, path.join(OWN, "alb-preview-violations.jsonl"), { stackName: "acme/alb/dev" });
    expect(result.report.stack).toBe("acme/alb/dev");
    expect(result.report.verdict).toBe("fail");
    expect(invocations(testCase.log).at(-1)?.argv).toEqual(expect.arrayContaining(["--stack", "acme/alb/dev"]));
  });

  describe("the stack's secret config", () => {
    const SECRET = "Tr0ub4dor&3-horse-battery";

    /** A Pulumi.dev.yaml with one secret (in the stand-in's encryption) and one plain value. */
    function withSecretConfig(testCase: Case): void {
      const ciphertext = `stand-in:${Buffer.from(SECRET, "utf8").toString("base64")}`;
      writeFileSync(
        path.join(testCase.workDir, "Pulumi.dev.yaml"),
        `config:\n  alb:dbPassword:\n    secure: ${ciphertext}\n  alb:region: eu-west-1\n`,
      );
    }

    /** The program-error preview, its error quoting the secret as a program would print it. */
    function quotingStream(testCase: Case): string {
      const file = path.join(testCase.workDir, "quoting.jsonl");
      const lines = readEvents(path.join(OWN, "alb-preview-program-error.jsonl")).map((event) =>
        JSON.stringify(
          event.diagnosticEvent
            ? {
                ...event,
                diagnosticEvent: { ...event.diagnosticEvent, message: `Error: could not connect as admin with password ${SECRET}\n` },
              }
            : event,
        ),
      );
      writeFileSync(file, `${lines.join("\n")}\n`);
      return file;
    }

    it("its values reach onSecrets before the preview runs, and are masked in the report, the diagnostics and the CLI's output", async () => {
      const testCase = newCase();
      withSecretConfig(testCase);
      const handed: { values: readonly string[]; previewsSoFar: number }[] = [];
      const result = await preview(testCase, quotingStream(testCase), {
        onSecrets: (values) =>
          handed.push({ values, previewsSoFar: invocations(testCase.log).filter((call) => call.argv[0] === "preview").length }),
      });
      expect(handed).toEqual([{ values: [SECRET], previewsSoFar: 0 }]);
      expect(result.report.verdict).toBe("error");
      expect(result.report.error?.message).toBe("Error: could not connect as admin with password [secret]");
      expect(result.diagnostics.map((diagnostic) => diagnostic.message)).toEqual([
        "Error: could not connect as admin with password [secret]",
      ]);
      // The stand-in prints the diagnostic on stdout, as the CLI does.
      expect(result.stdoutTail).toContain("password [secret]");
      expect(
        JSON.stringify({ report: result.report, diagnostics: result.diagnostics, out: result.stdoutTail, err: result.stderrTail }),
      ).not.toContain("Tr0ub4dor");
    });

    it("a stack without secrets hands over none", async () => {
      const testCase = newCase();
      const handed: (readonly string[])[] = [];
      await preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"), { onSecrets: (values) => handed.push(values) });
      expect(handed).toEqual([[]]);
    });

    it("a config the CLI cannot read is a config-error: its secrets could not be masked", async () => {
      const testCase = newCase();
      writeFileSync(path.join(testCase.workDir, "Pulumi.dev.yaml"), "config: [unclosed\n");
      const error = await gateError(preview(testCase, path.join(OWN, "alb-preview-clean.jsonl")));
      expect(error.reason).toBe("config-error");
      expect(error.message).toMatch(
        new RegExp(
          `^could not read the config of stack "dev" in ${testCase.workDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, whose secret values the gate masks: the Pulumi CLI failed \\(exit code 255\\)`,
        ),
      );
      expect(invocations(testCase.log).filter((call) => call.argv[0] === "preview")).toHaveLength(0);
    });
  });

  describe("errors before the CLI runs a preview", () => {
    it("no Pulumi.yaml in the project directory", async () => {
      const workDir = path.join(scratch, `empty-${++caseCount}`);
      mkdirSync(workDir);
      const error = await gateError(
        runPulumiPreview({
          workDir,
          stackName: "dev",
          packDirs: [bundledPackDir()],
          requiredPack: bundledPackIdentity(),
          pulumiCommandRoot: STAND_IN,
        }),
      );
      expect(error.reason).toBe("config-error");
      expect(error.subject).toBe("program");
      expect(error.message).toBe(`${workDir} has no Pulumi.yaml; expected the directory of a Pulumi project`);
    });

    it("a project directory that does not exist", async () => {
      const workDir = path.join(scratch, `missing-${++caseCount}`);
      const error = await gateError(
        runPulumiPreview({
          workDir,
          stackName: "dev",
          packDirs: [bundledPackDir()],
          requiredPack: bundledPackIdentity(),
          pulumiCommandRoot: STAND_IN,
        }),
      );
      expect(error.reason).toBe("config-error");
      expect(error.subject).toBe("program");
      expect(error.message).toBe(`${workDir}: no such directory; expected the directory of a Pulumi project`);
    });

    it("a stack name the CLI would not take", async () => {
      const testCase = newCase();
      for (const stackName of ["acme//dev", "my stack", "acme/alb/dev/extra"]) {
        const error = await gateError(preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"), { stackName }));
        expect(error.reason).toBe("config-error");
        expect(error.subject).toBe("stack");
        expect(error.message).toBe(
          `${JSON.stringify(stackName)}: not a valid stack name; expected "stack", "org/stack" or "org/project/stack" of letters, digits, "-", "_" and "."`,
        );
      }
      expect(invocations(testCase.log)).toEqual([]);
    });

    it("a policy pack directory without PulumiPolicy.yaml", async () => {
      const testCase = newCase();
      const error = await gateError(preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"), { packDirs: [testCase.workDir] }));
      expect(error.reason).toBe("config-error");
      expect(error.subject).toBe("policy-pack");
      expect(error.message).toBe(`${testCase.workDir}: no PulumiPolicy.yaml there; expected the directory of a policy pack`);
    });

    it("a policy config file that is missing or not a JSON object", async () => {
      const testCase = newCase();
      const missing = path.join(testCase.workDir, "missing.json");
      const missingError = await gateError(preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"), { policyConfigFile: missing }));
      expect(missingError.reason).toBe("config-error");
      expect(missingError.subject).toBe("policy-config");
      expect(missingError.message.startsWith(missing)).toBe(true);
      const list = path.join(testCase.workDir, "list.json");
      writeFileSync(list, '["advisory"]');
      const listError = await gateError(preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"), { policyConfigFile: list }));
      expect(listError.reason).toBe("config-error");
      expect(listError.subject).toBe("policy-config");
      expect(listError.message.startsWith(list)).toBe(true);
      expect(invocations(testCase.log)).toEqual([]);
    });

    it("no CLI under the given installation root", async () => {
      const testCase = newCase();
      const error = await gateError(preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"), { pulumiCommandRoot: testCase.workDir }));
      expect(error.reason).toBe("config-error");
      expect(error.message).toBe(
        `the Pulumi CLI was not found at ${path.join(testCase.workDir, "bin", "pulumi")}; expected an installation root whose bin/pulumi is the CLI`,
      );
    });

    it("a CLI of another version than the one asked for", async () => {
      const testCase = newCase();
      const error = await gateError(preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"), { pulumiVersion: "3.250.0" }));
      expect(error.reason).toBe("config-error");
      expect(error.message).toBe(`the Pulumi CLI ${path.join(STAND_IN, "bin", "pulumi")} (v3.248.0) is not the requested v3.250.0`);
    });

    it("a Pulumi version that is not a version", async () => {
      const testCase = newCase();
      const error = await gateError(preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"), { pulumiVersion: "latest" }));
      expect(error.reason).toBe("config-error");
      expect(error.message).toBe('Pulumi version "latest" is not a version; expected one such as "3.248.0"');
    });

    it("a pinned CLI goes into the runner's tool cache", () => {
      expect(pulumiInstallRoot("v3.248.0", { RUNNER_TOOL_CACHE: "/opt/hostedtoolcache" })).toBe(
        path.join("/opt/hostedtoolcache", "pulumi", "3.248.0", os.arch()),
      );
      expect(pulumiInstallRoot("3.248.0", {})).toBe(path.join(os.tmpdir(), "pulumi", "3.248.0", os.arch()));
    });
  });
});

describe("the stand-in CLI under the Automation API's stack.up, for the deploy that follows a preview", () => {
  it("up --plan streams its events and exits as the preview did; a missing plan fails before any event", async () => {
    const testCase = newCase();
    const plan = path.join(testCase.workDir, "plan.json");
    await preview(testCase, path.join(OWN, "alb-preview-clean.jsonl"), { plan });
    const pulumiCommand = await PulumiCommand.get({ root: STAND_IN });
    const envVars = { STAND_IN_PULUMI_EVENTS: path.join(OWN, "alb-preview-clean.jsonl"), STAND_IN_PULUMI_LOG: testCase.log };
    const stack = await LocalWorkspace.selectStack({ stackName: "dev", workDir: testCase.workDir }, { pulumiCommand, envVars });
    const seen: unknown[] = [];
    const result = await stack.up({ plan, onEvent: (event) => seen.push(event) });
    expect(result.summary.result).toBe("succeeded");
    expect(seen).toHaveLength(33);
    // After `up`, the Automation API reads the outputs (masked, then in plain text) and the latest update.
    const afterPreview = invocations(testCase.log)
      .slice(3)
      .map((call) => call.argv.slice(0, 5).join(" "));
    expect(afterPreview).toEqual([
      "stack select --stack dev --non-interactive",
      `up --yes --skip-preview --plan ${plan}`,
      "stack output --json --stack dev",
      "stack output --json --show-secrets --stack",
      "stack history --json --show-secrets --page-size",
    ]);

    await expect(stack.up({ plan: path.join(testCase.workDir, "no-such-plan.json") })).rejects.toThrow(
      /error reading plan file .*no-such-plan\.json: ENOENT/,
    );
  });
});
