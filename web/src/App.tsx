// The shell: a skip link, the header with the site picker and navigation (the manager's console
// only for staff roles), and one page per route. Phone first: the navigation wraps into a bar.
import { useEffect, useRef } from "preact/hooks";
import { match, useLocation, navigate } from "./router";
import { chooseSite, isStaff, useSignedIn, useSites } from "./state";
import { signOut } from "./api/identity";
import { A } from "./ui/parts";
import { Wizard } from "./pages/wizard/Wizard";
import { BackupLink } from "./pages/BackupLink";
import { SignIn } from "./pages/SignIn";
import { ForgotPassword } from "./pages/ForgotPassword";
import { ResetPassword } from "./pages/ResetPassword";
import { Home } from "./pages/Home";
import { Locks } from "./pages/Locks";
import { Codes } from "./pages/Codes";
import { Devices } from "./pages/Devices";
import { Fleet } from "./pages/manager/Fleet";
import { WorkOrders } from "./pages/manager/WorkOrders";
import { Cases } from "./pages/manager/Cases";
import { People } from "./pages/manager/People";
import { FanoutCodes } from "./pages/manager/FanoutCodes";
import { Audit } from "./pages/manager/Audit";
import { Firmware } from "./pages/manager/Firmware";

const kPublic = ["/", "/locked-out", "/sign-in", "/forgot-password", "/reset-password/:token", "/backup/:token"];

export function App() {
  const loc = useLocation();
  const path = loc.pathname;
  const signedIn = useSignedIn();
  const sites = useSites();
  const isPublic = kPublic.some((p) => match(p, path));

  useEffect(() => {
    if (!signedIn && !isPublic) navigate(`/sign-in?next=${encodeURIComponent(path)}`, true);
  }, [signedIn, isPublic, path]);

  // After a navigation (not the first load), move focus to the new page's heading so screen
  // readers and keyboards start there.
  const firstPath = useRef(path);
  useEffect(() => {
    if (path === firstPath.current) return;
    firstPath.current = "";
    const h = document.querySelector<HTMLElement>("main h1");
    if (h) {
      h.setAttribute("tabindex", "-1");
      h.focus({ preventScroll: true });
    }
  }, [path]);

  const site = sites.current;
  const staff = isStaff(site);
  const page = route(path, site?.id);
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <A href="/" class="brand">Latchkey</A>
        <nav aria-label="Main">
          <ul>
            {signedIn && (
              <>
                <li><NavLink href="/locks" path={path}>Doors</NavLink></li>
                <li><NavLink href="/codes" path={path}>Codes</NavLink></li>
                <li><NavLink href="/devices" path={path}>Phones</NavLink></li>
              </>
            )}
            <li><NavLink href="/locked-out" path={path} class="urgent">I'm locked out</NavLink></li>
            {!signedIn && <li><NavLink href="/sign-in" path={path}>Sign in</NavLink></li>}
            {signedIn && (
              <li>
                <button type="button" class="link-button" onClick={() => signOut().finally(() => navigate("/"))}>Sign out</button>
              </li>
            )}
          </ul>
        </nav>
        {signedIn && sites.sites.length > 1 && (
          <div class="site-picker">
            <label for="site-picker">Site</label>
            <select id="site-picker" value={site?.id} onChange={(e) => chooseSite((e.target as HTMLSelectElement).value)}>
              {sites.sites.map((s) => <option value={s.id}>{s.name}</option>)}
            </select>
          </div>
        )}
      </header>
      {signedIn && staff && (
        <nav aria-label="Manager" class="subnav">
          <ul>
            <li><NavLink href="/manage/fleet" path={path}>Fleet health</NavLink></li>
            <li><NavLink href="/manage/work-orders" path={path}>Work orders</NavLink></li>
            <li><NavLink href="/manage/cases" path={path}>Lockouts</NavLink></li>
            <li><NavLink href="/manage/people" path={path}>People &amp; units</NavLink></li>
            <li><NavLink href="/manage/codes" path={path}>Shared codes</NavLink></li>
            <li><NavLink href="/manage/audit" path={path}>Audit log</NavLink></li>
            <li><NavLink href="/manage/firmware" path={path}>Firmware</NavLink></li>
          </ul>
        </nav>
      )}
      <main id="main" tabIndex={-1}>{page}</main>
    </>
  );
}

function NavLink(props: { href: string; path: string; class?: string; children: preact.ComponentChildren }) {
  const current = props.path === props.href || props.path.startsWith(props.href + "/");
  return (
    <a href={props.href} class={props.class} aria-current={current ? "page" : undefined} onClick={(e) => { e.preventDefault(); navigate(props.href); }}>
      {props.children}
    </a>
  );
}

function route(path: string, site?: string) {
  let m: Record<string, string> | null;
  if (path === "/") return <Home />;
  if (path === "/locked-out") return <Wizard />;
  if (path === "/sign-in") return <SignIn />;
  if (path === "/forgot-password") return <ForgotPassword />;
  if ((m = match("/reset-password/:token", path))) return <ResetPassword token={m.token} />;
  if ((m = match("/backup/:token", path))) return <BackupLink token={m.token} />;
  if (path === "/devices") return <Devices />;
  if (!site) return <NoSite />;
  switch (path) {
    case "/locks": return <Locks site={site} />;
    case "/codes": return <Codes site={site} />;
    case "/manage/fleet": return <Fleet site={site} />;
    case "/manage/work-orders": return <WorkOrders site={site} />;
    case "/manage/cases": return <Cases site={site} />;
    case "/manage/people": return <People site={site} />;
    case "/manage/codes": return <FanoutCodes site={site} />;
    case "/manage/audit": return <Audit site={site} />;
    case "/manage/firmware": return <Firmware site={site} />;
  }
  return (
    <section>
      <h1>Page not found</h1>
      <p><A href="/">Go to the start</A></p>
    </section>
  );
}

function NoSite() {
  const sites = useSites();
  const signedIn = useSignedIn();
  if (!signedIn) return <p role="status">Taking you to sign in…</p>;
  if (sites.loading) return <p role="status">Loading your sites…</p>;
  return (
    <section>
      <h1>No sites yet</h1>
      <p>{sites.error ? sites.error.message : "Your account has no doors yet. Ask your building's manager for an invitation."}</p>
    </section>
  );
}
