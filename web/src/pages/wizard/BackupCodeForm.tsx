// Request a backup code by the email or phone on the account. The answer is the same whether or
// not an account matches; the link goes to the account's own contacts and expires in 30 minutes.
import { useState } from "preact/hooks";
import { requestBackupCode } from "../../api/lockout";
import { describedBy, ErrorNote, Field, fieldError } from "../../ui/parts";
import { useAction } from "../../ui/hooks";

export function BackupCodeForm({ site, door, caseId }: { site: string; door: string; caseId?: string }) {
  const [by, setBy] = useState<"email" | "phone">("email");
  const [value, setValue] = useState("");
  const [sent, setSent] = useState(false);
  const [missing, setMissing] = useState(false);
  const act = useAction(async () => {
    await requestBackupCode({ site, door, by, value: value.trim(), ...(caseId ? { case: caseId } : {}) });
    return true;
  });
  if (sent) {
    return (
      <div class="note note-ok" role="status">
        <strong>Check your messages.</strong>
        <p>
          If these details match an account with access to this door, we have sent a link by text message and email to the
          contacts on that account. The link works for 30 minutes; asking again replaces it.
        </p>
      </div>
    );
  }
  const err = missing ? `Enter your ${by === "email" ? "email address" : "phone number"}.` : fieldError(act.error, "value");
  return (
    <form
      class="backup-form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        if (!value.trim()) return setMissing(true);
        setMissing(false);
        if (await act.run()) setSent(true);
      }}
    >
      <fieldset>
        <legend>Send the code link using</legend>
        <label class="inline">
          <input type="radio" name="by" value="email" checked={by === "email"} onChange={() => setBy("email")} /> My email
        </label>
        <label class="inline">
          <input type="radio" name="by" value="phone" checked={by === "phone"} onChange={() => setBy("phone")} /> My phone number
        </label>
      </fieldset>
      <Field
        id="backup-value"
        label={by === "email" ? "Email on your account" : "Phone number on your account"}
        hint={by === "phone" ? "It must be the number on your account, for example +1 555 555 0100." : undefined}
        error={err}
      >
        <input
          id="backup-value"
          type={by === "email" ? "email" : "tel"}
          autoComplete={by === "email" ? "email" : "tel"}
          value={value}
          aria-invalid={!!err}
          aria-describedby={describedBy("backup-value", by === "phone" ? "hint" : undefined, err)}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        />
      </Field>
      {act.error && !act.error.field && <ErrorNote error={act.error} />}
      <button type="submit" class="primary" disabled={act.busy}>{act.busy ? "Sending…" : "Send me a backup code"}</button>
    </form>
  );
}
