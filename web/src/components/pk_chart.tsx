// The predicted plasma concentration of a planned infusion (uPlot): one line per curve (the
// planned one thicker), a dashed horizontal line at the threshold (100 ng/mL). x is minutes since
// the start of the infusion, so the x scale has `time: false` (uPlot reads x as Unix seconds
// otherwise).

import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { PkPrediction } from "../types";

const COLOURS = ["#1f5fa8", "#c46a00", "#6a3d9a"];

export function curveColour(i: number): string {
  return COLOURS[i % COLOURS.length];
}

export function PkChart({ pk, height = 260 }: { pk: PkPrediction; height?: number }) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const planned = pk.curves.find((c) => c.planned) ?? pk.curves[0];
    const data: uPlot.AlignedData = [
      pk.times_min,
      ...pk.curves.map((c) => c.plasma),
      ...(planned?.metabolite ? [planned.metabolite.values] : []),
    ];
    const peak = Math.max(pk.threshold_ng_per_ml, ...pk.curves.flatMap((c) => c.plasma));
    const yMax = Math.ceil((peak * 1.1) / 50) * 50;
    const threshold = pk.threshold_ng_per_ml;

    const drawThreshold = (u: uPlot) => {
      const ctx = u.ctx;
      const { left, top, width, height: h } = u.bbox;
      const px = uPlot.pxRatio;
      const y = Math.round(u.valToPos(threshold, "y", true));
      ctx.save();
      ctx.beginPath();
      ctx.rect(left, top, width, h);
      ctx.clip();
      ctx.strokeStyle = "#b3261e";
      ctx.fillStyle = "#b3261e";
      ctx.lineWidth = 1.5 * px;
      ctx.setLineDash([6 * px, 4 * px]);
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
      ctx.font = `${Math.round(11 * px)}px system-ui, sans-serif`;
      ctx.textAlign = "right";
      ctx.textBaseline = "bottom";
      ctx.fillText(`${threshold} ${pk.unit}`, left + width - 4 * px, y - 2 * px);
      ctx.restore();
    };

    const fmt = (v: number | null) => (v == null ? "—" : `${Math.round(v)} ${pk.unit}`);
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height,
      scales: { x: { time: false }, y: { range: () => [0, yMax] } },
      axes: [
        { label: "minutes", values: (_u, vals) => vals.map((v) => String(v)) },
        { label: pk.unit, size: 48 },
      ],
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: "Minute", value: (_u, v) => (v == null ? "—" : `${v} min`) },
        ...pk.curves.map((c, i) => ({
          label: `${c.minutes} min${c.planned ? " (planned)" : ""}`,
          stroke: curveColour(i),
          width: c.planned ? 3 : 1.5,
          dash: c.planned ? undefined : [5, 4],
          value: (_u: uPlot, v: number | null) => fmt(v),
        })),
        ...(planned?.metabolite
          ? [
              {
                label: `${planned.metabolite.name} (planned)`,
                stroke: "#2e7d32",
                width: 1.5,
                dash: [2, 3],
                value: (_u: uPlot, v: number | null) => fmt(v),
              },
            ]
          : []),
      ],
      hooks: { draw: [drawThreshold] },
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
  }, [pk, height]);

  const planned = pk.curves.find((c) => c.planned);
  return (
    <figure class="chart" data-testid="pk-chart">
      <div
        ref={box}
        class="chart-box"
        role="img"
        aria-label={`Predicted plasma ${pk.drug} concentration (${pk.model_name} model) over ${pk.times_min[pk.times_min.length - 1]} minutes${planned ? `; planned ${planned.minutes}-minute infusion peaks at ${Math.round(planned.cmax_ng_per_ml)} ${pk.unit}` : ""}`}
      />
      <figcaption class="chart-caption">
        Dashed red line: {pk.threshold_ng_per_ml} {pk.unit} (dissociation becomes likely above it). Thick line: the
        planned infusion; dashed lines: the same dose over other durations.
      </figcaption>
    </figure>
  );
}
