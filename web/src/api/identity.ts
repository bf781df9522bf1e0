// identity: sessions, the account, MFA, this phone's enrollment, a forgotten password
// (server/api/openapi/identity.json).
import { api, session, Tokens } from "./client";

export interface Account {
  id: string;
  email: string;
  phone: string;
  display_name: string;
  status: "active" | "locked" | "suspended" | "deleted";
  mfa_enabled: boolean;
  created_at: string;
}
export interface SessionInfo { id: string; account?: string; device: string | null; mfa_satisfied: boolean }
export interface SignedIn extends Tokens { session: SessionInfo; token_type: "Bearer"; account?: Account }
export interface Me extends Account { session: SessionInfo }
export interface DeviceProof { id: string; signed_at: string; signature: string }
export interface Device { id: string; name: string; public_key: string; created_at: string; last_seen_at: string }

export async function signIn(email: string, password: string, code?: string, device?: DeviceProof) {
  const r = await api.post<SignedIn>("/api/v1/sessions", {
    auth: false,
    body: { email, password, ...(code ? { code } : {}), ...(device ? { device } : {}) },
  });
  session.set(r);
  return r;
}

export async function signOut() {
  try {
    await api.del<void>("/api/v1/sessions/current");
  } finally {
    session.set(null);
  }
}

export const getMe = () => api.get<Me>("/api/v1/me");
export const changePassword = (current_password: string, new_password: string) =>
  api.put<void>("/api/v1/me/password", { body: { current_password, new_password } });
export const beginMfa = (password: string) =>
  api.post<{ secret: string; otpauth_uri: string }>("/api/v1/me/mfa", { body: { password } });
export const confirmMfa = (code: string) =>
  api.post<{ recovery_codes: string[] }>("/api/v1/me/mfa/confirm", { body: { code } });
export const listDevices = () => api.get<{ devices: Device[] }>("/api/v1/me/devices");
export const enrollDevice = (name: string, public_key: string) =>
  api.post<Device>("/api/v1/me/devices", { body: { name, public_key } });
export const removeDevice = (device: string) =>
  api.del<void>("/api/v1/me/devices/{device}", { params: { device } });

/** Asks for a reset link by email. 202 with the same message whether or not the address has an
 * account; invalid_field (field "email") for something that is not an address; rate_limited. */
export const requestPasswordReset = (email: string) =>
  api.post<{ message: string }>("/api/v1/password-reset", { auth: false, body: { email } });
/** Sets a new password with the link's token. 204 when done (every session of the account ends);
 * unauthenticated (field "token") when the link is unknown, used, replaced or expired;
 * invalid_field (field "new_password") with the password policy's sentence. */
export const completePasswordReset = (token: string, new_password: string) =>
  api.post<void>("/api/v1/password-reset/complete", { auth: false, body: { token, new_password } });
