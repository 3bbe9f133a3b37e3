// A policy message as the comment shows it: the fix told apart from the problem, and the
// property paths and values it quotes shown as code.

import { describe, expect, it } from "vitest";
import { messageMarkdown, splitMessage } from "../../src/report/policy-message.js";
import { renderGfm, visibleText } from "./rendered-html.js";

describe("splitMessage", () => {
  it.each([
    [
      'defaultActions[0].type must be "redirect", but it is "forward": redirect HTTP to HTTPS.',
      { problem: 'defaultActions[0].type must be "redirect", but it is "forward"', fix: "redirect HTTP to HTTPS." },
    ],
    // A ": " inside a quoted value is not where the fix starts.
    ['name must not be "a: b", but it is "a: b": rename it.', { problem: 'name must not be "a: b", but it is "a: b"', fix: "rename it." }],
    // No instruction after the last ": " (a capital, or nothing): no fix.
    [
      "can't run policy 'x' during preview: String value at .a can't be known",
      { problem: "can't run policy 'x' during preview: String value at .a can't be known" },
    ],
    ["the resource is wrong", { problem: "the resource is wrong" }],
  ])("splits %j", (message, split) => {
    expect(splitMessage(message)).toEqual(split);
  });
});

describe("messageMarkdown", () => {
  it.each([
    [
      'healthCheck.path must be set, but it is not set: set healthCheck.path to "/health".',
      '<code>healthCheck.path</code> must be set, but it is not set: set <code>healthCheck.path</code> to <code>"/health"</code>.',
    ],
    [
      "sslPolicy must be set: set sslPolicy, e.g. to a TLS 1.2 policy.",
      "<code>sslPolicy</code> must be set: set <code>sslPolicy</code>, e.g. to a TLS 1.2 policy.",
    ],
    [
      "interval must be at least 5, but it is -1: raise it.",
      "<code>interval</code> must be at least 5, but it is <code>-1</code>: raise it.",
    ],
    ['protocol defaults to "#{protocol}" @admin #12', 'protocol defaults to <code>"#{protocol}"</code> @\u200badmin #\u200b12'],
  ])("shows %j with paths and values as code", (message, html) => {
    const rendered = renderGfm(messageMarkdown(message));
    expect(visibleText(rendered.replace(/<code>/g, "[code]").replace(/<\/code>/g, "[/code]")).trim()).toBe(
      visibleText(html.replace(/<code>/g, "[code]").replace(/<\/code>/g, "[/code]")),
    );
  });

  it("cuts a long message, ending in an ellipsis", () => {
    const markdown = messageMarkdown(`a.b must be ${"x".repeat(100)}`, 20);
    expect(visibleText(renderGfm(markdown)).trim()).toBe(`a.b must be ${"x".repeat(7)}…`);
  });
});
