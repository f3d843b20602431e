// The controlled-substance ledger (issue 5, CLINICAL.md §7): the shapes of /api/v1/ledger/*, the
// calls, and small labels the ledger screens share.

import type { components } from "./api_types.gen";
import { apiRequest } from "./api";

type Schemas = components["schemas"];

export interface Supplier {
  name: string;
  address: string;
  dea_number: string;
}

export type LedgerLot = Schemas["LedgerLot"];

export type EntryKind = "receipt" | "draw" | "administer" | "waste" | "count" | "adjustment" | "transfer_out" | "return";

export type LedgerEntry = Schemas["LedgerEntry"];

export type LedgerLotDetail = Schemas["LedgerLotDetail"];

export type Discrepancy = Schemas["LedgerDiscrepancy"];

export type CountResult = Schemas["LedgerCountResult"];

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

export type LedgerReport = Schemas["LedgerReport"];

/** An initial or biennial inventory (CLINICAL.md §7): every lot's balance at opening or close. */
export interface InventoryLine {
  lot: LedgerLot;
  balance_mg: number;
  balance_ml: number;
  full_vials: number;
}

export type Inventory = Schemas["LedgerInventory"];

export type ReceiptBody = Schemas["LedgerReceipt"];

export const ledgerApi = {
  lots: () => apiRequest<{ lots: LedgerLot[] }>("GET", "/ledger/lots"),
  lot: (id: string) => apiRequest<LedgerLotDetail>("GET", `/ledger/lots/${encodeURIComponent(id)}`),
  receive: (body: ReceiptBody) => apiRequest<LedgerLot>("POST", "/ledger/receipts", body),
  count: (lot_id: string, counted_mg: number, note?: string) =>
    apiRequest<CountResult>("POST", "/ledger/counts", note ? { lot_id, counted_mg, note } : { lot_id, counted_mg }),
  adjust: (body: {
    lot_id: string;
    amount_mg: number;
    reason: string;
    witness_username: string;
    witness_password: string;
    witness_code?: string;
  }) =>
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
