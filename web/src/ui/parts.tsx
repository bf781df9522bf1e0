import { ComponentChildren } from "preact";
import { ApiError } from "../api/errors";
import { link } from "../router";

/** An error in plain words: a title, the server's sentence, and (for invalid_field) the field. */
export function ErrorNote({ error, id, title }: { error?: ApiError; id?: string; title?: string }) {
  if (!error) return null;
  return (
    <div class={`note ${error.code === "not_served" ? "note-info" : "note-error"}`} role="alert" id={id}>
      <strong>{title ?? error.title}</strong>
      <p>{error.code === "not_served" ? "This part of Latchkey is not available on this server yet." : error.message}</p>
    </div>
  );
}

/** Shows `error` under the input when it concerns `name`. */
export function fieldError(error: ApiError | undefined, name: string): string | undefined {
  return error && error.field === name ? error.message : undefined;
}

export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={`field${props.error ? " field-invalid" : ""}`}>
      <label for={props.id}>{props.label}</label>
      {props.hint && <p class="hint" id={`${props.id}-hint`}>{props.hint}</p>}
      {props.children}
      {props.error && (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** aria-describedby for an input inside <Field>. */
export function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return ids || undefined;
}

export function A(props: { href: string; class?: string; children: ComponentChildren }) {
  return (
    <a href={props.href} class={props.class} onClick={link}>
      {props.children}
    </a>
  );
}

export function Loading({ what }: { what: string }) {
  return <p class="muted loading" role="status">Loading {what}…</p>;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="muted">{children}</p>;
}

/** A labelled progress bar: "12 of 40 doors". */
export function Bar({ label, value, max }: { label: string; value: number; max: number }) {
  return (
    <div class="bar">
      <div class="bar-label" id={`bar-${label.replace(/\W/g, "")}`}>
        {label}: {value} of {max}
      </div>
      <progress value={value} max={Math.max(max, 1)} aria-labelledby={`bar-${label.replace(/\W/g, "")}`} />
    </div>
  );
}

export function Badge({ tone, children }: { tone: "ok" | "warn" | "bad" | "neutral"; children: ComponentChildren }) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}
