// access: sites, units, people and roles (server/api/openapi/access.json).
import { api } from "./client";

export type Role = "owner" | "manager" | "maintenance" | "resident" | "guest" | "support";
export const kRoles: Role[] = ["owner", "manager", "maintenance", "resident", "guest", "support"];

export interface Site { id: string; name: string; timezone: string; created: string; my_roles: Role[] }
export interface SiteDetail extends Site { my_actions: string[] }
export interface Unit { site: string; id: string; name: string }
export interface Membership {
  id: string;
  site: string;
  unit: string | null;
  account: string;
  email: string; // the holder's, for people to read ("" when the account is gone)
  role: Role;
  valid_from: string | null;
  valid_until: string | null;
  schedule: string | null;
  status: "active" | "suspended" | "ended";
  created: string;
}
export interface Invitation {
  email: string;
  role: Role;
  unit?: string | null;
  valid_from?: string | null;
  valid_until?: string | null;
  schedule?: string | null;
}

export const listSites = () => api.get<{ sites: Site[] }>("/api/v1/sites");
export const getSite = (site: string) => api.get<SiteDetail>("/api/v1/sites/{site}", { params: { site } });
export const listUnits = (site: string) => api.get<{ units: Unit[] }>("/api/v1/sites/{site}/units", { params: { site } });
export const createUnit = (site: string, id: string, name: string) =>
  api.post<Unit>("/api/v1/sites/{site}/units", { params: { site }, body: { id, name } });
export const listPeople = (site: string) =>
  api.get<{ people: Membership[] }>("/api/v1/sites/{site}/people", { params: { site } });
export const invitePerson = (site: string, inv: Invitation) =>
  api.post<Membership>("/api/v1/sites/{site}/people", { params: { site }, body: inv });
export const changeRole = (site: string, membership: string, role: Role) =>
  api.patch<Membership>("/api/v1/sites/{site}/people/{membership}", { params: { site, membership }, body: { role } });
/** Ends a membership: a move-out when it is a resident's. */
export const endMembership = (site: string, membership: string) =>
  api.del<void>("/api/v1/sites/{site}/people/{membership}", { params: { site, membership } });

/** Manager actions the site detail grants (docs/roles.md). */
export function can(site: SiteDetail | null | undefined, action: string): boolean {
  return !!site?.my_actions.includes(action);
}

// How a member is named on screen: the email, else the account id.
export const memberName = (m: Membership): string => m.email || m.account;
