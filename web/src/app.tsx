// The app shell: who is logged in, the header, and which screen the URL hash asks for.

import { useCallback, useEffect, useState } from "preact/hooks";
import { api, setSession, setSessionLostHandler } from "./api";
import { setClinic } from "./format";
import { useResource } from "./data";
import { navigate, parseHash, useRoute, type Route } from "./router";
import type { Me, User } from "./types";
import { can, isStaff, ROLE_LABELS } from "./access";
import { Login } from "./screens/login";
import { PatientList } from "./screens/patient_list";
import { NewPatient } from "./screens/new_patient";
import { PatientView } from "./screens/patient_view";
import { CrisisLink, Portal } from "./screens/portal";
import { Security } from "./screens/security";
import { Questionnaire, clearDrafts } from "./screens/questionnaire";
import { Alerts } from "./screens/alerts";
import { Worklist } from "./screens/worklist";
import { IntakeScreen } from "./screens/intake";
import { ScreeningScreen } from "./screens/screening";
import { PlanScreen } from "./screens/plan";
import { SessionList } from "./screens/session_list";
import { SessionScreen } from "./screens/session";
import { RemsScreen } from "./screens/rems";
import { CalendarScreen } from "./screens/calendar";
import { BookingRequests } from "./screens/booking_requests";
import { MaintenanceScreen } from "./screens/maintenance";
import { UtilisationScreen } from "./screens/utilisation";
import { LedgerLotScreen, LedgerScreen } from "./screens/ledger";
import { AccessDenied, NotFound } from "./components/messages";
import { UsersScreen } from "./screens/users";


function homeFor(user: User): string {
  return user.role === "patient" ? "#/portal" : "#/patients";
}

/** Where to go once logged in: back to the screen the person was on, if that user may see it. */
function afterLogin(user: User, returnTo: string | null): string {
  if (!returnTo) return homeFor(user);
  const r = returnTo.replace(/^#/, "");
  if (r === "" || r === "/" || r === "/login") return homeFor(user);
  if (user.role === "patient" && (r === "/patients" || r === "/patients/new")) return homeFor(user);
  return returnTo;
}

type AuthState =
  | { phase: "checking" }
  | { phase: "out"; expired: boolean }
  | { phase: "in"; user: User };

export function App() {
  const [route, hash] = useRoute();
  const [auth, setAuth] = useState<AuthState>({ phase: "checking" });
  const [returnTo, setReturnTo] = useState<string | null>(null);

  const signIn = useCallback((s: Me, back: string | null) => {
    setSession(s.csrf_token);
    setClinic(s.clinic);
    const user: User = { ...s.user, permissions: s.permissions };
    setAuth({ phase: "in", user });
    navigate(afterLogin(user, back));
  }, []);

  // A 401 on any call made while logged in: the session is gone. Send the person to the login
  // screen with an explanation, remembering where they were.
  useEffect(() => {
    setSessionLostHandler(() => {
      setReturnTo(location.hash || null);
      setAuth({ phase: "out", expired: true });
      navigate("#/login");
    });
    return () => setSessionLostHandler(null);
  }, []);

  // On start (and reload) the cookie may still hold a valid session.
  useEffect(() => {
    const start = location.hash;
    api
      .me()
      .then((s) => signIn(s, start))
      .catch(() => {
        setReturnTo(start || null);
        setAuth({ phase: "out", expired: false });
        navigate("#/login");
      });
  }, [signIn]);

  // Logged out but the hash points elsewhere (typed in, back button): show the login screen.
  // Logged in on #/login or #/: go home. Reads location.hash, not `route`, because a navigate()
  // made in this same turn has not reached the route state yet (hashchange comes later).
  useEffect(() => {
    const now = parseHash(location.hash).name;
    if (auth.phase === "out" && now !== "login") {
      setReturnTo(location.hash);
      navigate("#/login");
    }
    if (auth.phase === "in" && (now === "login" || now === "home")) {
      navigate(homeFor(auth.user));
    }
  }, [auth, hash]);

  const logout = async () => {
    try {
      await api.logout();
    } catch {
      // Logged out either way: the server session is gone or will expire.
    }
    setSession(null);
    setReturnTo(null);
    // The next person at this screen should not see the last one's search.
    sessionStorage.removeItem("kclinic.q");
    clearDrafts();
    setAuth({ phase: "out", expired: false });
    navigate("#/login");
  };

  if (auth.phase === "checking") {
    return (
      <div class="boot" data-testid="loading">
        Loading…
      </div>
    );
  }

  if (auth.phase === "out") {
    return (
      <div class="page page-login">
        <Login expired={auth.expired} onLoggedIn={(s) => signIn(s, returnTo)} />
      </div>
    );
  }

  const user = auth.user;
  const setUser = (u: User) => setAuth({ phase: "in", user: u });
  return (
    <div class="page">
      <Header user={user} route={route} hash={hash} onLogout={logout} />
      <main class="content" id="main">
        <Screen route={route} user={user} onUserChange={setUser} />
        {/* Help within reach on every screen a patient sees. */}
        {user.role === "patient" && <CrisisLink />}
      </main>
    </div>
  );
}

/** Open alerts for a prescriber's header: counted on start, on every screen change and when acknowledged. */
function useOpenAlerts(enabled: boolean, hash: string): number | null {
  const alerts = useResource(enabled ? () => api.alerts("open") : null, [enabled, hash]);
  const { reload } = alerts;
  useEffect(() => {
    if (!enabled) return;
    window.addEventListener("kclinic:alerts-changed", reload);
    const timer = setInterval(reload, 60_000);
    return () => {
      window.removeEventListener("kclinic:alerts-changed", reload);
      clearInterval(timer);
    };
  }, [enabled, reload]);
  if (!enabled || alerts.error || !alerts.data) return null;
  return alerts.data.alerts.filter((a) => !a.acknowledged_at).length;
}

function Header({ user, route, hash, onLogout }: { user: User; route: Route; hash: string; onLogout: () => void }) {
  const staff = isStaff(user);
  const alerts = can(user, "alert.manage");
  const openAlerts = useOpenAlerts(alerts, hash);
  const current = (names: string[]) => (names.includes(route.name) ? "page" : undefined);
  return (
    <header class="header">
      <a class="brand" href={homeFor(user)}>
        kclinic
      </a>
      <nav class="nav" aria-label="Main">
        {staff ? (
          <a href="#/patients" aria-current={current(["patients", "patient", "new-patient", "intake", "screening", "plan"])} data-testid="nav-patients">
            Patients
          </a>
        ) : (
          <a href="#/portal" aria-current={current(["portal", "questionnaire"])} data-testid="nav-portal">
            Your record
          </a>
        )}
        {can(user, "worklist.read") && (
          <a href="#/worklist" aria-current={current(["worklist"])} data-testid="nav-worklist">
            Worklist
          </a>
        )}
        {can(user, "session.read") && (
          <a href="#/sessions" aria-current={current(["sessions", "session", "rems"])} data-testid="nav-sessions">
            Sessions
          </a>
        )}
        {alerts && (
          <a href="#/alerts" aria-current={current(["alerts"])} data-testid="nav-alerts">
            Alerts
            {openAlerts ? (
              <span class="nav-count" data-testid="alert-count">
                {openAlerts}
                <span class="visually-hidden"> open</span>
              </span>
            ) : null}
          </a>
        )}
        {can(user, "schedule.read") && (
          <a href="#/calendar" aria-current={current(["calendar", "booking-requests"])} data-testid="nav-calendar">
            Calendar
          </a>
        )}
        {can(user, "utilisation.read") && (
          <a href="#/utilisation" aria-current={current(["utilisation"])} data-testid="nav-utilisation">
            Utilisation
          </a>
        )}
        {can(user, "ledger.read") && (
          <a href="#/ledger" aria-current={current(["ledger", "ledger-lot"])} data-testid="nav-ledger">
            Ledger
          </a>
        )}
        {can(user, "user.manage") && (
          <a href="#/users" aria-current={current(["users"])} data-testid="nav-users">
            Accounts
          </a>
        )}
        <a href="#/security" aria-current={current(["security"])} data-testid="nav-security">
          Security
        </a>
      </nav>
      <div class="who">
        <span class="who-name" data-testid="header-username">
          {user.username}
        </span>
        <span class="role" data-testid="header-role">
          {ROLE_LABELS[user.role] ?? user.role}
        </span>
        <button type="button" class="btn btn-small" onClick={onLogout} data-testid="logout">
          Log out
        </button>
      </div>
    </header>
  );
}

function Screen({ route, user, onUserChange }: { route: Route; user: User; onUserChange: (u: User) => void }) {
  const staff = isStaff(user);
  switch (route.name) {
    case "patients":
      return staff ? <PatientList /> : <AccessDenied what="the patient list" />;
    case "new-patient":
      return staff ? <NewPatient /> : <AccessDenied what="patient registration" />;
    case "patient":
      return <PatientView key={route.id} id={route.id} user={user} />;
    case "intake":
      return <IntakeScreen key={route.id} id={route.id} user={user} />;
    case "screening":
      return <ScreeningScreen key={route.id} id={route.id} user={user} />;
    case "plan":
      return <PlanScreen key={route.id} id={route.id} user={user} />;
    case "portal":
      return <Portal user={user} />;
    case "questionnaire":
      return <Questionnaire key={route.instrument} user={user} instrument={route.instrument} step={route.step} />;
    case "alerts":
      return can(user, "alert.manage") ? <Alerts /> : <AccessDenied what="alerts" />;
    case "worklist":
      return can(user, "worklist.read") ? <Worklist user={user} /> : <AccessDenied what="the worklist" />;
    case "calendar":
      return can(user, "schedule.read") ? <CalendarScreen date={route.date} view={route.view} /> : <AccessDenied what="the calendar" />;
    case "booking-requests":
      return can(user, "schedule.write") ? <BookingRequests /> : <AccessDenied what="booking requests" />;
    case "maintenance":
      return can(user, "schedule.read") ? <MaintenanceScreen key={route.id} id={route.id} user={user} /> : <AccessDenied />;
    case "utilisation":
      return can(user, "utilisation.read") ? <UtilisationScreen week={route.week} /> : <AccessDenied what="utilisation" />;
    case "sessions":
      return can(user, "session.read") ? <SessionList /> : <AccessDenied what="infusion sessions" />;
    case "session":
      return <SessionScreen key={route.id} id={route.id} user={user} />;
    case "rems":
      return <RemsScreen key={route.id} id={route.id} user={user} />;
    case "ledger":
      return can(user, "ledger.read") ? <LedgerScreen user={user} /> : <AccessDenied what="the ledger" />;
    case "ledger-lot":
      return can(user, "ledger.read") ? <LedgerLotScreen key={route.id} id={route.id} user={user} /> : <AccessDenied what="the ledger" />;
    case "security":
      return <Security user={user} onUserChange={onUserChange} />;
    case "users":
      return can(user, "user.manage") ? <UsersScreen user={user} /> : <AccessDenied what="accounts" />;
    case "home":
    case "login":
      return null; // redirected by the effect in App
    case "unknown":
      return <NotFound />;
  }
}
