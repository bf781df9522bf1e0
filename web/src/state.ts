// App-wide state: whether someone is signed in, their sites, and the site they are looking at.
import { useEffect, useState } from "preact/hooks";
import { session } from "./api/client";
import { listSites, Site } from "./api/access";
import { asApiError, ApiError } from "./api/errors";

export function useSignedIn(): boolean {
  const [signedIn, set] = useState(session.signedIn());
  useEffect(() => session.subscribe(() => set(session.signedIn())), []);
  return signedIn;
}

const kSiteKey = "latchkey.site";
const siteListeners = new Set<() => void>();

export function chooseSite(id: string) {
  localStorage.setItem(kSiteKey, id);
  siteListeners.forEach((l) => l());
}

export interface Sites { sites: Site[]; current?: Site; error?: ApiError; loading: boolean }

export function useSites(): Sites {
  const signedIn = useSignedIn();
  const [state, setState] = useState<{ sites: Site[]; error?: ApiError; loading: boolean }>({ sites: [], loading: true });
  const [chosen, setChosen] = useState(localStorage.getItem(kSiteKey));
  useEffect(() => {
    const l = () => setChosen(localStorage.getItem(kSiteKey));
    siteListeners.add(l);
    return () => void siteListeners.delete(l);
  }, []);
  useEffect(() => {
    if (!signedIn) return setState({ sites: [], loading: false });
    listSites().then(
      (r) => setState({ sites: r.sites, loading: false }),
      (e) => setState({ sites: [], error: asApiError(e), loading: false }),
    );
  }, [signedIn]);
  const current = state.sites.find((s) => s.id === chosen) ?? state.sites[0];
  return { ...state, current };
}

const kStaff = new Set(["owner", "manager", "maintenance", "support"]);
export function isStaff(site?: Site): boolean {
  return !!site?.my_roles.some((r) => kStaff.has(r));
}
