// Masking: which environment variables are secret, and each form in which a planted secret is
// found again (as is, cut, upper-cased, JSON-escaped, spread over lines, Markdown-escaped).

import { describe, expect, it } from "vitest";
import { createGrowingMasker, createMasker, isSecretName, secretConfigValues, secretsOfEnvironment } from "../../src/gate/masking.js";
import { withholdPlanValues } from "../../src/engine/pulumi/up.js";
import { escapeMarkdown } from "../../src/report/untrusted-text.js";

const TOKEN = "pul-4f9c2e71b8a05d36e1";
const env = { PULUMI_ACCESS_TOKEN: TOKEN, AWS_REGION: "eu-west-1", GITHUB_SHA: "a".repeat(40), HOME: "/home/runner" };

describe("which environment variables hold secrets", () => {
  it("by name: tokens, keys, passwords, cloud credentials and the github-token input; not the runner's variables, regions or paths", () => {
    for (const name of [
      "PULUMI_ACCESS_TOKEN",
      "PULUMI_CONFIG_PASSPHRASE",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "ARM_CLIENT_SECRET",
      "GOOGLE_CREDENTIALS",
      "GITHUB_TOKEN",
      "INPUT_GITHUB-TOKEN",
      "DB_PASSWORD",
      "my_api_key",
    ])
      expect(isSecretName(name), name).toBe(true);
    for (const name of [
      "AWS_REGION",
      "GITHUB_SHA",
      "RUNNER_TEMP",
      "INPUT_COMMENT-KEY",
      "HOME",
      "PATH",
      "GOOGLE_APPLICATION_CREDENTIALS",
      "KEY_FILE",
    ])
      expect(isSecretName(name), name).toBe(false);
    expect(secretsOfEnvironment(env)).toEqual([TOKEN]);
  });
});

describe("a masker", () => {
  const masker = createMasker(secretsOfEnvironment(env));

  it.each([
    ["as is", `token ${TOKEN} used`],
    ["upper-cased", `token ${TOKEN.toUpperCase()} used`],
    ["cut to its first 12 characters", `token ${TOKEN.slice(0, 12)}… used`],
    ["cut in the middle", `token …${TOKEN.slice(5, 18)}… used`],
    ["spread over lines", `token ${TOKEN.slice(0, 9)}\n${TOKEN.slice(9)} used`],
    ["spread over lines with indentation", `token ${TOKEN.slice(0, 11)}\r\n    ${TOKEN.slice(11)} used`],
    ["Markdown-escaped", `token ${escapeMarkdown(TOKEN)} used`],
    ["JSON-escaped inside a report", JSON.stringify({ message: `token ${TOKEN}\nused` })],
  ])("masks a secret %s", (_form, text) => {
    const masked = masker.mask(text);
    expect(masked).toContain("[secret]");
    expect(masked.toLowerCase()).not.toMatch(/4f9c|b8a0|d36e/);
    expect(masked).toMatch(/^(token|\{)/);
  });

  it("masks a secret with a line break and a quote in each form a message shows it", () => {
    const multiLine = createMasker(['first-line "x"\nsecond-line-9']);
    expect(multiLine.mask('value "first-line \\"x\\"\\nsecond-line-9" set')).toBe('value "[secret]" set');
    expect(multiLine.mask('value first-line "x"\nsecond-line-9 set')).toBe("value [secret] set");
  });

  it("masks the second line of a 'violates plan' value (the engine prints it in plain text, line break included)", () => {
    const secret = "s3cr3t-first\nsecond-half-77";
    const message = `resource violates plan: properties changed: ~~password[{${secret}}!={other}]`;
    const withheld = withholdPlanValues(message);
    expect(createMasker([secret]).mask(withheld)).not.toContain("second-half-77");
  });

  describe("withholdPlanValues: a value over several lines is withheld whole", () => {
    const lead = "resource urn:pulumi:dev::alb::aws:rds/instance:Instance::db violates plan: properties changed: ";

    it("the lines after the first line of a value are withheld with it; the names and the lines after the list stay", () => {
      expect(withholdPlanValues(`${lead}~~password[{s3cr3t-first\nsecond-half-77}!={other}], +-tags[{a}]\nupdate failed\n`)).toBe(
        `${lead}~~password, +-tags (values withheld)\nupdate failed\n`,
      );
    });

    it("a value whose brackets end early on its first line: nothing after the list is kept", () => {
      for (const [value, names] of [
        ["ab]\ncd-secret-tail", "~~password "],
        ["p]ss\nw0rd-secret-tail", ""],
        ["x]y\nz-secret-tail", ""],
      ] as const) {
        expect(withholdPlanValues(`${lead}~~password[{${value}}!={x}]\nupdate failed`)).toBe(`${lead}${names}(values withheld)`);
      }
    });

    it("an unclosed value runs to the end: every line after the lead is withheld", () => {
      expect(withholdPlanValues(`${lead}~~password[{first\nsecond-secret\nthird`)).toBe(`${lead}(values withheld)`);
    });

    it("each of several messages in one text (the CLI's stderr) is withheld", () => {
      const text = `error: ${lead}~~port[{8080}!={9090}]\nerror: ${lead}+-key[{-----BEGIN KEY-----\nMIIEsecretbody\n-----END KEY-----}]\n`;
      expect(withholdPlanValues(text)).toBe(`error: ${lead}~~port (values withheld)\nerror: ${lead}+-key (values withheld)\n`);
    });
  });

  it("masks every string at any depth, keys included, and leaves other values alone", () => {
    expect(masker.maskDeep({ a: [TOKEN, 3, true], [TOKEN]: null, b: "plain text" })).toEqual({
      a: ["[secret]", 3, true],
      "[secret]": null,
      b: "plain text",
    });
  });

  it("leaves text without a secret, and values too short to be secret, unchanged", () => {
    expect(masker.mask("nothing to see, pul-4f9 is too short a piece")).toBe("nothing to see, pul-4f9 is too short a piece");
    expect(createMasker(["abc", "true"]).mask("abc is true")).toBe("abc is true");
  });

  it("a structured secret (set with --path) counts as its JSON and as each of its values, which a program can print alone", () => {
    const config = { "app:db": { value: JSON.stringify({ user: "admin", password: "hunter2pass", port: 5432 }), secret: true } };
    const values = secretConfigValues(config);
    expect(values).toEqual([config["app:db"].value, "admin", "hunter2pass", "5432"]);
    expect(createMasker(values).mask("connecting with hunter2pass")).toBe("connecting with [secret]");
  });

  it("a growing masker: every holder masks the secrets added after it was handed out; add returns the new ones", () => {
    const run = createGrowingMasker([TOKEN]);
    const holder = { masker: run };
    expect(holder.masker.mask("password Tr0ub4dor&3-horse")).toBe("password Tr0ub4dor&3-horse");
    expect(run.add(["Tr0ub4dor&3-horse", TOKEN, "short"])).toEqual(["Tr0ub4dor&3-horse"]);
    expect(holder.masker.mask(`password Tr0ub4dor&3-horse, token ${TOKEN}`)).toBe("password [secret], token [secret]");
    expect(holder.masker.maskDeep({ a: "Tr0ub4dor&3-horse" })).toEqual({ a: "[secret]" });
    expect(run.secrets).toEqual([TOKEN, "Tr0ub4dor&3-horse"]);
  });

  it("adds a stack's secret config values, in every form, to the environment's", () => {
    const config = { "app:dbPassword": { value: "Tr0ub4dor&3-horse", secret: true }, "aws:region": { value: "eu-west-1", secret: false } };
    expect(secretConfigValues(config)).toEqual(["Tr0ub4dor&3-horse"]);
    const both = masker.with(secretConfigValues(config));
    expect(both.mask(`password TR0UB4DOR&3-HORSE, token ${TOKEN}, region eu-west-1`)).toBe(
      "password [secret], token [secret], region eu-west-1",
    );
  });
});
