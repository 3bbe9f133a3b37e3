// Whether a comment still holds only its author's words: its edit history (GraphQL; REST does
// not show it). Any maintainer can edit any comment, also a bot's, and the body then carries no
// sign of it; GitHub keeps who edited, and that cannot be rewritten through the API.

import type { GitHubClient } from "./client.js";
import { sameLogin } from "./identity.js";

export type CommentTrust = { readonly trusted: true } | { readonly trusted: false; readonly reason: string };

const HISTORY_PAGE = 100;
const QUERY = `query($id: ID!) {
  node(id: $id) {
    ... on IssueComment {
      lastEditedAt
      editor { login }
      userContentEdits(first: ${HISTORY_PAGE}) { totalCount nodes { editedAt editor { login } } }
    }
  }
}`;

interface HistoryAnswer {
  node: {
    lastEditedAt?: string | null;
    editor?: { login: string } | null;
    userContentEdits?: { totalCount: number; nodes: Array<{ editedAt: string; editor: { login: string } | null } | null> } | null;
  } | null;
}

/** Trusted only when every edit of the comment (if any) was made by `login`. */
export async function commentTrust(client: GitHubClient, nodeId: string, login: string): Promise<CommentTrust> {
  const { node } = await client.graphql<HistoryAnswer>(QUERY, { id: nodeId });
  if (node === null) return { trusted: false, reason: "GitHub could not show the comment's edit history" };
  const edits = node.userContentEdits;
  if (node.lastEditedAt === null || node.lastEditedAt === undefined) {
    return (edits?.totalCount ?? 0) === 0 ? { trusted: true } : { trusted: false, reason: "its edit history is inconsistent" };
  }
  if (edits === null || edits === undefined || edits.totalCount > edits.nodes.length)
    return { trusted: false, reason: `its edit history is longer than the ${HISTORY_PAGE} edits checked` };
  const editors = [node.editor, ...edits.nodes.map((edit) => edit?.editor)].map((editor) => editor?.login);
  const stranger = editors.findIndex((editor) => editor === undefined || !sameLogin(editor, login));
  if (stranger >= 0 || edits.nodes.length === 0) {
    const who = editors[stranger] === undefined ? "an account GitHub no longer shows" : `@${String(editors[stranger])}`;
    return { trusted: false, reason: `it was edited by ${who}, not only by the gate (${login})` };
  }
  return { trusted: true };
}
