// The deploy, `up --plan`, through the real Automation API, with the stand-in `pulumi`
// (test/stand-in-pulumi) replaying our own update streams of the ALB fixture
// (fixtures/events/own/alb-up-*.jsonl, see README.md). Each case has a temporary project
// directory with its own Pulumi.yaml and invocation log, which shows what the CLI was asked to do.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { bundledPackDir, bundledPackIdentity, packageRoot } from "../../../src/engine/bundled-pack.js";
import type { EngineEvent } from "../../../src/engine/pulumi/engine-events.js";
import { runPulumiPreview } from "../../../src/engine/pulumi/preview.js";
import {
  DeployFailedError,
  runPulumiUp,
  withholdPlanValues,
  type PulumiUpOptions,
  type PulumiUpResult,
} from "../../../src/engine/pulumi/up.js";
import { GateError } from "../../../src/gate/errors.js";

const ROOT = packageRoot();
const STAND_IN = path.join(ROOT, "test", "stand-in-pulumi");
const OWN = path.join(ROOT, "fixtures", "events", "own");
const PREVIEW = path.join(OWN, "alb-preview-clean.jsonl");
const UP = path.join(OWN, "alb-up-succeeded.jsonl");
const UP_VIOLATES_PLAN = path.join(OWN, "alb-up-violates-plan.jsonl");
const DNS_NAME = "inference-alb-3f9e0b2-1873462951.us-east-1.elb.amazonaws.com";
const SECRET_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

const scratch = mkdtempSync(path.join(os.tmpdir(), "pulumi-up-test-"));
let caseCount = 0;

afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
});

interface Case {
  readonly workDir: string;
  readonly log: string;
  readonly plan: string;
}

interface Invocation {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: readonly string[];
  readonly switches: Readonly<Record<string, string>>;
}

function newCase(): Case {
  const workDir = path.join(scratch, `case-${++caseCount}`);
  mkdirSync(workDir, { recursive: true });
  writeFileSync(path.join(workDir, "Pulumi.yaml"), "name: alb\nruntime: nodejs\n");
  return { workDir, log: path.join(workDir, "invocations.jsonl"), plan: path.join(workDir, "plan.json") };
}

/** The plan as the gate's preview saves it: `preview --save-plan` through the same stand-in. */
async function savePlan(testCase: Case): Promise<void> {
  await runPulumiPreview({
    workDir: testCase.workDir,
    stackName: "dev",
    packDirs: [bundledPackDir()],
    requiredPack: bundledPackIdentity(),
    pulumiCommandRoot: STAND_IN,
    plan: testCase.plan,
    envVars: { STAND_IN_PULUMI_EVENTS: PREVIEW, STAND_IN_PULUMI_LOG: testCase.log },
  });
  expect(existsSync(testCase.plan)).toBe(true);
}

/** A plan file without a preview, for the cases about the update alone. */
function writePlan(testCase: Case): void {
  writeFileSync(
    testCase.plan,
    JSON.stringify({ manifest: { time: "2025-06-02T09:14:03Z", magic: "", version: "v3.248.0" }, config: {}, resourcePlans: {} }),
  );
}

function up(
  testCase: Case,
  events: string,
  options: Partial<PulumiUpOptions> & { readonly env?: Record<string, string> } = {},
): Promise<PulumiUpResult> {
  const { env, ...rest } = options;
  return runPulumiUp({
    workDir: testCase.workDir,
    stackName: "dev",
    plan: testCase.plan,
    pulumiCommandRoot: STAND_IN,
    ...rest,
    envVars: { STAND_IN_PULUMI_EVENTS: events, STAND_IN_PULUMI_LOG: testCase.log, ...env, ...rest.envVars },
  });
}

function invocations(log: string): Invocation[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Invocation);
}

const upCalls = (log: string): Invocation[] => invocations(log).filter((call) => call.argv[0] === "up");

function readEvents(file: string): EngineEvent[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as EngineEvent);
}

async function rejection<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
}

function secret(value: unknown): Record<string, string> {
  return { [SECRET_KEY]: SECRET_SIGNATURE, plaintext: JSON.stringify(value) };
}

describe("runPulumiUp through the Automation API and the stand-in CLI", () => {
  it("after the gate's preview saved the plan, the update runs once, bound to it: `up --plan <plan>` with PULUMI_EXPERIMENTAL", async () => {
    const testCase = newCase();
    await savePlan(testCase);
    const outputs = path.join(testCase.workDir, "outputs.json");
    writeFileSync(outputs, JSON.stringify({ dnsName: DNS_NAME }));
    const result = await up(testCase, PREVIEW, { env: { STAND_IN_PULUMI_UP_EVENTS: UP, STAND_IN_PULUMI_OUTPUTS: outputs } });

    const calls = upCalls(testCase.log);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.argv).toEqual([
      "up",
      "--yes",
      "--skip-preview",
      "--exec-agent",
      "pulumi-policy-gate",
      "--plan",
      testCase.plan,
      "--color",
      "never",
      "--exec-kind",
      "auto.local",
      "--event-log",
      expect.stringMatching(/^tcp:\/\/127\.0\.0\.1:\d+$/) as unknown as string,
      "--stack",
      "dev",
      "--non-interactive",
    ]);
    expect(calls[0]?.env).toContain("PULUMI_EXPERIMENTAL");
    expect(calls[0]?.switches.PULUMI_EXPERIMENTAL).toBe("true");
    expect(calls[0]?.cwd).toBe(testCase.workDir);
    // After `up`, the Automation API reads the outputs (masked, then in plain text) and the latest update; nothing more.
    const all = invocations(testCase.log);
    const after = all.slice(all.findIndex((call) => call.argv[0] === "up") + 1);
    expect(after.map((call) => call.argv.slice(0, 4).join(" "))).toEqual([
      "stack output --json --stack",
      "stack output --json --show-secrets",
      "stack history --json --show-secrets",
    ]);

    expect(result.exitCode).toBe(0);
    expect(result.reduction.report.verdict).toBe("pass");
    expect(result.reduction.report.stack).toBe("dev");
    expect(result.reduction.changeSummary).toEqual({ create: 7 });
    expect(result.reduction.changes.map((change) => [change.name, change.op])).toEqual([
      ["alb-dev", "create"],
      ["alb-sg", "create"],
      ["inference-tg", "create"],
      ["inference-alb", "create"],
      ["http", "create"],
      ["https", "create"],
      ["api", "create"],
    ]);
    expect(result.outputs).toEqual({ dnsName: { value: DNS_NAME, secret: false } });
  });

  it("PULUMI_EXPERIMENTAL is set whatever the caller passes", async () => {
    const testCase = newCase();
    writePlan(testCase);
    await up(testCase, UP, { envVars: { PULUMI_EXPERIMENTAL: "false" } });
    expect(upCalls(testCase.log)[0]?.switches.PULUMI_EXPERIMENTAL).toBe("true");
  });

  it("every event of the update reaches onEvent, in order, before the promise settles", async () => {
    const testCase = newCase();
    writePlan(testCase);
    const seen: EngineEvent[] = [];
    await up(testCase, UP, { onEvent: (event) => seen.push(event) });
    expect(seen).toEqual(readEvents(UP));
  });

  it("an onEvent that throws still lets every event in, and its error is the outcome", async () => {
    const testCase = newCase();
    writePlan(testCase);
    let calls = 0;
    const outcome = up(testCase, UP, {
      onEvent: () => {
        calls++;
        throw new Error("the progress printer broke");
      },
    });
    await expect(outcome).rejects.toThrow("the progress printer broke");
    expect(calls).toBe(17);
  });

  for (const [label, mode, words] of [
    ["on Pulumi Cloud", "1", "[409] Conflict: Another update is currently in progress."],
    ["on a self-managed backend", "diy", "the stack is currently locked by 1 lock(s)"],
  ] as const) {
    it(`a locked stack ${label}: GateError stack-locked, and \`up\` ran once, not again`, async () => {
      const testCase = newCase();
      writePlan(testCase);
      const error = await rejection(up(testCase, UP, { env: { STAND_IN_PULUMI_LOCKED: mode } }), GateError);
      expect(error.reason).toBe("stack-locked");
      expect(error.message).toContain(
        `stack "dev" in ${testCase.workDir} is locked: another update is in progress, so this one did not start and is not retried`,
      );
      expect(error.message).toContain(words);
      expect(error.project).toBe("alb");
      expect(upCalls(testCase.log)).toHaveLength(1);
      expect(invocations(testCase.log).at(-1)?.argv[0]).toBe("up");
    });
  }

  it("an update that strays from the plan: DeployFailedError (deploy-failed) with the engine's message, values withheld", async () => {
    const testCase = newCase();
    await savePlan(testCase);
    const error = await rejection(up(testCase, PREVIEW, { env: { STAND_IN_PULUMI_UP_EVENTS: UP_VIOLATES_PLAN } }), DeployFailedError);
    expect(error).toBeInstanceOf(GateError);
    expect(error.reason).toBe("deploy-failed");
    expect(error.project).toBe("alb");
    expect(error.message).toBe(
      `the update of stack "dev" in ${testCase.workDir} failed: ` +
        "resource urn:pulumi:dev::alb::aws:lb/loadBalancer:LoadBalancer::inference-alb violates plan: properties changed: ~~subnets (values withheld)\nupdate failed",
    );
    // What happened before the engine stopped: the security group and the target group exist now.
    const { result } = error;
    expect(result.exitCode).toBe(1);
    expect(result.reduction.report).toMatchObject({
      verdict: "error",
      failureReason: "deploy-failed",
      stack: "dev",
      error: { reason: "deploy-failed", message: error.message },
    });
    expect(result.reduction.changes.map((change) => [change.name, change.op])).toEqual([
      ["alb-dev", "create"],
      ["alb-sg", "create"],
      ["inference-tg", "create"],
    ]);
    expect(result.reduction.diagnostics[0]?.message).toContain("~~subnets (values withheld)");
    expect(JSON.stringify(result)).not.toContain("subnet-0c2d4e6f8a0b1c3d5");
    expect(result.outputs).toEqual({});
    expect(upCalls(testCase.log)).toHaveLength(1);
  });

  it("the stack's secret config reaches onSecrets before the update, and is masked in the failure and its details", async () => {
    const testCase = newCase();
    await savePlan(testCase);
    const secret = "s3cr3t-db-Passw0rd-42";
    writeFileSync(
      path.join(testCase.workDir, "Pulumi.dev.yaml"),
      `config:\n  alb:dbPassword:\n    secure: stand-in:${Buffer.from(secret, "utf8").toString("base64")}\n`,
    );
    const quoting = path.join(testCase.workDir, "quoting.jsonl");
    const lines = readEvents(UP_VIOLATES_PLAN).map((event) =>
      JSON.stringify(
        event.diagnosticEvent?.message === "update failed\n"
          ? { ...event, diagnosticEvent: { ...event.diagnosticEvent, message: `update failed: password ${secret} was refused\n` } }
          : event,
      ),
    );
    writeFileSync(quoting, `${lines.join("\n")}\n`);
    const handed: { values: readonly string[]; upsSoFar: number }[] = [];
    const error = await rejection(
      up(testCase, quoting, { onSecrets: (values) => handed.push({ values, upsSoFar: upCalls(testCase.log).length }) }),
      DeployFailedError,
    );
    expect(handed).toEqual([{ values: [secret], upsSoFar: 0 }]);
    expect(error.message).toContain("update failed: password [secret] was refused");
    expect(error.details).toContain("update failed: password [secret] was refused");
    expect(JSON.stringify({ message: error.message, details: error.details, result: error.result })).not.toContain("Passw0rd");
  });

  it("the engine reported success but the CLI failed: deploy-failed, never a success", async () => {
    const testCase = newCase();
    writePlan(testCase);
    const error = await rejection(up(testCase, UP, { env: { STAND_IN_PULUMI_EXIT: "255" } }), DeployFailedError);
    expect(error.message).toBe(
      `the update of stack "dev" in ${testCase.workDir} failed: the engine reported success, but the Pulumi CLI failed (exit code 255)`,
    );
    expect(error.result.reduction.changes).toHaveLength(7);
  });

  it("an update that stopped without a summary: deploy-failed", async () => {
    const testCase = newCase();
    writePlan(testCase);
    const cut = path.join(testCase.workDir, "cut.jsonl");
    writeFileSync(cut, `${readFileSync(UP, "utf8").split("\n").slice(0, 9).join("\n")}\n`);
    const error = await rejection(up(testCase, cut), DeployFailedError);
    expect(error.message).toContain("failed: it ended without a summary (the CLI stopped early)");
  });

  it("a CLI that fails before the engine runs: GateError deploy-failed with the CLI's last words", async () => {
    const testCase = newCase();
    writePlan(testCase);
    const error = await rejection(up(testCase, path.join(OWN, "does-not-exist.jsonl")), GateError);
    expect(error).not.toBeInstanceOf(DeployFailedError);
    expect(error.reason).toBe("deploy-failed");
    expect(error.message).toContain(`the update of stack "dev" in ${testCase.workDir} failed before the engine ran (exit code 1)`);
    expect(error.message).toContain("cannot read STAND_IN_PULUMI_EVENTS=");
  });

  describe("stack outputs: no secret value ever reaches the result", () => {
    const SECRETS = ["sk-live-51HqZ2eEXAMPLEtokenVALUE", "adm-7f3c9b2e41d8", "hunter2"];

    it("secrets at the top level and nested in objects and lists are replaced by [secret] and marked", async () => {
      const testCase = newCase();
      writePlan(testCase);
      const outputs = path.join(testCase.workDir, "outputs.json");
      writeFileSync(
        outputs,
        JSON.stringify({
          dnsName: DNS_NAME,
          apiKey: secret(SECRETS[0]),
          admin: { url: `https://${DNS_NAME}/admin`, token: secret(SECRETS[1]) },
          listeners: [{ port: 443, password: secret(SECRETS[2]) }, { port: 80 }],
          ports: [80, 443],
          whole: secret({ user: "ops", password: "hunter2" }),
        }),
      );
      const result = await up(testCase, UP, { env: { STAND_IN_PULUMI_OUTPUTS: outputs } });
      expect(result.outputs).toEqual({
        dnsName: { value: DNS_NAME, secret: false },
        apiKey: { value: "[secret]", secret: true },
        admin: { value: { url: `https://${DNS_NAME}/admin`, token: "[secret]" }, secret: true },
        listeners: { value: [{ port: 443, password: "[secret]" }, { port: 80 }], secret: true },
        ports: { value: [80, 443], secret: false },
        whole: { value: "[secret]", secret: true },
      });
      const text = JSON.stringify(result);
      for (const value of SECRETS) expect(text).not.toContain(value);
      // Nested values are checked against the state, where the engine marks every secret.
      expect(invocations(testCase.log).at(-1)?.argv.slice(0, 3)).toEqual(["stack", "export", "--show-secrets"]);
    });

    it("outputs that are all plain values or whole secrets need no state export", async () => {
      const testCase = newCase();
      writePlan(testCase);
      const outputs = path.join(testCase.workDir, "outputs.json");
      writeFileSync(outputs, JSON.stringify({ dnsName: DNS_NAME, apiKey: secret(SECRETS[0]), port: 443 }));
      const result = await up(testCase, UP, { env: { STAND_IN_PULUMI_OUTPUTS: outputs } });
      expect(result.outputs).toEqual({
        dnsName: { value: DNS_NAME, secret: false },
        apiKey: { value: "[secret]", secret: true },
        port: { value: 443, secret: false },
      });
      expect(invocations(testCase.log).some((call) => call.argv[1] === "export")).toBe(false);
    });
  });

  describe("fail closed: nothing runs when the update cannot be bound to a plan", () => {
    it("no plan file", async () => {
      const testCase = newCase();
      const error = await rejection(up(testCase, UP), GateError);
      expect(error.reason).toBe("config-error");
      expect(error.subject).toBe("plan-file");
      expect(error.message).toBe(`${testCase.plan}: it does not exist; expected an update plan saved by \`pulumi preview --save-plan\``);
      expect(invocations(testCase.log)).toEqual([]);
    });

    it("a plan file that is not a JSON object", async () => {
      const testCase = newCase();
      writeFileSync(testCase.plan, "[]");
      const error = await rejection(up(testCase, UP), GateError);
      expect(error.subject).toBe("plan-file");
      expect(error.message).toBe(`${testCase.plan} is not a JSON object; expected an update plan saved by \`pulumi preview --save-plan\``);
      writeFileSync(testCase.plan, "{ half");
      expect((await rejection(up(testCase, UP), GateError)).message.startsWith(`${testCase.plan}: it is not readable JSON (`)).toBe(true);
      expect(invocations(testCase.log)).toEqual([]);
    });

    it("a relative plan path is the caller's, not the project directory's", async () => {
      const testCase = newCase();
      writePlan(testCase);
      await up(testCase, UP, { plan: path.relative(process.cwd(), testCase.plan) });
      const argv = upCalls(testCase.log)[0]?.argv ?? [];
      expect(argv[argv.indexOf("--plan") + 1]).toBe(testCase.plan);
    });

    it("no Pulumi.yaml in the project directory", async () => {
      const testCase = newCase();
      writePlan(testCase);
      rmSync(path.join(testCase.workDir, "Pulumi.yaml"));
      const error = await rejection(up(testCase, UP), GateError);
      expect(error.reason).toBe("config-error");
      expect(error.message).toBe(`${testCase.workDir} has no Pulumi.yaml; expected the directory of a Pulumi project`);
      expect(invocations(testCase.log)).toEqual([]);
    });

    it("an unknown stack: config-error, and no update", async () => {
      const testCase = newCase();
      writePlan(testCase);
      const error = await rejection(up(testCase, UP, { env: { STAND_IN_PULUMI_STACKS: "prod" } }), GateError);
      expect(error.reason).toBe("config-error");
      expect(error.subject).toBe("stack");
      expect(error.message).toContain(`dev: no such stack for the Pulumi project in ${testCase.workDir}`);
      expect(upCalls(testCase.log)).toEqual([]);
    });
  });
});

describe("withholdPlanValues", () => {
  const lead = "resource urn:pulumi:dev::alb::aws:lb/loadBalancer:LoadBalancer::inference-alb violates plan: properties changed: ";

  it("keeps the property names and their signs, never the values", () => {
    expect(withholdPlanValues(`${lead}+-baz[{map[a:{42} b:output<string>{}]}], +-foo[{bar}]`)).toBe(
      `${lead}+-baz, +-foo (values withheld)`,
    );
    expect(withholdPlanValues(`${lead}~~length[{12}!={16}]`)).toBe(`${lead}~~length (values withheld)`);
    expect(withholdPlanValues(`${lead}=~cores[{{{s3cr3t}}}], -~tags`)).toBe(`${lead}=~cores, -~tags (values withheld)`);
  });

  it("a list it cannot split safely keeps no names either", () => {
    // A value with a stray "]" would otherwise end the brackets early and show the rest as names.
    expect(withholdPlanValues(`${lead}~~password[{p]ss, w0rd}]`)).toBe(`${lead}(values withheld)`);
    expect(withholdPlanValues(`${lead}~~password[{unclosed`)).toBe(`${lead}(values withheld)`);
  });

  it("colour directives and other lines are left as they are", () => {
    expect(withholdPlanValues(`<{%reset%}>${lead}~~port[{8080}!={9090}]<{%reset%}>\nupdate failed`)).toBe(
      `<{%reset%}>${lead}~~port (values withheld)\nupdate failed`,
    );
    expect(withholdPlanValues("resource x violates plan: protect changed (expected true)")).toBe(
      "resource x violates plan: protect changed (expected true)",
    );
  });
});
