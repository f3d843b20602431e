// The booster proposal's small chart: PHQ-9 totals over time, infusions as thin vertical lines, the
// relapse threshold as a dashed line, the predicted relapse (orange) and the proposed booster date
// (green) as labelled vertical lines. x is Unix seconds (uPlot's time axis), dates are UTC midnights.

import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

const DAY = 86_400;

export function dateToX(date: string): number {
  return Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / 1000;
}

interface Props {
  phq9: { date: string; total: number }[];
  infusions: string[];
  threshold: number | null;
  predictedRelapse: string | null;
  proposed: string | null;
  height?: number;
}

export function BoosterChart({ phq9, infusions, threshold, predictedRelapse, proposed, height = 220 }: Props) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const points = [...phq9].sort((a, b) => a.date.localeCompare(b.date));
    const xs = points.map((p) => dateToX(p.date));
    const ys = points.map((p) => p.total);
    const marks = infusions.map(dateToX);
    const extra = [predictedRelapse, proposed].filter((d): d is string => !!d).map(dateToX);
    const all = [...xs, ...marks, ...extra];
    let xMin = all.length ? Math.min(...all) : 0;
    let xMax = all.length ? Math.max(...all) : DAY;
    if (xMax - xMin < DAY) xMax = xMin + DAY;
    xMin -= DAY;
    xMax += DAY * 2;

    const vline = (u: uPlot, x: number, color: string, width: number, dash: number[], label?: string, side: "left" | "right" = "left") => {
      const ctx = u.ctx;
      const px = uPlot.pxRatio;
      const { top, height: h } = u.bbox;
      const cx = Math.round(u.valToPos(x, "x", true));
      ctx.strokeStyle = color;
      ctx.lineWidth = width * px;
      ctx.setLineDash(dash.map((d) => d * px));
      ctx.beginPath();
      ctx.moveTo(cx, top);
      ctx.lineTo(cx, top + h);
      ctx.stroke();
      if (label) {
        ctx.fillStyle = color;
        ctx.font = `${Math.round(11 * px)}px system-ui, sans-serif`;
        // Booster label to the left of its line, relapse to the right: they stay apart when close.
        ctx.textAlign = side === "left" ? "right" : "left";
        ctx.textBaseline = "top";
        ctx.fillText(label, side === "left" ? cx - 3 * px : cx + 3 * px, top + 2 * px);
      }
    };

    const draw = (u: uPlot) => {
      const ctx = u.ctx;
      const { left, top, width, height: h } = u.bbox;
      const px = uPlot.pxRatio;
      ctx.save();
      ctx.beginPath();
      ctx.rect(left, top, width, h);
      ctx.clip();
      for (const m of marks) vline(u, m, "rgba(120, 80, 160, 0.55)", 1.5, []);
      if (threshold != null) {
        const y = Math.round(u.valToPos(threshold, "y", true));
        ctx.strokeStyle = "#b3261e";
        ctx.fillStyle = "#b3261e";
        ctx.lineWidth = 1.5 * px;
        ctx.setLineDash([6 * px, 4 * px]);
        ctx.beginPath();
        ctx.moveTo(left, y);
        ctx.lineTo(left + width, y);
        ctx.stroke();
        ctx.font = `${Math.round(11 * px)}px system-ui, sans-serif`;
        ctx.textAlign = "left";
        ctx.textBaseline = "bottom";
        ctx.fillText(`relapse ≥ ${threshold}`, left + 4 * px, y - 2 * px);
      }
      if (predictedRelapse) vline(u, dateToX(predictedRelapse), "#c25e00", 2, [4, 3], "relapse?", "right");
      if (proposed) vline(u, dateToX(proposed), "#1e6b37", 2.5, [], "booster");
      ctx.restore();
    };

    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height,
      scales: { x: { time: true, range: () => [xMin, xMax] }, y: { range: () => [0, 27] } },
      axes: [{}, { size: 32 }],
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: "Date" },
        { label: "PHQ-9", stroke: "#1f5fa8", width: 2, spanGaps: true, points: { show: true, size: 7, fill: "#1f5fa8" } },
      ],
      hooks: { draw: [draw] },
    };
    const u = new uPlot(opts, [xs, ys], el);
    const ro = new ResizeObserver(() => {
      const w = Math.max(240, el.clientWidth);
      if (Math.abs(w - u.width) > 2) u.setSize({ width: w, height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
    };
  }, [phq9, infusions, threshold, predictedRelapse, proposed, height]);

  return (
    <figure class="chart" data-testid="booster-chart">
      <div
        ref={box}
        class="chart-box"
        role="img"
        aria-label={`PHQ-9 over time with infusions${threshold != null ? `, the relapse threshold ${threshold}` : ""}${
          predictedRelapse ? `, predicted relapse ${predictedRelapse}` : ""
        }${proposed ? ` and the proposed booster ${proposed}` : ""}`}
      />
      <figcaption class="chart-caption booster-key">
        <span><span class="chart-key chart-key-marker" aria-hidden="true" /> infusion</span>
        <span><span class="key-line key-threshold" aria-hidden="true" /> relapse threshold</span>
        <span><span class="key-line key-relapse" aria-hidden="true" /> predicted relapse</span>
        <span><span class="key-line key-booster" aria-hidden="true" /> proposed booster</span>
      </figcaption>
    </figure>
  );
}
