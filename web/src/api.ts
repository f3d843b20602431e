// Thin client for the kclinic JSON API. Every call goes through request(), which adds the CSRF
// header to state-changing requests, turns error bodies into ApiError, and reports a 401 on an
// authenticated call to the app (the session expired or was revoked server-side).

import type {
  Alert,
  AssessmentResult,
  HistoryEntry,
  InfusionPlan,
  InfusionPlanInput,
  Instrument,
  Intake,
  IntakeBody,
  Me,
  Outcomes,
  OverdueQuestionnaire,
  Patient,
  PatientPage,
  QuestionnaireDue,
  ScreeningDecision,
  ScreeningOverview,
  ScreeningResult,
  ScreeningVocabulary,
  Session,
  SiteSettings,
  Titration,
  ToleranceEvent,
  TotpEnrollment,
  UserList,
  NewUser,
  Account,
  Weight,
} from "./types";

const BASE = "/api/v1";

/** An error answer from the server: {"error": {"code", "message", "field"?}} plus the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** The whole error body, for answers that carry more (409 confirmation_required: `warnings`). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

let csrfToken: string | null = null;
let onSessionLost: (() => void) | null = null;

/** Called after login or /auth/me: later state-changing calls carry this token. */
export function setSession(token: string | null): void {
  csrfToken = token;
}

/** The app's handler for "a call made while logged in came back 401". */
export function setSessionLostHandler(fn: (() => void) | null): void {
  onSessionLost = fn;
}

interface RequestOptions {
  body?: unknown;
  /** Do not treat 401 as an expired session (login, the start-up /auth/me probe, logout). */
  expect401?: boolean;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers["X-CSRF-Token"] = csrfToken;

  let res: Response;
  try {
    res = await fetch(BASE + path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "unavailable", "Cannot reach the kclinic server. Check your connection and try again.");
  }

  if (res.status === 401 && !opts.expect401 && csrfToken !== null) {
    csrfToken = null;
    onSessionLost?.();
  }
  if (res.status === 204) return undefined as T;

  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
    throw new ApiError(
      res.status,
      err?.code ?? "unknown",
      err?.message ?? `The server answered ${res.status} ${res.statusText}`.trim(),
      err?.field || undefined,
      data ?? undefined,
    );
  }
  return data as T;
}

export const api = {
  /** Logs in, then asks /auth/me for the permissions of the account's role. */
  login: async (username: string, password: string, totp?: string): Promise<Me> => {
    const s = await request<Session>("POST", "/auth/login", {
      body: totp ? { username, password, totp } : { username, password },
      expect401: true,
    });
    setSession(s.csrf_token);
    return request<Me>("GET", "/auth/me", { expect401: true });
  },
  me: () => request<Me>("GET", "/auth/me", { expect401: true }),
  logout: () => request<void>("POST", "/auth/logout", { expect401: true }),
  totpEnroll: (password: string) => request<TotpEnrollment>("POST", "/auth/totp/enroll", { body: { password } }),
  totpConfirm: (code: string) => request<void>("POST", "/auth/totp/confirm", { body: { code } }),
  totpRemove: (password: string, code: string) => request<void>("POST", "/auth/totp/remove", { body: { password, code } }),
  changePassword: (current_password: string, new_password: string) =>
    request<void>("POST", "/auth/password", { body: { current_password, new_password } }),

  listUsers: () => request<UserList>("GET", "/users"),
  createUser: (body: NewUser) => request<Account>("POST", "/users", { body }),
  unlockUser: (id: string, reason: string) =>
    request<void>("POST", `/users/${encodeURIComponent(id)}/unlock`, { body: { reason } }),
  resetUserTotp: (id: string, reason: string) =>
    request<void>("POST", `/users/${encodeURIComponent(id)}/totp/reset`, { body: { reason } }),

  listPatients: (q: string, cursor?: string | null, limit = 20) => {
    const p = new URLSearchParams();
    if (q) p.set("q", q);
    p.set("limit", String(limit));
    if (cursor) p.set("cursor", cursor);
    return request<PatientPage>("GET", `/patients?${p}`);
  },
  getPatient: (id: string) => request<Patient>("GET", `/patients/${encodeURIComponent(id)}`),
  createPatient: (body: unknown) => request<Patient>("POST", "/patients", { body }),
  patchPatient: (id: string, body: unknown) =>
    request<Patient>("PATCH", `/patients/${encodeURIComponent(id)}`, { body }),
  addWeight: (id: string, date: string, kg: number, confirm = false) =>
    request<Weight>("POST", `/patients/${encodeURIComponent(id)}/weights`, {
      body: confirm ? { date, kg, confirm } : { date, kg },
    }),
  history: (id: string) =>
    request<{ items: HistoryEntry[] }>("GET", `/patients/${encodeURIComponent(id)}/history`),

  // Measurement-based care.
  instruments: () => request<{ instruments: Instrument[] }>("GET", "/instruments"),
  submitAssessment: (patientId: string, instrument: string, items: (number | null)[]) =>
    request<AssessmentResult>("POST", `/patients/${encodeURIComponent(patientId)}/assessments`, {
      body: { instrument, items },
    }),
  outcomes: (patientId: string) => request<Outcomes>("GET", `/patients/${encodeURIComponent(patientId)}/outcomes`),
  questionnairesDue: (patientId: string) =>
    request<{ due: QuestionnaireDue[] }>("GET", `/patients/${encodeURIComponent(patientId)}/questionnaires`),
  overdueQuestionnaires: () => request<{ items: OverdueQuestionnaire[] }>("GET", "/questionnaires/overdue"),
  alerts: (status: "open" | "all") => request<{ alerts: Alert[] }>("GET", `/alerts?status=${status}`),
  acknowledgeAlert: (id: string, action: string) =>
    request<Alert>("POST", `/alerts/${encodeURIComponent(id)}/acknowledge`, { body: { action } }),
  crisisResources: () => request<{ text: string }>("GET", "/site/crisis-resources"),
  settings: () => request<SiteSettings>("GET", "/settings"),

  // Screening and infusion plans.
  screeningVocabulary: () => request<ScreeningVocabulary>("GET", "/screening/vocabulary"),
  screening: (patientId: string) =>
    request<ScreeningOverview>("GET", `/patients/${encodeURIComponent(patientId)}/screening`),
  submitIntake: (patientId: string, body: IntakeBody) =>
    request<{ intake: Intake; screening: ScreeningResult }>(
      "POST",
      `/patients/${encodeURIComponent(patientId)}/intakes`,
      { body },
    ),
  decide: (patientId: string, intakeId: string, decision: string, reason: string) =>
    request<ScreeningDecision>("POST", `/patients/${encodeURIComponent(patientId)}/screening/decisions`, {
      body: reason ? { intake_id: intakeId, decision, reason } : { intake_id: intakeId, decision },
    }),
  previewPlan: (patientId: string, body: InfusionPlanInput) =>
    request<InfusionPlan>("POST", `/patients/${encodeURIComponent(patientId)}/infusion-plans/preview`, { body }),
  savePlan: (patientId: string, body: InfusionPlanInput) =>
    request<InfusionPlan>("POST", `/patients/${encodeURIComponent(patientId)}/infusion-plans`, { body }),
  titration: (patientId: string, events: ToleranceEvent[] = []) =>
    request<Titration>(
      "GET",
      `/patients/${encodeURIComponent(patientId)}/titration${events.length ? `?events=${events.join(",")}` : ""}`,
    ),
};

let instrumentsCache: Promise<Instrument[]> | null = null;

/** The instrument definitions change only with a server upgrade: fetched once per page load. */
export function loadInstruments(): Promise<Instrument[]> {
  if (!instrumentsCache) {
    instrumentsCache = api.instruments().then(
      (r) => r.instruments,
      (e) => {
        instrumentsCache = null; // try again next time
        throw e;
      },
    );
  }
  return instrumentsCache;
}

let settingsCache: Promise<SiteSettings> | null = null;

/**
 * The site settings (needs settings.read: administrators and prescribers), fetched once per page
 * load: the thresholds a screen prints come from here, never from a number in the code.
 */
export function loadSettings(): Promise<SiteSettings> {
  if (!settingsCache) {
    settingsCache = api.settings().catch((e) => {
      settingsCache = null; // try again next time
      throw e;
    });
  }
  return settingsCache;
}

/** The value in force of one setting, or undefined when the settings are not loaded or lack it. */
export function settingValue(settings: SiteSettings | undefined, key: string): number | undefined {
  return settings?.items.find((s) => s.key === key)?.value;
}

/** The same request() for modules that keep their own calls (schedule.ts): CSRF, errors and 401 handling included. */
export function apiRequest<T>(method: string, path: string, body?: unknown): Promise<T> {
  return request<T>(method, path, body === undefined ? {} : { body });
}
