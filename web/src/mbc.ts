// Measurement-based care helpers shared by the staff chart and the portal: series colours, which
// item a server error names, chart series from assessments.

import type { Assessment, Instrument, InstrumentItem } from "./types";
import { instrumentName, parseTime } from "./format";
import type { TrendSeries } from "./components/trend_chart";

export const SCALE_COLORS: Record<string, string> = {
  phq9: "#1f5fa8",
  gad7: "#c2410c",
};
const OTHER_COLOR = "#2f855a";

export function scaleColor(id: string): string {
  return SCALE_COLORS[id] ?? OTHER_COLOR;
}

/** Highest possible total of an instrument (sum of item maxima; a safe upper bound for the y axis). */
export function maxTotal(def: Instrument | undefined, fallback = 27): number {
  if (!def) return fallback;
  if (def.max_total != null && def.max_total > 0) return def.max_total;
  return def.items.reduce((s, it) => s + (it.scored === false ? 0 : it.max), 0) || fallback;
}

/** Scales without any item text are score entry: the wording lives on the clinic's licensed form. */
export function isScoreEntry(def: Instrument): boolean {
  if (def.licence) return def.licence === "score_entry";
  return def.items.every((it) => !it.text);
}

/** Whether the portal insists on an answer before Next (PHQ-9 item 10 may be left blank). */
export function itemRequired(it: InstrumentItem): boolean {
  if (it.required !== undefined) return it.required;
  return it.scored !== false;
}

/**
 * The item number a server error's `field` names, or null. The server names items "item_<n>"
 * (1-based item numbers); positions like "items[3]" (0-based) are understood too.
 */
export function itemFromField(field: string | undefined, items: InstrumentItem[]): number | null {
  if (!field) return null;
  const pos = /^\/?items[[./](\d+)\]?$/.exec(field);
  if (pos) {
    const i = Number(pos[1]);
    return items[i]?.number ?? null;
  }
  const num = /^item[ _-]?(\d+)$/i.exec(field);
  if (num) {
    const n = Number(num[1]);
    return items.some((it) => it.number === n) ? n : null;
  }
  return null;
}

/** One chart series per instrument, x = f(time of the assessment); only assessments with a total. */
export function seriesFor(
  assessments: Assessment[],
  instruments: string[],
  x: (ms: number) => number,
): TrendSeries[] {
  return instruments
    .map((id) => ({
      label: instrumentName(id),
      color: scaleColor(id),
      points: assessments
        .filter((a) => a.instrument === id && a.total != null && !Number.isNaN(parseTime(a.administered_at)))
        .map((a) => ({ x: x(parseTime(a.administered_at)), y: a.total as number }))
        .sort((p, q) => p.x - q.x),
    }))
    .filter((s) => s.points.length > 0);
}
