// #/ledger and #/ledger/{lot_id}: the controlled-substance ledger (CLINICAL.md §7). Lots with their
// derived balances, discrepancies with their 1-business-day report deadline, receiving vials, a
// lot's entries with the running balance, counts, witnessed adjustments, and the reconciliation
// report for a date range, which prints cleanly.

import { useState } from "preact/hooks";
import { ApiError } from "../api";
import { useResource } from "../data";
import type { User } from "../types";
import { dateTime, fieldMessage, sentence, today, calendarDate, dateOnly, fullName } from "../format";
import { Banner } from "../components/messages";
import {
  KIND_LABELS,
  ledgerApi,
  mg,
  type CountResult,
  type Discrepancy,
  type Inventory,
  type LedgerLot,
  type LedgerLotDetail,
  type LedgerReport,
} from "../ledger";
import { can } from "../access";

/** What the ledger's fields are called on its forms, for the server's errors that name one. */
const FIELD_LABELS: Record<string, string> = {
  amount_mg: "Amount",
  counted_mg: "Counted amount",
  expiry: "Expiry date",
  from: "From date",
  to: "To",
  kind: "Entry kind",
  lot_id: "Lot",
  lot_number: "Lot number",
  note: "Note",
  product: "Product",
  reason: "Reason",
  resolution: "Resolution",
  strength_mg_per_ml: "Strength",
  supplier: "Supplier",
  "supplier.name": "Supplier",
  "supplier.address": "Supplier's address",
  "supplier.dea_number": "Supplier's DEA number",
  vial_count: "Number of vials",
  vial_volume_ml: "Vial volume",
  witness_username: "Witness username",
  witness_password: "Witness password",
  witness_code: "Witness one-time code",
};

/** A server error as a sentence a person reads: the field's label, never its key. */
function message(e: unknown): string {
  if (!(e instanceof ApiError)) return String(e);
  const text = e.message.replace(/^[a-z_.]+: /, "");
  // A whole sentence ("the witness's username, password ... is wrong") stands on its own.
  if (!e.field || /^(the|a|an|no|this|that|your) /i.test(text)) return sentence(text);
  return sentence(fieldMessage(FIELD_LABELS[e.field] ?? "This value", text, e.field));
}

/** useResource with the ledger's error text, which names the field. */
function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [T | null, string | null, () => void] {
  const r = useResource(load, deps);
  return [r.data ?? null, r.error ? message(r.error) : null, r.reload];
}

function firstOfMonth(): string {
  return `${today().slice(0, 8)}01`;
}

export function LedgerScreen({ user }: { user: User }) {
  const writer = can(user, "ledger.write");
  const [lots, lotsError, reloadLots] = useLoad(() => ledgerApi.lots(), []);
  const [disc, discError, reloadDisc] = useLoad(() => ledgerApi.discrepancies(), []);
  const [receiving, setReceiving] = useState(false);
  return (
    <section aria-labelledby="ledger-title" data-testid="ledger">
      <div class="title-row no-print">
        <h1 id="ledger-title">Controlled-substance ledger</h1>
        {writer && (
          <button type="button" class="btn btn-primary" onClick={() => setReceiving(true)} data-testid="ledger-receive-open">
            Receive vials
          </button>
        )}
      </div>
      <div class="no-print">
        {receiving && (
          <ReceiveForm
            onDone={() => {
              setReceiving(false);
              reloadLots();
            }}
            onCancel={() => setReceiving(false)}
          />
        )}
        <h2>Lots</h2>
        {lotsError && <Banner kind="error">{lotsError}</Banner>}
        {!lots && !lotsError && <p class="muted">Loading…</p>}
        {lots && <LotTable lots={lots.lots} />}
        <h2>Discrepancies</h2>
        {discError && <Banner kind="error">{discError}</Banner>}
        {disc && <Discrepancies list={disc.discrepancies} writer={writer} onChange={reloadDisc} />}
      </div>
      <Report />
      {writer && <InventorySection />}
    </section>
  );
}

function LotTable({ lots }: { lots: LedgerLot[] }) {
  if (lots.length === 0) return <p class="card muted">No lots received yet.</p>;
  return (
    <div class="table-wrap">
      <table class="table" data-testid="ledger-lots">
        <thead>
          <tr>
            <th scope="col">Lot</th>
            <th scope="col">Product</th>
            <th scope="col">Vial</th>
            <th scope="col">Expiry</th>
            <th scope="col">Balance</th>
          </tr>
        </thead>
        <tbody>
          {lots.map((l) => (
            <tr key={l.id} data-testid="ledger-lot" data-lot-id={l.id} data-lot-number={l.lot_number}>
              <td>
                <a href={`#/ledger/${encodeURIComponent(l.id)}`} data-testid="ledger-lot-link">
                  {l.lot_number}
                </a>
              </td>
              <td>{l.product}</td>
              <td>
                {l.strength_mg_per_ml} mg/mL × {l.vial_volume_ml} mL
              </td>
              <td>
                {l.expiry}
                {l.expired && <span class="badge badge-danger"> Expired</span>}
              </td>
              <td data-testid="ledger-lot-balance">
                {mg(l.balance_mg)} ({Number(l.balance_ml.toFixed(3))} mL)
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ReceiveForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const [v, setV] = useState({
    supplier_name: "",
    supplier_address: "",
    dea_number: "",
    product: "ketamine hydrochloride injection",
    lot_number: "",
    expiry: "",
    vial_count: "10",
    strength: "50",
    volume: "10",
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.currentTarget as HTMLInputElement).value });
  const input = (k: keyof typeof v, label: string, type: "text" | "date" | "number" = "text") => (
    <div class="field">
      <label for={`rc-${k}`}>{label}</label>
      <input id={`rc-${k}`} type={type as "text"} value={v[k]} onInput={set(k)} data-testid={`receive-${k}`} required step="any" />
    </div>
  );
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await ledgerApi.receive({
        supplier: { name: v.supplier_name, address: v.supplier_address, dea_number: v.dea_number.trim().toUpperCase() },
        product: v.product,
        lot_number: v.lot_number,
        expiry: v.expiry,
        vial_count: Number(v.vial_count),
        strength_mg_per_ml: Number(v.strength),
        vial_volume_ml: Number(v.volume),
      });
      onDone();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form-grid" onSubmit={submit} data-testid="ledger-receive">
      <h2>Receive vials</h2>
      {error && (
        <Banner kind="error" testid="receive-error">
          {error}
        </Banner>
      )}
      {input("supplier_name", "Supplier name")}
      {input("supplier_address", "Supplier address")}
      {input("dea_number", "Supplier DEA number")}
      {input("product", "Product")}
      {input("lot_number", "Lot number")}
      {input("expiry", "Expiry", "date")}
      {input("vial_count", "Vials received", "number")}
      {input("strength", "Strength (mg/mL)", "number")}
      {input("volume", "Vial volume (mL)", "number")}
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="receive-submit">
          Record receipt
        </button>
        <button type="button" class="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Discrepancies({ list, writer, onChange }: { list: Discrepancy[]; writer: boolean; onChange: () => void }) {
  const [resolving, setResolving] = useState<string | null>(null);
  const [text, setText] = useState("");
  const [reported, setReported] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (list.length === 0) return <p class="card muted">No discrepancies.</p>;
  const resolve = async (id: string) => {
    setError(null);
    try {
      await ledgerApi.resolve(id, text, reported);
      setResolving(null);
      setText("");
      onChange();
    } catch (e) {
      setError(message(e));
    }
  };
  return (
    <ul class="alert-list" data-testid="ledger-discrepancies">
      {list.map((d) => (
        <li key={d.id} class={`card alert-item${d.status === "resolved" ? " alert-done" : ""}`} data-testid="ledger-discrepancy" data-status={d.status}>
          <div class="alert-main">
            <strong>Lot {d.lot_number}</strong>: expected {mg(d.expected_mg)}, counted {mg(d.counted_mg)} (
            {d.discrepancy_mg > 0 ? "+" : ""}
            {mg(d.discrepancy_mg)})
            {d.overdue && <span class="badge badge-danger" data-testid="discrepancy-overdue"> Report overdue</span>}
          </div>
          <div class="muted">
            Found {dateTime(d.detected_at)} by {d.detected_by}.{" "}
            {d.status === "open" ? (
              <span data-testid="discrepancy-due">
                Report theft or significant loss to the DEA by {dateTime(d.report_due)} (1 business day).
              </span>
            ) : (
              <span>
                Resolved {d.resolved_at && dateTime(d.resolved_at)} by {d.resolved_by}: {d.resolution}
                {d.reported_to_dea ? " (reported to the DEA)" : ""}
              </span>
            )}
          </div>
          {writer && d.status === "open" && resolving !== d.id && (
            <button type="button" class="btn btn-small" onClick={() => setResolving(d.id)} data-testid="discrepancy-resolve-open">
              Resolve
            </button>
          )}
          {resolving === d.id && (
            <div class="form-grid">
              {error && <Banner kind="error">{error}</Banner>}
              <div class="field field-wide">
                <label for={`res-${d.id}`}>What was found and done</label>
                <textarea id={`res-${d.id}`} value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
              </div>
              <label class="check">
                <input type="checkbox" checked={reported} onChange={(e) => setReported((e.currentTarget as HTMLInputElement).checked)} /> Reported
                to the DEA
              </label>
              <div class="actions">
                <button type="button" class="btn btn-primary" onClick={() => resolve(d.id)}>
                  Save resolution
                </button>
              </div>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

function Report() {
  const [from, setFrom] = useState(firstOfMonth());
  const [to, setTo] = useState(today());
  const [report, setReport] = useState<LedgerReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      setReport(await ledgerApi.report(from, to));
    } catch (err) {
      setError(message(err));
    }
  };
  return (
    <section class="ledger-report" aria-labelledby="report-title" data-testid="ledger-report-section">
      <h2 id="report-title" class="no-print">
        Report
      </h2>
      <form class="card form-grid no-print" onSubmit={run}>
        <div class="field">
          <label for="rep-from">From</label>
          <input id="rep-from" type="date" value={from} onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} data-testid="report-from" />
        </div>
        <div class="field">
          <label for="rep-to">To</label>
          <input id="rep-to" type="date" value={to} onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)} data-testid="report-to" />
        </div>
        <div class="actions">
          <button type="submit" class="btn btn-primary" data-testid="report-run">
            Show report
          </button>
          {report && (
            <button type="button" class="btn" onClick={() => window.print()} data-testid="report-print">
              Print
            </button>
          )}
        </div>
      </form>
      {error && <Banner kind="error">{error}</Banner>}
      {report && <ReportView report={report} />}
    </section>
  );
}

/** The initial or biennial inventory (CLINICAL.md §7: date, opening or close of business), printable. */
function InventorySection() {
  const [kind, setKind] = useState("biennial");
  const [at, setAt] = useState(today());
  const [time, setTime] = useState("close");
  const [inventory, setInventory] = useState<Inventory | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      setInventory(await ledgerApi.inventory(kind, at, time));
    } catch (err) {
      setError(message(err));
    }
  };
  return (
    <section class="ledger-report" aria-labelledby="inventory-title" data-testid="ledger-inventory-section">
      <h2 id="inventory-title" class="no-print">
        Inventory
      </h2>
      <form class="card form-grid no-print" onSubmit={run}>
        <div class="field">
          <label for="inv-kind">Kind</label>
          <select id="inv-kind" value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value)} data-testid="inventory-kind">
            <option value="initial">Initial</option>
            <option value="biennial">Biennial</option>
          </select>
        </div>
        <div class="field">
          <label for="inv-at">Date</label>
          <input id="inv-at" type="date" value={at} onInput={(e) => setAt((e.currentTarget as HTMLInputElement).value)} data-testid="inventory-at" />
        </div>
        <div class="field">
          <label for="inv-time">Taken at</label>
          <select id="inv-time" value={time} onChange={(e) => setTime((e.currentTarget as HTMLSelectElement).value)} data-testid="inventory-time">
            <option value="opening">Opening of business</option>
            <option value="close">Close of business</option>
          </select>
        </div>
        <div class="actions">
          <button type="submit" class="btn btn-primary" data-testid="inventory-run">
            Take inventory
          </button>
          {inventory && (
            <button type="button" class="btn" onClick={() => window.print()} data-testid="inventory-print">
              Print
            </button>
          )}
        </div>
      </form>
      {error && <Banner kind="error">{error}</Banner>}
      {inventory && (
        <div class="print-report" data-testid="ledger-inventory">
          <h1 class="print-only-title">
            {inventory.kind === "initial" ? "Initial" : "Biennial"} inventory of controlled substances
          </h1>
          <p>
            {inventory.kind === "initial" ? "Initial" : "Biennial"} inventory, {calendarDate(inventory.date)} at{" "}
            {inventory.time === "opening" ? "opening" : "close"} of business, taken by {inventory.taken_by}.
          </p>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Lot</th>
                <th scope="col">Product</th>
                <th scope="col">Container</th>
                <th scope="col">Expiry</th>
                <th scope="col">Balance</th>
                <th scope="col">Full vials</th>
              </tr>
            </thead>
            <tbody>
              {inventory.lots.map((l) => (
                <tr key={l.lot.id} data-testid="inventory-line" data-lot-number={l.lot.lot_number}>
                  <td>{l.lot.lot_number}</td>
                  <td>{l.lot.product}</td>
                  <td>
                    {l.lot.strength_mg_per_ml} mg/mL × {l.lot.vial_volume_ml} mL
                  </td>
                  <td>{l.lot.expiry}</td>
                  <td data-testid="inventory-balance">
                    {mg(l.balance_mg)} ({l.balance_ml} mL)
                  </td>
                  <td>{l.full_vials}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {inventory.lots.length === 0 && <p class="muted">No lot had been received by then.</p>}
        </div>
      )}
    </section>
  );
}

function ReportView({ report }: { report: LedgerReport }) {
  return (
    <div class="print-report" data-testid="ledger-report">
      <h1 class="print-only-title">
        Controlled-substance ledger {report.from} to {report.to}
      </h1>
      <p class="muted">
        Entries are never deleted by kclinic; they are kept at least {report.retention_years} years.
      </p>
      {report.lots.map((l) => (
        <article key={l.lot.id} class="report-lot" data-testid="report-lot" data-lot-number={l.lot.lot_number}>
          <h3>
            Lot {l.lot.lot_number}: {l.lot.product}, {l.lot.strength_mg_per_ml} mg/mL × {l.lot.vial_volume_ml} mL, expires {l.lot.expiry}
          </h3>
          <p>
            Supplier {l.lot.supplier.name}, {l.lot.supplier.address}, DEA {l.lot.supplier.dea_number}. Opening balance{" "}
            <strong data-testid="report-opening">{mg(l.opening_balance_mg)}</strong>, closing balance{" "}
            <strong data-testid="report-closing">{mg(l.closing_balance_mg)}</strong>.
          </p>
          <EntryTable entries={l.entries} />
          <p>
            Received {mg(l.totals.received_mg)} · drawn {mg(l.totals.drawn_mg)} · administered {mg(l.totals.administered_mg)} · wasted{" "}
            {mg(l.totals.wasted_mg)} · returned {mg(l.totals.returned_mg)} · transferred out {mg(l.totals.transferred_out_mg)} · adjusted{" "}
            {mg(l.totals.adjusted_mg)}
          </p>
          {l.sessions.length > 0 && (
            <table class="table">
              <caption>Sessions: drawn = administered + wasted + returned</caption>
              <thead>
                <tr>
                  <th scope="col">Session</th>
                  <th scope="col">Drawn</th>
                  <th scope="col">Administered</th>
                  <th scope="col">Wasted</th>
                  <th scope="col">Returned</th>
                  <th scope="col">Reconciles</th>
                </tr>
              </thead>
              <tbody>
                {l.sessions.map((s) => (
                  <tr key={s.session_id}>
                    <td>{sessionName(s.session, null)}</td>
                    <td>{mg(s.drawn_mg)}</td>
                    <td>{mg(s.administered_mg)}</td>
                    <td>{mg(s.wasted_mg)}</td>
                    <td>{mg(s.returned_mg)}</td>
                    <td>{s.reconciles ? "yes" : `NO (${mg(s.unaccounted_mg)} unaccounted)`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </article>
      ))}
      <p data-testid="report-open-discrepancies">Open discrepancies: {report.open_discrepancies.length}</p>
    </div>
  );
}

/**
 * A session as a person names it: "Iris Vandermeer's session of Nov 21, 2026"; without a record
 * of it (the demo's history), the day of the entry.
 */
function sessionName(
  label: { patient_name: { given: string; family: string }; scheduled_at: string } | null | undefined,
  at: string | null,
): string {
  if (label) return `${fullName(label.patient_name)}'s session of ${dateOnly(label.scheduled_at)}`;
  return at ? `a session of ${dateOnly(at)}` : "a session";
}

function EntryTable({ entries }: { entries: LedgerLotDetail["entries"] }) {
  return (
    <div class="table-wrap">
      <table class="table" data-testid="ledger-entries">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Entry</th>
            <th scope="col">Amount</th>
            <th scope="col">Balance</th>
            <th scope="col">By</th>
            <th scope="col">Witness</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-testid="ledger-entry" data-kind={e.kind}>
              <td>{e.seq}</td>
              <td>{dateTime(e.at)}</td>
              <td>{KIND_LABELS[e.kind] ?? e.kind}</td>
              <td>
                {mg(e.amount_mg)} ({Number(e.amount_ml.toFixed(3))} mL)
              </td>
              <td data-testid="entry-balance">{mg(e.balance_after_mg)}</td>
              <td>{e.by}</td>
              <td>{e.witness ?? "—"}</td>
              <td>{e.reason || (e.session_id ? sessionName(e.session, e.at) : "")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function LedgerLotScreen({ id, user }: { id: string; user: User }) {
  const writer = can(user, "ledger.write");
  const [lot, error, reload] = useLoad(() => ledgerApi.lot(id), [id]);
  return (
    <section aria-labelledby="lot-title" data-testid="ledger-lot-page">
      <p class="no-print">
        <a href="#/ledger">← Ledger</a>
      </p>
      {error && <Banner kind="error">{error}</Banner>}
      {!lot && !error && <p class="muted">Loading…</p>}
      {lot && (
        <>
          <h1 id="lot-title">Lot {lot.lot_number}</h1>
          <p>
            {lot.product}, {lot.strength_mg_per_ml} mg/mL × {lot.vial_volume_ml} mL, {lot.vials_received} vials received{" "}
            {dateTime(lot.received_at)} from {lot.supplier.name} (DEA {lot.supplier.dea_number}). Expires {lot.expiry}
            {lot.expired && <strong> (expired)</strong>}.
          </p>
          <p class="lot-balance">
            Balance <strong data-testid="lot-balance">{mg(lot.balance_mg)}</strong> ({Number(lot.balance_ml.toFixed(3))} mL)
          </p>
          <EntryTable entries={lot.entries} />
          {writer && (
            <div class="no-print">
              <CountForm lotId={lot.id} onDone={reload} />
              <AdjustForm lotId={lot.id} onDone={reload} />
            </div>
          )}
        </>
      )}
    </section>
  );
}

function CountForm({ lotId, onDone }: { lotId: string; onDone: () => void }) {
  const [counted, setCounted] = useState("");
  const [note, setNote] = useState("");
  const [result, setResult] = useState<CountResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setResult(null);
    try {
      setResult(await ledgerApi.count(lotId, Number(counted), note || undefined));
      onDone();
    } catch (err) {
      setError(message(err));
    }
  };
  return (
    <form class="card form-grid" onSubmit={submit} data-testid="ledger-count">
      <h2>Count</h2>
      {error && <Banner kind="error">{error}</Banner>}
      {result && !result.discrepancy && (
        <Banner kind="success" testid="count-ok">
          Counted {mg(result.counted_mg)}: matches the ledger.
        </Banner>
      )}
      {result?.discrepancy && (
        <Banner kind="error" testid="count-discrepancy">
          Discrepancy: expected {mg(result.expected_mg)}, counted {mg(result.counted_mg)} ({mg(result.discrepancy_mg)}). Report theft or
          significant loss to the DEA by {dateTime(result.discrepancy.report_due)}.
        </Banner>
      )}
      <div class="field">
        <label for="count-mg">Counted (mg)</label>
        <input id="count-mg" type="number" step="any" min="0" required value={counted} onInput={(e) => setCounted((e.currentTarget as HTMLInputElement).value)} data-testid="count-mg" />
      </div>
      <div class="field">
        <label for="count-note">Note</label>
        <input id="count-note" value={note} onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div class="actions">
        <button type="submit" class="btn btn-primary" data-testid="count-submit">
          Record count
        </button>
      </div>
    </form>
  );
}

function AdjustForm({ lotId, onDone }: { lotId: string; onDone: () => void }) {
  const [v, setV] = useState({ amount: "", reason: "", witness: "", password: "", code: "" });
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.currentTarget as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    try {
      const entry = await ledgerApi.adjust({
        lot_id: lotId,
        amount_mg: Number(v.amount),
        reason: v.reason,
        witness_username: v.witness,
        witness_password: v.password,
        ...(v.code.trim() ? { witness_code: v.code.trim() } : {}),
      });
      setDone(`Adjusted by ${mg(entry.amount_mg)}; balance ${mg(entry.balance_after_mg)}.`);
      setV({ amount: "", reason: "", witness: "", password: "", code: "" });
      onDone();
    } catch (err) {
      setError(message(err));
      setV({ ...v, password: "", code: "" });
    }
  };
  return (
    <form class="card form-grid" onSubmit={submit} data-testid="ledger-adjust" autocomplete="off">
      <h2>Adjustment (witnessed)</h2>
      {error && (
        <Banner kind="error" testid="adjust-error">
          {error}
        </Banner>
      )}
      {done && <Banner kind="success">{done}</Banner>}
      <div class="field">
        <label for="adj-amount">Amount (mg, negative removes)</label>
        <input id="adj-amount" type="number" step="any" required value={v.amount} onInput={set("amount")} data-testid="adjust-mg" />
      </div>
      <div class="field">
        <label for="adj-reason">Reason</label>
        <input id="adj-reason" required value={v.reason} onInput={set("reason")} data-testid="adjust-reason" />
      </div>
      <div class="field">
        <label for="adj-witness">Witness username</label>
        <input id="adj-witness" required value={v.witness} onInput={set("witness")} autocomplete="off" data-testid="adjust-witness" />
      </div>
      <div class="field">
        <label for="adj-password">Witness password</label>
        <input id="adj-password" type="password" required value={v.password} onInput={set("password")} autocomplete="new-password" data-testid="adjust-password" />
      </div>
      <div class="field">
        <label for="adj-code">Witness one-time code</label>
        <input id="adj-code" inputMode="numeric" maxLength={6} value={v.code} onInput={set("code")} autocomplete="off" aria-describedby="adj-code-hint" data-testid="adjust-code" />
        <div class="hint" id="adj-code-hint">
          Only if the witness uses an authenticator app.
        </div>
      </div>
      <div class="actions">
        <button type="submit" class="btn btn-primary" data-testid="adjust-submit">
          Record adjustment
        </button>
      </div>
    </form>
  );
}
