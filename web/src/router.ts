// Hash routing: the server only serves index.html at "/", every screen lives after the "#".

import { useEffect, useState } from "preact/hooks";

export type Route =
  | { name: "login" }
  | { name: "patients" }
  | { name: "new-patient" }
  | { name: "patient"; id: string }
  | { name: "intake"; id: string }
  | { name: "screening"; id: string }
  | { name: "plan"; id: string }
  | { name: "portal" }
  | { name: "questionnaire"; instrument: string; step: string }
  | { name: "alerts" }
  | { name: "worklist" }
  | { name: "security" }
  | { name: "users" }
  | { name: "sessions" }
  | { name: "session"; id: string }
  | { name: "rems"; id: string }
  | { name: "calendar"; date?: string; view?: string }
  | { name: "booking-requests" }
  | { name: "maintenance"; id: string }
  | { name: "utilisation"; week?: string }
  | { name: "ledger" }
  | { name: "ledger-lot"; id: string }
  | { name: "home" }
  | { name: "unknown"; path: string };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, "").replace(/\/+$/, "") || "/";
  if (path === "/") return { name: "home" };
  if (path === "/login") return { name: "login" };
  if (path === "/patients") return { name: "patients" };
  if (path === "/patients/new") return { name: "new-patient" };
  const m = /^\/patients\/([^/]+)$/.exec(path);
  if (m) return { name: "patient", id: decodeURIComponent(m[1]) };
  const sub = /^\/patients\/([^/]+)\/(intake|screening|plan)$/.exec(path);
  if (sub) return { name: sub[2] as "intake" | "screening" | "plan", id: decodeURIComponent(sub[1]) };
  if (path === "/portal") return { name: "portal" };
  // #/portal/questionnaire/phq9 (first question), …/phq9/3 (question 3), …/phq9/review, …/phq9/done
  const q = /^\/portal\/questionnaire\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (q) return { name: "questionnaire", instrument: decodeURIComponent(q[1]), step: q[2] ?? "1" };
  if (path === "/alerts") return { name: "alerts" };
  if (path === "/worklist") return { name: "worklist" };
  if (path === "/security") return { name: "security" };
  if (path === "/users") return { name: "users" };
  // Infusion sessions (issue 5): today's list, one session, its REMS form.
  if (path === "/sessions") return { name: "sessions" };
  const sess = /^\/sessions\/([^/]+)(\/rems)?$/.exec(path);
  if (sess) return { name: sess[2] ? "rems" : "session", id: decodeURIComponent(sess[1]) };
  // Scheduling (issue 6): the calendar (?date=YYYY-MM-DD&view=week|day), booking requests, a
  // patient's maintenance (booster) view, the director's utilisation (?week=YYYY-MM-DD).
  const cal = /^\/(calendar|utilisation)(?:\?(.*))?$/.exec(path);
  if (cal) {
    const q = new URLSearchParams(cal[2] ?? "");
    return cal[1] === "calendar"
      ? { name: "calendar", date: q.get("date") ?? undefined, view: q.get("view") ?? undefined }
      : { name: "utilisation", week: q.get("week") ?? undefined };
  }
  if (path === "/booking-requests") return { name: "booking-requests" };
  const mnt = /^\/patients\/([^/]+)\/maintenance$/.exec(path);
  if (mnt) return { name: "maintenance", id: decodeURIComponent(mnt[1]) };
  // The controlled-substance ledger (issue 5): lots, discrepancies, the report; one lot.
  if (path === "/ledger") return { name: "ledger" };
  const lot = /^\/ledger\/([^/]+)$/.exec(path);
  if (lot) return { name: "ledger-lot", id: decodeURIComponent(lot[1]) };
  return { name: "unknown", path };
}

export function navigate(hash: string): void {
  if (location.hash !== hash) location.hash = hash;
}

/** Like navigate(), but replaces the current history entry (Back does not return to it). */
export function replaceRoute(hash: string): void {
  if (location.hash === hash) return;
  location.replace(hash);
}

export function useRoute(): [Route, string] {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return [parseHash(hash), hash];
}
