// What a policy reported, without the policy's description that CrossGuard puts in front of it
// ("<description>\n<message>", in analyzer diagnostics and in engine policy events alike).

export function reportedMessage(description: string, message: string): string {
  const trimmed = message.replace(/\s+$/, "");
  if (description && trimmed.startsWith(`${description}\n`)) return trimmed.slice(description.length + 1).trim() || description;
  return trimmed.trim() || description;
}
