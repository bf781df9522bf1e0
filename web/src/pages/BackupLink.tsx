// The page a backup-code link opens (sent by SMS and email): the code, the door, and the time
// left before the link expires, counting down live. No sign-in: the link's token is the proof.
import { openBackupLink } from "../api/lockout";
import { toMs } from "../api/time";
import { useAsync, useNow } from "../ui/hooks";
import { A, ErrorNote, Loading } from "../ui/parts";
import { countdown } from "../ui/format";

export function BackupLink({ token }: { token: string }) {
  const link = useAsync(() => openBackupLink(token), [token]);
  const now = useNow(1000);
  if (link.loading && !link.data) return <Loading what="your backup code" />;
  if (link.error || !link.data) {
    return (
      <section aria-labelledby="bl-title">
        <h1 id="bl-title">Backup code</h1>
        <ErrorNote error={link.error} />
        {link.error?.code === "gone" || link.error?.code === "not_found" ? (
          <p>
            Links work for 30 minutes and only the newest one works. <A href="/locked-out">Ask for a new backup code</A>.
          </p>
        ) : (
          <p><A href="/locked-out">Back to I'm locked out</A></p>
        )}
      </section>
    );
  }
  const d = link.data;
  const left = (toMs(d.expires_at) ?? 0) - now;
  const expired = left <= 0;
  const minutesLeft = Math.ceil(left / 60000);
  return (
    <section aria-labelledby="bl-title" class="backup-link">
      <h1 id="bl-title">Your backup code</h1>
      <p>
        For <strong>{d.lock_name}</strong>
        {d.site_name ? <> at <strong>{d.site_name}</strong></> : null}
      </p>
      {expired ? (
        <div class="note note-error" role="alert">
          <strong>This link has expired.</strong>
          <p><A href="/locked-out">Ask for a new backup code</A>.</p>
        </div>
      ) : (
        <>
          <p class="backup-code">
            <span class="visually-hidden">Code {d.code.split("").join(" ")}</span>
            {d.code.split("").map((c) => <span aria-hidden="true">{c}</span>)}
          </p>
          <p class="countdown">
            This link expires in <time aria-hidden="true">{countdown(left)}</time>
            <span class="visually-hidden" aria-live="polite">{minutesLeft} minute{minutesLeft === 1 ? "" : "s"}</span>.
          </p>
          <ol class="substeps">
            <li>Enter the code on the keypad, then press ✓.</li>
            <li>It works even when the lock is offline.</li>
            <li>Once you are in, set up a new code of your own in the app.</li>
          </ol>
        </>
      )}
    </section>
  );
}
