// The portal questionnaire's flow as pure functions (screens/questionnaire.tsx draws it; the
// Vitest tests in questionnaire_flow.test.ts cover every branch): which screen a URL step is,
// where Next and Back go, when Next must ask for an answer, which question the review still
// misses, what a saved draft may restore, and how a server error names its question.

import type { Instrument, InstrumentItem } from "./types";
import { sentence } from "./format";
import { itemFromField, itemRequired } from "./mbc";

export type Answers = (number | null)[];

/** The screen a URL step asks for: "3" → the third question, "review", "done", or not found. */
export type Step =
  | { kind: "question"; index: number }
  | { kind: "review" }
  | { kind: "done" }
  | { kind: "not-found" };

export function parseStep(step: string, def: Pick<Instrument, "items">): Step {
  if (step === "done") return { kind: "done" };
  if (step === "review") return { kind: "review" };
  const n = Number(step);
  if (!Number.isInteger(n) || n < 1 || n > def.items.length) return { kind: "not-found" };
  return { kind: "question", index: n - 1 };
}

export function questionnaireBase(instrument: string): string {
  return `#/portal/questionnaire/${encodeURIComponent(instrument)}`;
}

/** Where Next goes from question `index` (0-based): the next question, or the review after the last. */
export function nextHref(def: Pick<Instrument, "id" | "items">, index: number): string {
  const last = index === def.items.length - 1;
  return last ? `${questionnaireBase(def.id)}/review` : `${questionnaireBase(def.id)}/${index + 2}`;
}

/** Where Back goes from question `index`: the previous question, or the portal from the first. */
export function backHref(def: Pick<Instrument, "id">, index: number): string {
  return index === 0 ? "#/portal" : `${questionnaireBase(def.id)}/${index}`;
}

/** Next asks for an answer when the item has none and may not be skipped (PHQ-9 item 10 may). */
export function needsAnswer(item: InstrumentItem, value: number | null | undefined): boolean {
  return value == null && itemRequired(item);
}

/** The first required question without an answer (0-based), or -1: the review cannot send before. */
export function firstMissing(def: Pick<Instrument, "items">, answers: Answers): number {
  return def.items.findIndex((it, i) => itemRequired(it) && answers[i] == null);
}

/** The answers with question `index` set to `value`. */
export function answer(answers: Answers, index: number, value: number): Answers {
  const a = [...answers];
  a[index] = value;
  return a;
}

/**
 * What a draft saved in sessionStorage restores: one answer per item, each within its item's
 * range; anything else (another length, a value out of range, damaged JSON) is blank.
 */
export function restoreDraft(def: Pick<Instrument, "items">, saved: string | null): Answers {
  const blank: Answers = def.items.map(() => null);
  try {
    const parsed: unknown = JSON.parse(saved ?? "null");
    if (Array.isArray(parsed) && parsed.length === def.items.length) {
      return parsed.map((v, i) => (typeof v === "number" && v >= def.items[i].min && v <= def.items[i].max ? v : null));
    }
  } catch {
    // A damaged draft: start again.
  }
  return blank;
}

/** The answer as the review lists it: the option's label, the number, or "Not answered". */
export function answerLabel(def: Pick<Instrument, "items">, i: number, v: number | null): string {
  if (v == null) return "Not answered";
  const o = def.items[i].options?.find((x) => x.value === v);
  return o?.label || String(v);
}

/** The answers a question offers: its labelled options, or every score from min to max. */
export function answerOptions(item: InstrumentItem): { value: number; label?: string | null }[] {
  return item.options && item.options.length
    ? item.options
    : Array.from({ length: item.max - item.min + 1 }, (_, k) => ({ value: item.min + k, label: String(item.min + k) }));
}

/** A refused send as the review shows it: "Question 4: …" when the error names an item. */
export function submitErrorText(field: string | undefined, message: string, items: InstrumentItem[]): string {
  const n = itemFromField(field, items);
  return n != null ? `Question ${n}: ${sentence(message)}` : sentence(message);
}
