// What a policy reported, without the policy's description that CrossGuard puts in front of it
// ("<description>\n<message>", in analyzer diagnostics and in engine policy events alike). The
// analyzer protocol gives the description, so exactly it is taken off; an engine event does not,
// so its first line is.

export function reportedMessage(message: string, description?: string): string {
  const trimmed = message.replace(/\s+$/, "");
  if (description !== undefined) {
    if (description && trimmed.startsWith(`${description}\n`)) return trimmed.slice(description.length + 1).trim() || description;
    return trimmed.trim() || description;
  }
  const newline = trimmed.indexOf("\n");
  if (newline < 0) return trimmed.trim();
  return trimmed.slice(newline + 1).trim() || trimmed.slice(0, newline).trim();
}
