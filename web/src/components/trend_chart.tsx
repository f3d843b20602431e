// A small uPlot line chart of rating-scale totals over time, with optional vertical markers
// (infusions) and horizontal reference lines (baseline, response, remission).
//
// uPlot reads x as Unix seconds unless the x scale has `time: false`: "dates" mode passes seconds
// and gets date ticks, "days" mode passes days since an origin and labels ticks "day N".

import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface TrendSeries {
  label: string;
  color: string;
  /** x in the chart's units (Unix seconds for "dates", days for "days"). */
  points: { x: number; y: number }[];
  dash?: number[];
}

export interface RefLine {
  y: number;
  label: string;
  color: string;
  dash?: number[];
}

interface Props {
  series: TrendSeries[];
  xMode: "days" | "dates";
  markers?: number[];
  markerLabel?: string;
  lines?: RefLine[];
  yMax: number;
  height?: number;
  label: string;
  testid?: string;
  /** Legend values follow the cursor (staff, with a mouse); off: the legend is just a key. */
  liveLegend?: boolean;
}

/** Same x for every series, nulls where a series has no value (uPlot's "aligned data"). */
function align(series: TrendSeries[]): uPlot.AlignedData {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = series.map((s) => {
    const col: (number | null)[] = xs.map(() => null);
    for (const p of s.points) col[index.get(p.x)!] = p.y;
    return col;
  });
  return [xs, ...ys];
}

export function TrendChart({
  series,
  xMode,
  markers = [],
  markerLabel,
  lines = [],
  yMax,
  height = 240,
  label,
  testid,
  liveLegend = true,
}: Props) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const data = align(series);
    const xs = data[0] as number[];
    // Keep markers that fall outside the data in view too.
    const allX = [...xs, ...markers];
    let xMin = Math.min(...allX);
    let xMax = Math.max(...allX);
    if (!Number.isFinite(xMin)) {
      xMin = 0;
      xMax = 1;
    }
    const pad = xMode === "days" ? 1 : 86_400;
    if (xMax - xMin < pad) xMax = xMin + pad;

    const drawExtras = (u: uPlot) => {
      const ctx = u.ctx;
      const { left, top, width, height: h } = u.bbox;
      const px = uPlot.pxRatio;
      ctx.save();
      ctx.beginPath();
      ctx.rect(left, top, width, h);
      ctx.clip();
      // Infusions: thin vertical lines.
      ctx.strokeStyle = "rgba(120, 80, 160, 0.55)";
      ctx.lineWidth = 1.5 * px;
      ctx.setLineDash([]);
      for (const m of markers) {
        const x = Math.round(u.valToPos(m, "x", true));
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + h);
        ctx.stroke();
      }
      // Reference lines with their label at the right end.
      ctx.font = `${Math.round(11 * px)}px system-ui, sans-serif`;
      ctx.textAlign = "right";
      ctx.textBaseline = "bottom";
      for (const l of lines) {
        const y = Math.round(u.valToPos(l.y, "y", true));
        ctx.strokeStyle = l.color;
        ctx.fillStyle = l.color;
        ctx.lineWidth = 1.5 * px;
        ctx.setLineDash((l.dash ?? [6, 4]).map((d) => d * px));
        ctx.beginPath();
        ctx.moveTo(left, y);
        ctx.lineTo(left + width, y);
        ctx.stroke();
        ctx.fillText(l.label, left + width - 4 * px, y - 2 * px);
      }
      ctx.restore();
    };

    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height,
      scales: {
        x: { time: xMode === "dates", range: () => [xMin - pad / 2, xMax + pad / 2] },
        y: { range: () => [0, yMax] },
      },
      axes: [
        xMode === "days"
          ? { values: (_u, vals) => vals.map((v) => (Number.isInteger(v) ? `day ${v}` : "")) }
          : {},
        { size: 36 },
      ],
      legend: { show: true, live: liveLegend },
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: xMode === "days" ? "Day" : "Date", value: xMode === "days" ? (_u, v) => (v == null ? "—" : `day ${Math.round(v * 10) / 10}`) : undefined },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          dash: s.dash,
          spanGaps: true,
          points: { show: true, size: 7, fill: s.color },
        })),
      ],
      hooks: { draw: [drawExtras] },
    };
    const u = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => {
      const w = Math.max(240, el.clientWidth);
      if (Math.abs(w - u.width) > 2) u.setSize({ width: w, height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
    };
  }, [series, xMode, markers, lines, yMax, height, liveLegend]);

  return (
    <figure class="chart" data-testid={testid}>
      <div ref={box} class="chart-box" role="img" aria-label={label} />
      {markers.length > 0 && markerLabel && (
        <figcaption class="chart-caption">
          <span class="chart-key chart-key-marker" aria-hidden="true" /> {markerLabel}
        </figcaption>
      )}
    </figure>
  );
}
