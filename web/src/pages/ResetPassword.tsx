// The page a password-reset link opens (sent by email): choose a new password. No sign-in: the
// link's token is the proof, and the server alone decides whether it still is (a link works once,
// for 30 minutes, and only the newest one). A new password signs the account out everywhere.
import { useState } from "preact/hooks";
import { completePasswordReset } from "../api/identity";
import { A, describedBy, ErrorNote, Field, fieldError } from "../ui/parts";
import { useAction } from "../ui/hooks";

export function ResetPassword({ token }: { token: string }) {
  const [password, setPassword] = useState("");
  const [done, setDone] = useState(false);
  const act = useAction(async () => {
    await completePasswordReset(token, password);
    return true;
  });
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await act.run()) setDone(true);
  };
  const passwordErr = fieldError(act.error, "new_password");
  // The server says 401 with field "token" for a link that is unknown, used, replaced or expired;
  // a token it cannot even read is the same dead link to the person holding it.
  const linkDead = act.error?.field === "token";
  return (
    <section aria-labelledby="reset-title" class="narrow">
      <h1 id="reset-title">Choose a new password</h1>
      {done ? (
        <>
          <div class="note note-ok" role="status">
            <strong>Your password is changed.</strong>
            <p>You are signed out on every phone and browser; sign in again with the new password.</p>
          </div>
          <p><A href="/sign-in">Sign in</A></p>
        </>
      ) : linkDead ? (
        <>
          <div class="note note-error" role="alert">
            <strong>This link is not valid or has expired.</strong>
            <p>A link works once, for 30 minutes, and only the newest one you asked for works.</p>
          </div>
          <p><A href="/forgot-password">Ask for a new link</A></p>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <Field id="new-password" label="New password" hint="At least 8 characters; a phrase of 15 or more is best." error={passwordErr}>
            <input id="new-password" type="password" autoComplete="new-password" required value={password}
              aria-invalid={!!passwordErr} aria-describedby={describedBy("new-password", "hint", passwordErr)}
              onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
          </Field>
          {act.error && !passwordErr && <ErrorNote error={act.error} />}
          <button type="submit" class="primary" disabled={act.busy}>{act.busy ? "Saving…" : "Set new password"}</button>
        </form>
      )}
    </section>
  );
}
