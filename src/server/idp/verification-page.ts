/** What the verification page shows: the form, prefilled, and the outcome of the last submission. */
export interface VerificationView {
  /** Where the form posts (the page's own path). */
  readonly action: string;
  readonly realm: string;
  /** Prefilled user code (from `?user_code=` or the submission). */
  readonly userCode: string;
  readonly usernames: readonly string[];
  readonly selectedUser: string | undefined;
  readonly notice: { readonly kind: "done" | "error"; readonly text: string } | undefined;
}

/**
 * The HTML of the verification page (RFC 8628 §3.3): a person types the code
 * a screen shows, picks whom the screen signs in as, and approves or denies.
 * Development only: it asks for no password (whoever can reach the page may
 * approve). Everything echoed is escaped; the page loads nothing.
 */
export function renderVerificationPage(view: VerificationView): string {
  const options = view.usernames
    .map((name) => `<option${name === view.selectedUser ? " selected" : ""}>${escapeHtml(name)}</option>`)
    .join("");
  const notice =
    view.notice === undefined
      ? ""
      : `<p class="${view.notice.kind}" role="${view.notice.kind === "error" ? "alert" : "status"}">${escapeHtml(view.notice.text)}</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in a device — ${escapeHtml(view.realm)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; color: #1b1f24; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input, select, button { font: inherit; padding: .4rem .6rem; }
  input[name=user_code] { font-family: ui-monospace, monospace; letter-spacing: .15em; text-transform: uppercase; width: 12ch; }
  .actions { margin-top: 1.5rem; display: flex; gap: .75rem; }
  .done { background: #e6f4ea; padding: .6rem .8rem; }
  .error { background: #fce8e6; padding: .6rem .8rem; }
  small { color: #57606a; }
</style>
</head>
<body>
<h1>Sign in a device</h1>
<p>Enter the code the screen shows.</p>
${notice}
<form method="post" action="${escapeHtml(view.action)}">
  <label for="user_code">Code</label>
  <input id="user_code" name="user_code" value="${escapeHtml(view.userCode)}" autocomplete="off" autocapitalize="characters" spellcheck="false" required placeholder="WDJB-MJHT">
  <label for="user">Sign the device in as</label>
  <select id="user" name="user">${options}</select>
  <div class="actions">
    <button type="submit" name="action" value="approve">Approve</button>
    <button type="submit" name="action" value="deny">Deny</button>
  </div>
</form>
<p><small>Development identity provider (realm ${escapeHtml(view.realm)}): no password is asked here.</small></p>
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
