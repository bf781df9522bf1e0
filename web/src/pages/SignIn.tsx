// Sign in with email and password; when MFA is on the server answers 401 with field "code" and
// the form asks for the 6-digit code (or a recovery code). An enrolled phone proves itself with
// its own key, so the person gets no "new device" notice and the throttle cannot lock them out.
import { useEffect, useRef, useState } from "preact/hooks";
import { signIn } from "../api/identity";
import { deviceKey } from "../api/device_key";
import { describedBy, ErrorNote, Field, fieldError, A } from "../ui/parts";
import { useAction } from "../ui/hooks";
import { navigate } from "../router";

export function SignIn() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [needCode, setNeedCode] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const act = useAction(async () => {
    const proof = await deviceKey.proof(email.trim()).catch(() => undefined);
    return signIn(email.trim(), password, needCode ? code.trim() : undefined, proof);
  });
  const submit = async (e: Event) => {
    e.preventDefault();
    const r = await act.run();
    if (r) {
      const next = new URL(location.href).searchParams.get("next");
      navigate(next && next.startsWith("/") ? next : "/locks", true);
    }
  };
  // MFA on and no code yet: the same form grows the code field.
  const mfaAsked = act.error?.code === "unauthenticated" && act.error.field === "code";
  useEffect(() => {
    if (!mfaAsked || needCode) return;
    setNeedCode(true);
    act.setError(undefined);
  }, [mfaAsked, needCode]);
  useEffect(() => {
    if (needCode) codeRef.current?.focus();
  }, [needCode]);
  const codeErr = needCode ? fieldError(act.error, "code") : undefined;
  return (
    <section aria-labelledby="signin-title" class="narrow">
      <h1 id="signin-title">Sign in</h1>
      <form onSubmit={submit} noValidate>
        <Field id="email" label="Email" error={fieldError(act.error, "email")}>
          <input id="email" type="email" autoComplete="username" required value={email}
            aria-describedby={describedBy("email", undefined, fieldError(act.error, "email"))}
            onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        </Field>
        <Field id="password" label="Password" error={fieldError(act.error, "password")}>
          <input id="password" type="password" autoComplete="current-password" required value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        </Field>
        {needCode && (
          <Field id="code" label="Code from your authenticator app" hint="6 digits, or one of your recovery codes." error={codeErr}>
            <input id="code" ref={codeRef} inputMode="numeric" autoComplete="one-time-code" value={code}
              aria-invalid={!!codeErr} aria-describedby={describedBy("code", "hint", codeErr)}
              onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
          </Field>
        )}
        {act.error && !codeErr && (
          <ErrorNote error={act.error} title={act.error.code === "unauthenticated" ? "That email and password do not match" : undefined} />
        )}
        <button type="submit" class="primary" disabled={act.busy}>{act.busy ? "Signing in…" : "Sign in"}</button>
      </form>
      <p class="aside">
        <A href="/forgot-password">Forgot password?</A>
        <br />
        Cannot get in? <A href="/locked-out">I'm locked out</A>
      </p>
    </section>
  );
}
