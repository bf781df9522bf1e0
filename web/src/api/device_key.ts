// This phone's own key pair (Ed25519 in WebCrypto, the private key not extractable, kept in
// IndexedDB), its enrollment id, and the sign-in proof the identity API accepts
// (DeviceProof in server/api/openapi/identity.json).
const kDb = "latchkey";
const kStore = "device";

function db(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(kDb, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(kStore);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function idb<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  const d = await db();
  return new Promise((resolve, reject) => {
    const r = f(d.transaction(kStore, mode).objectStore(kStore));
    r.onsuccess = () => resolve(r.result as T);
    r.onerror = () => reject(r.error);
  });
}

export interface DeviceRecord { id?: string; name: string; keys: CryptoKeyPair; publicKey: string }

export function b64url(bytes: ArrayBuffer): string {
  let s = "";
  new Uint8Array(bytes).forEach((b) => (s += String.fromCharCode(b)));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export const deviceKey = {
  async load(): Promise<DeviceRecord | undefined> {
    try {
      return await idb<DeviceRecord | undefined>("readonly", (s) => s.get("this"));
    } catch {
      return undefined;
    }
  },
  async create(name: string): Promise<DeviceRecord> {
    const keys = (await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"])) as CryptoKeyPair;
    const publicKey = b64url(await crypto.subtle.exportKey("raw", keys.publicKey));
    const rec: DeviceRecord = { name, keys, publicKey };
    await idb("readwrite", (s) => s.put(rec, "this"));
    return rec;
  },
  async save(rec: DeviceRecord): Promise<void> {
    await idb("readwrite", (s) => s.put(rec, "this"));
  },
  async forget(): Promise<void> {
    await idb("readwrite", (s) => s.delete("this"));
  },
  /** The proof for signing in as `email` from this enrolled phone, or undefined. */
  async proof(email: string) {
    const rec = await this.load();
    if (!rec?.id) return undefined;
    const signed_at = new Date().toISOString();
    const msg = `latchkey-sign-in-v1\n${rec.id}\n${email.toLowerCase()}\n${signed_at}`;
    const sig = await crypto.subtle.sign({ name: "Ed25519" }, rec.keys.privateKey, new TextEncoder().encode(msg));
    return { id: rec.id, signed_at, signature: b64url(sig) };
  },
};
