// A lock's battery over time with its discharge trend carried on to 0 %: the forecast empty
// day. uPlot draws it on a canvas; the same facts are given in words for screen readers.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { BatteryHistory } from "../api/devices";
import { toMs } from "../api/time";
import { day } from "./format";

const kDaySec = 86_400;
/** The server forecasts from at least 3 readings spanning 2 days (maintenance.json BatteryTrend). */
const kForecastSpanSec = 2 * kDaySec;

/** The x range: the samples' own, but at least a day wide, ending just after the last. */
function xRange(xs: number[]): [number, number] {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return hi - lo < kDaySec ? [hi - kDaySec, hi + kDaySec / 24] : [lo, hi];
}

export function BatteryChart({ name, history }: { name: string; history: BatteryHistory }) {
  const el = useRef<HTMLDivElement>(null);
  const samples = history.samples.map((s) => [(toMs(s.at) ?? 0) / 1000, s.pct] as const);
  const empty = toMs(history.forecast?.empty_at ?? null);
  useEffect(() => {
    if (!el.current || samples.length === 0) return;
    const xs = samples.map((s) => s[0]);
    const ys: (number | null)[] = samples.map((s) => s[1]);
    const trend: (number | null)[] = xs.map(() => null);
    if (empty) {
      // the trend from the last sample to 0 % on the forecast day
      trend[trend.length - 1] = ys[ys.length - 1];
      xs.push(empty / 1000);
      ys.push(null);
      trend.push(0);
    }
    const width = Math.min(el.current.clientWidth || 320, 720);
    const plot = new uPlot(
      {
        width,
        height: 180,
        scales: {
          // At least a day wide: a single reading (or a few close together) is not stretched over years.
          x: { time: true, auto: false, range: xRange(xs) },
          y: { range: [0, 100] },
        },
        axes: [{}, { values: (_u, v) => v.map((x) => `${x}%`) }],
        series: [
          {},
          { label: "Battery", stroke: "#1f6feb", width: 2 },
          { label: "Forecast", stroke: "#b42318", dash: [6, 4], width: 2, spanGaps: true },
        ],
        legend: { show: false },
      },
      [xs, ys, trend],
      el.current,
    );
    return () => plot.destroy();
  }, [history]);
  const last = samples[samples.length - 1];
  const summary =
    samples.length === 0
      ? "No battery reports yet."
      : `${last[1]}% now` +
        (empty
          ? `; at the current rate it runs out around ${day(empty)}.`
          : samples.length < 3 || last[0] - samples[0][0] < kForecastSpanSec
            ? "; too little history yet to forecast when it runs out."
            : "; no drop in sight.");
  return (
    <figure class="chart">
      <div ref={el} aria-hidden="true" />
      <figcaption>
        <strong>{name}</strong>: {summary}
      </figcaption>
    </figure>
  );
}
