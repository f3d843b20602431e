// The controlled-substance ledger (issue 5, CLINICAL.md §7): the shapes of /api/v1/ledger/*, the
// calls, and small labels the ledger screens share.

import { apiRequest } from "./api";

export interface Supplier {
  name: string;
  address: string;
  dea_number: string;
}

export interface LedgerLot {
  id: string;
  product: string;
  strength_mg_per_ml: number;
  vial_volume_ml: number;
  lot_number: string;
  expiry: string;
  supplier: Supplier;
  vials_received: number;
  received_at: string;
  received_by: string;
  balance_mg: number;
  balance_ml: number;
  expired: boolean;
}

export type EntryKind = "receipt" | "draw" | "administer" | "waste" | "count" | "adjustment" | "transfer_out" | "return";

export interface LedgerEntry {
  id: string;
  lot_id: string;
  seq: number;
  kind: EntryKind;
  amount_mg: number;
  amount_ml: number;
  at: string;
  by: string;
  witness: string | null;
  session_id: string | null;
  patient_id: string | null;
  reason: string;
  balance_after_mg: number;
}

export interface LedgerLotDetail extends LedgerLot {
  entries: LedgerEntry[];
}

export interface Discrepancy {
  id: string;
  lot_id: string;
  lot_number: string;
  kind: "count" | "custody";
  entry_id: string | null;
  session_id: string | null;
  expected_mg: number;
  counted_mg: number;
  discrepancy_mg: number;
  detected_at: string;
  detected_by: string;
  report_due: string;
  overdue: boolean;
  status: "open" | "resolved";
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: string | null;
  reported_to_dea: boolean;
}

export interface CountResult {
  entry: LedgerEntry;
  expected_mg: number;
  counted_mg: number;
  discrepancy_mg: number;
  discrepancy: Discrepancy | null;
}

export interface SessionCustody {
  session_id: string;
  patient_id: string | null;
  drawn_mg: number;
  administered_mg: number;
  wasted_mg: number;
  returned_mg: number;
  unaccounted_mg: number;
  reconciles: boolean;
}

export interface ReportLot {
  lot: LedgerLot;
  opening_balance_mg: number;
  closing_balance_mg: number;
  entries: LedgerEntry[];
  totals: Record<
    "received_mg" | "drawn_mg" | "administered_mg" | "wasted_mg" | "returned_mg" | "transferred_out_mg" | "adjusted_mg",
    number
  >;
  sessions: SessionCustody[];
}

export interface LedgerReport {
  from: string;
  to: string;
  retention_years: number;
  retention_note: string;
  lots: ReportLot[];
  open_discrepancies: Discrepancy[];
}

/** An initial or biennial inventory (CLINICAL.md §7): every lot's balance at opening or close. */
export interface InventoryLine {
  lot: LedgerLot;
  balance_mg: number;
  balance_ml: number;
  full_vials: number;
}

export interface Inventory {
  kind: "initial" | "biennial";
  date: string;
  time: "opening" | "close";
  as_of: string;
  taken_by: string;
  lots: InventoryLine[];
}

export interface ReceiptBody {
  supplier: Supplier;
  product: string;
  lot_number: string;
  expiry: string;
  vial_count: number;
  strength_mg_per_ml: number;
  vial_volume_ml: number;
}

export const ledgerApi = {
  lots: () => apiRequest<{ lots: LedgerLot[] }>("GET", "/ledger/lots"),
  lot: (id: string) => apiRequest<LedgerLotDetail>("GET", `/ledger/lots/${encodeURIComponent(id)}`),
  receive: (body: ReceiptBody) => apiRequest<LedgerLot>("POST", "/ledger/receipts", body),
  count: (lot_id: string, counted_mg: number, note?: string) =>
    apiRequest<CountResult>("POST", "/ledger/counts", note ? { lot_id, counted_mg, note } : { lot_id, counted_mg }),
  adjust: (body: { lot_id: string; amount_mg: number; reason: string; witness_username: string; witness_password: string }) =>
    apiRequest<LedgerEntry>("POST", "/ledger/adjustments", body),
  discrepancies: () => apiRequest<{ discrepancies: Discrepancy[] }>("GET", "/ledger/discrepancies"),
  resolve: (id: string, resolution: string, reported_to_dea: boolean) =>
    apiRequest<Discrepancy>("POST", `/ledger/discrepancies/${encodeURIComponent(id)}/resolve`, { resolution, reported_to_dea }),
  inventory: (kind: string, at: string, time: string) =>
    apiRequest<Inventory>(
      "GET",
      `/ledger/inventory?kind=${encodeURIComponent(kind)}&at=${encodeURIComponent(at)}&time=${encodeURIComponent(time)}`,
    ),
  report: (from: string, to: string) =>
    apiRequest<LedgerReport>("GET", `/ledger/report?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`),
};

/** Who reads the ledger (kLedgerRead) and who keeps it (kLedgerWrite: the CS officer). */
export const LEDGER_READERS = ["admin", "prescriber", "nurse"];
export const LEDGER_WRITERS = ["admin", "prescriber"];

export const KIND_LABELS: Record<string, string> = {
  receipt: "Received",
  draw: "Drawn",
  administer: "Administered",
  waste: "Wasted",
  count: "Count",
  adjustment: "Adjustment",
  transfer_out: "Transferred out",
  return: "Returned",
};

/** mg with up to three decimals, no trailing zeros. */
export function mg(n: number): string {
  return `${Number(n.toFixed(3))} mg`;
}
