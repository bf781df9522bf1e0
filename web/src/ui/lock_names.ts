// The site's door names by lock id, for pages whose records name a lock only by its id (work
// orders, lockout cases). While they load, or for a lock not listed, the id itself is shown.
import { listLocks } from "../api/devices";
import { useAsync } from "./hooks";

export function useLockNames(site: string): (lock: string | null | undefined) => string {
  const locks = useAsync(() => listLocks(site), [site]);
  const names = new Map((locks.data?.locks ?? []).map((l) => [l.id, l.name]));
  return (lock) => (lock ? names.get(lock) ?? lock : "");
}
