// Forgot password: ask for a reset link by email. The server answers the same sentence whether or
// not the address has an account (so this page cannot tell anyone who has one), and that sentence
// is what the page shows; the link itself goes only to the account's own address.
import { useState } from "preact/hooks";
import { requestPasswordReset } from "../api/identity";
import { A, describedBy, ErrorNote, Field, fieldError } from "../ui/parts";
import { useAction } from "../ui/hooks";

export function ForgotPassword() {
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState<string | undefined>();
  const act = useAction(() => requestPasswordReset(email.trim()));
  const submit = async (e: Event) => {
    e.preventDefault();
    const r = await act.run();
    if (r) setSent(r.message);
  };
  const emailErr = fieldError(act.error, "email");
  return (
    <section aria-labelledby="forgot-title" class="narrow">
      <h1 id="forgot-title">Forgot your password?</h1>
      {sent !== undefined ? (
        <div class="note note-ok" role="status">
          <strong>Check your email.</strong>
          <p>{sent}</p>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          <p>Enter the email address of your account and we will send you a link to choose a new password.</p>
          <Field id="email" label="Email" error={emailErr}>
            <input id="email" type="email" autoComplete="username" required value={email}
              aria-invalid={!!emailErr} aria-describedby={describedBy("email", undefined, emailErr)}
              onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
          </Field>
          {act.error && !emailErr && <ErrorNote error={act.error} />}
          <button type="submit" class="primary" disabled={act.busy}>{act.busy ? "Sending…" : "Send me a reset link"}</button>
        </form>
      )}
      <p class="aside">
        Remembered it? <A href="/sign-in">Sign in</A>. Locked out of a door right now? <A href="/locked-out">I'm locked out</A>
      </p>
    </section>
  );
}
