// #/sessions/<id>/rems (nurses, prescribers): the esketamine REMS Patient Monitoring Form of one
// session. What the session recorded is filled in by the server (identity, dose, lot, times, BP,
// observations); the nurse enters the rest (concomitant medicines, monitoring clinician, setting,
// when the patient would have been ready to leave). "Mark complete" is refused while a field is
// missing: the missing fields are listed and marked. The page prints as the form.

import { useRef, useState } from "preact/hooks";
import { ApiError } from "../api";
import { useResource, useMutation } from "../data";
import type { User } from "../types";
import { dateOnly, dateTime, displayZone, doseMg, parseTime, sentence, zoneDiffers } from "../format";
import { utcToZoned, zonedToUtc } from "../schedule";
import { AccessDenied, Banner, NotFound } from "../components/messages";
import { FormBanner } from "../components/session_util";
import { patientName, remsFieldLabel, sessionApi, type InfusionSession, type Rems, type RemsFields } from "../session";
import { can } from "../access";

const CONCOMITANT = ["benzodiazepines", "sedative_hypnotics", "stimulants", "maois", "opioids"] as const;

type Tri = "" | "yes" | "no";
const tri = (b: boolean | null | undefined): Tri => (b === true ? "yes" : b === false ? "no" : "");
const fromTri = (t: Tri): boolean | null => (t === "yes" ? true : t === "no" ? false : null);

/** ISO UTC → the value of a datetime-local input, in the clinic's zone. */
function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  if (Number.isNaN(parseTime(iso))) return "";
  const zone = displayZone();
  if (zone) {
    const z = utcToZoned(iso, zone);
    return `${z.date}T${z.time}`;
  }
  const d = new Date(parseTime(iso));
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A datetime-local input's value, read in the clinic's zone → ISO UTC. */
function fromLocalInput(v: string): string | null {
  if (!v) return null;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(v);
  const zone = displayZone();
  if (m && zone) return zonedToUtc(m[1], m[2], zone);
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

interface Entry {
  concomitant: Record<string, Tri>;
  clinician_name: string;
  clinician_phone: string;
  setting: string;
  lot_number: string;
  ready_to_leave_at: string;
}

function entryFrom(f: RemsFields): Entry {
  return {
    concomitant: Object.fromEntries(CONCOMITANT.map((k) => [k, tri(f.concomitant?.[k])])),
    clinician_name: f.monitoring_clinician?.name ?? "",
    clinician_phone: f.monitoring_clinician?.phone ?? "",
    setting: f.setting ?? "",
    lot_number: f.lot_number ?? "",
    ready_to_leave_at: toLocalInput(f.ready_to_leave_at),
  };
}

export function RemsScreen({ id, user }: { id: string; user: User }) {
  const allowed = can(user, "session.read");
  const load = useResource(
    allowed
      ? () =>
          sessionApi.get(id).then((s) => {
            if (!s.rems) throw new ApiError(404, "not_found", "This session has no REMS form (only esketamine sessions do).");
            return { s, rems: s.rems };
          })
      : null,
    [id, allowed],
  );

  if (!allowed) return <AccessDenied what="REMS forms" />;
  if (load.error) {
    const e = load.error;
    if (e.status === 403) return <AccessDenied />;
    if (e.status === 404 && e.code !== "not_found") return <NotFound what="Session" />;
    return (
      <Banner kind="error" testid="rems-load-error">
        {sentence(e.message)}
      </Banner>
    );
  }
  if (!load.data) return <p class="muted">Loading…</p>;
  return <RemsForm s={load.data.s} initial={load.data.rems} />;
}

function yesNo(b: boolean | null | undefined): string {
  return b === true ? "Yes" : b === false ? "No" : "—";
}

function bpText(v: { sbp: number; dbp: number } | null): string {
  return v ? `${v.sbp}/${v.dbp} mmHg` : "—";
}

function RemsForm({ s, initial }: { s: InfusionSession; initial: Rems }) {
  const [rems, setRems] = useState<Rems>(initial);
  const [entry, setEntry] = useState<Entry>(() => entryFrom(initial.fields));
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation();
  const done = useMutation();
  // Answers that arrive after a newer save or completion was started are dropped.
  const seq = useRef(0);
  const f = rems.fields;
  const locked = rems.complete;
  const missing = new Set(rems.missing);
  const isMissing = (field: string) =>
    missing.has(field) || [...missing].some((m) => m.startsWith(field + ".")) || done.errorFor(field) !== undefined || save.errorFor(field) !== undefined;

  const body = () => ({
    concomitant: Object.fromEntries(CONCOMITANT.map((k) => [k, fromTri(entry.concomitant[k])])),
    monitoring_clinician: { name: entry.clinician_name.trim() || null, phone: entry.clinician_phone.trim() || null },
    setting: entry.setting.trim() || null,
    lot_number: entry.lot_number.trim() || null,
    ready_to_leave_at: fromLocalInput(entry.ready_to_leave_at),
  });

  const onSave = async (e?: Event): Promise<boolean> => {
    e?.preventDefault();
    setSaved(null);
    const mine = ++seq.current;
    return save.run(async () => {
      const r = await sessionApi.saveRems(s.id, body());
      if (mine !== seq.current) return;
      setRems(r);
      setSaved("Saved.");
    });
  };

  const complete = async () => {
    setSaved(null);
    if (!(await onSave())) return;
    const mine = seq.current;
    const ok = await done.run(async () => {
      const r = await sessionApi.completeRems(s.id);
      setRems(r);
      setSaved("The form is complete.");
    });
    if (!ok) {
      // Re-read the form so the list of missing fields is the server's current one.
      try {
        const fresh = await sessionApi.get(s.id);
        if (fresh.rems && mine === seq.current) setRems(fresh.rems);
      } catch {
        // The error banner already says what went wrong.
      }
    }
  };

  const row = (field: string, label: string, value: string) => (
    <tr class={isMissing(field) ? "rems-missing" : undefined} data-testid={`rems-auto-${field}`} data-missing={String(isMissing(field))}>
      <th scope="row">{label}</th>
      <td>
        {value}
        {isMissing(field) && <span class="rems-missing-flag"> · missing</span>}
      </td>
    </tr>
  );

  const fieldClass = (field: string) => `field${isMissing(field) ? " field-invalid" : ""}`;
  const errLine = (field: string, testid: string) => {
    const m = save.errorFor(field) ?? done.errorFor(field) ?? (missing.has(field) ? "Missing" : undefined);
    return m ? (
      <div class="field-error" data-testid={testid}>
        {m}
      </div>
    ) : null;
  };

  return (
    <section aria-labelledby="rems-title" data-testid="rems-page" data-complete={String(rems.complete)}>
      <p class="crumbs no-print">
        <a href={`#/sessions/${encodeURIComponent(s.id)}`}>← Session</a> · <a href="#/sessions">Sessions</a>
      </p>
      <div class="title-row">
        <h1 id="rems-title">REMS Patient Monitoring Form</h1>
        <button type="button" class="btn btn-small no-print" onClick={() => window.print()} data-testid="rems-print">
          Print
        </button>
      </div>
      <p>
        Esketamine (Spravato) · {patientName(s.patient.name)} · due <strong data-testid="rems-due">{dateOnly(rems.due_date)}</strong>
        {rems.overdue && !rems.complete && (
          <span class="badge session-overdue" data-testid="rems-overdue">
            {" "}
            OVERDUE
          </span>
        )}
      </p>
      {rems.complete ? (
        <Banner kind="success" testid="rems-complete">
          Complete{rems.completed_by ? ` — ${rems.completed_by}` : ""}
          {rems.completed_at ? `, ${dateTime(rems.completed_at)}` : ""}.
        </Banner>
      ) : (
        rems.missing.length > 0 && (
          <div class="banner banner-info" data-testid="rems-missing">
            Still missing: <span data-testid="rems-missing-list">{rems.missing.map(remsFieldLabel).join(", ")}</span>
          </div>
        )
      )}

      <section class="card" aria-labelledby="rems-auto-title">
        <h2 id="rems-auto-title">From the session</h2>
        <table class="table rems-table">
          <tbody>
            {row("patient_name", "Patient name", f.patient_name ?? "—")}
            {row("birth_date", "Date of birth", f.birth_date ?? "—")}
            {row("first_treatment", "First treatment with esketamine", yesNo(f.first_treatment))}
            {row("session_date", "Date of session", f.session_date ?? "—")}
            {row("dose_mg", "Dose", f.dose_mg != null ? `${doseMg(f.dose_mg)} mg` : "—")}
            {row("first_device_at", "First device", f.first_device_at ? dateTime(f.first_device_at) : "—")}
            {row("monitoring_end_at", "End of monitoring", f.monitoring_end_at ? dateTime(f.monitoring_end_at) : "—")}
            {row("total_monitoring_min", "Total monitoring time", f.total_monitoring_min != null ? `${f.total_monitoring_min} min` : "—")}
            {row("bp_before", "BP before dosing", bpText(f.bp_before))}
            {row("bp_40_min", "BP at 40 minutes", bpText(f.bp_40_min))}
            {row("bp_end", "BP at the end", bpText(f.bp_end))}
            {row("vitals_acceptable_before", "Vital signs acceptable before dosing", yesNo(f.vitals_acceptable_before))}
            {row("vitals_acceptable_end", "Vital signs acceptable at the end", yesNo(f.vitals_acceptable_end))}
            {row("sedation_observed", "Sedation observed", yesNo(f.sedation_observed))}
            {row("dissociation_observed", "Dissociation observed", yesNo(f.dissociation_observed))}
            {row("respiratory_depression_observed", "Respiratory depression observed", yesNo(f.respiratory_depression_observed))}
          </tbody>
        </table>
      </section>

      <form class="card" onSubmit={(e) => void onSave(e)} noValidate aria-labelledby="rems-entry-title" data-testid="rems-form">
        <h2 id="rems-entry-title">Entered by the nurse</h2>
        <fieldset class={isMissing("concomitant") ? "field-invalid" : undefined}>
          <legend>Concomitant medicines the patient takes</legend>
          <div class="grid">
            {CONCOMITANT.map((k) => {
              const field = `concomitant.${k}`;
              return (
                <div class={fieldClass(field)} key={k}>
                  <label for={`rems-${k}`}>{remsFieldLabel(field).replace(/^Concomitant: /, "")}</label>
                  <select
                    id={`rems-${k}`}
                    value={entry.concomitant[k]}
                    disabled={locked}
                    onChange={(e) =>
                      setEntry({ ...entry, concomitant: { ...entry.concomitant, [k]: (e.currentTarget as HTMLSelectElement).value as Tri } })
                    }
                    aria-invalid={isMissing(field) ? true : undefined}
                    data-testid={`rems-concomitant-${k}`}
                  >
                    <option value="">—</option>
                    <option value="yes">Yes</option>
                    <option value="no">No</option>
                  </select>
                  {errLine(field, `error-rems-${k}`)}
                </div>
              );
            })}
          </div>
        </fieldset>
        <div class="grid">
          <div class={fieldClass("monitoring_clinician.name")}>
            <label for="rems-clinician-name">Monitoring clinician</label>
            <input
              id="rems-clinician-name"
              value={entry.clinician_name}
              disabled={locked}
              onInput={(e) => setEntry({ ...entry, clinician_name: (e.currentTarget as HTMLInputElement).value })}
              data-testid="rems-clinician-name"
            />
            {errLine("monitoring_clinician.name", "error-rems-clinician-name")}
          </div>
          <div class={fieldClass("monitoring_clinician.phone")}>
            <label for="rems-clinician-phone">Clinician's phone</label>
            <input
              id="rems-clinician-phone"
              type="tel"
              value={entry.clinician_phone}
              disabled={locked}
              onInput={(e) => setEntry({ ...entry, clinician_phone: (e.currentTarget as HTMLInputElement).value })}
              data-testid="rems-clinician-phone"
            />
            {errLine("monitoring_clinician.phone", "error-rems-clinician-phone")}
          </div>
          <div class={fieldClass("setting")}>
            <label for="rems-setting">Healthcare setting</label>
            <input
              id="rems-setting"
              value={entry.setting}
              disabled={locked}
              onInput={(e) => setEntry({ ...entry, setting: (e.currentTarget as HTMLInputElement).value })}
              data-testid="rems-setting"
            />
            {errLine("setting", "error-rems-setting")}
          </div>
          <div class={fieldClass("lot_number")}>
            <label for="rems-lot">Lot number of the devices</label>
            <input
              id="rems-lot"
              value={entry.lot_number}
              disabled={locked}
              onInput={(e) => setEntry({ ...entry, lot_number: (e.currentTarget as HTMLInputElement).value })}
              data-testid="rems-lot"
            />
            {errLine("lot_number", "error-rems-lot")}
          </div>
          <div class={fieldClass("ready_to_leave_at")}>
            <label for="rems-ready">
              Would have been ready to leave at{zoneDiffers() ? ` (${displayZone()})` : ""}
            </label>
            <input
              id="rems-ready"
              type="datetime-local"
              value={entry.ready_to_leave_at}
              disabled={locked}
              onInput={(e) => setEntry({ ...entry, ready_to_leave_at: (e.currentTarget as HTMLInputElement).value })}
              data-testid="rems-ready"
            />
            <div class="hint">Without the 2-hour monitoring rule.</div>
            {errLine("ready_to_leave_at", "error-rems-ready")}
          </div>
        </div>
        {saved && (
          <Banner kind="success" testid="rems-saved">
            {saved}
          </Banner>
        )}
        <FormBanner message={(save.errorText ?? undefined)} testid="rems-save-error" />
        <FormBanner message={(done.errorText ?? undefined)} testid="rems-complete-error" />
        {!locked && (
          <div class="actions no-print">
            <button type="submit" class="btn" disabled={save.pending || done.pending} data-testid="rems-save">
              Save
            </button>
            <button type="button" class="btn btn-primary" disabled={save.pending || done.pending} onClick={() => void complete()} data-testid="rems-mark-complete">
              Mark complete
            </button>
          </div>
        )}
      </form>
    </section>
  );
}
