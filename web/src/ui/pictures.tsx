// Pictures for what words describe badly at 2 a.m.: the keypad with 1 3 5 7 9 lit in an X (the
// jam signal), a dark keypad (no power), a normal keypad, and the app's offline badge.

const kKeys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "✓", "0", "lock"];
const kX = new Set(["1", "3", "5", "7", "9"]);

export function Keypad({ mode, title }: { mode: "x" | "dark" | "normal"; title: string }) {
  const w = 120;
  const h = 170;
  return (
    <svg viewBox={`0 0 ${w} ${h}`} width={w} height={h} role="img" aria-label={title} class={`keypad keypad-${mode}`}>
      <title>{title}</title>
      <rect x="4" y="4" width={w - 8} height={h - 8} rx="14" fill={mode === "dark" ? "#1d1f22" : "#2b2f36"} stroke="#111" stroke-width="2" />
      {kKeys.map((k, i) => {
        const col = i % 3;
        const row = Math.floor(i / 3);
        const cx = 26 + col * 34;
        const cy = 30 + row * 36;
        const lit = mode === "normal" || (mode === "x" && kX.has(k));
        return (
          <g key={k}>
            <circle
              cx={cx}
              cy={cy}
              r="13"
              fill={lit ? (mode === "x" ? "#ff5a4f" : "#9fd3ff") : "#3a3e45"}
              opacity={mode === "dark" ? 0.35 : 1}
              stroke={lit ? "#fff" : "#555"}
              stroke-width={lit ? 1.5 : 1}
            />
            {k === "lock" ? (
              <g fill="none" stroke={lit ? "#111" : "#888"} stroke-width="1.6">
                <rect x={cx - 5} y={cy - 1} width="10" height="8" rx="1.5" />
                <path d={`M${cx - 3} ${cy - 1} v-3 a3 3 0 0 1 6 0 v3`} />
              </g>
            ) : (
              <text x={cx} y={cy + 5} text-anchor="middle" font-size="13" font-family="sans-serif" fill={lit ? "#111" : "#888"}>
                {k}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

export function OfflineBadge({ title = "The app shows the lock with a grey Offline badge" }: { title?: string }) {
  return (
    <svg viewBox="0 0 170 80" width="170" height="80" role="img" aria-label={title} class="offline-badge">
      <title>{title}</title>
      <rect x="2" y="2" width="166" height="76" rx="12" fill="#f4f5f7" stroke="#b8bec7" stroke-width="2" />
      <rect x="14" y="18" width="30" height="44" rx="6" fill="#c9ced6" />
      <circle cx="29" cy="40" r="5" fill="#8a919c" />
      <text x="56" y="36" font-size="14" font-family="sans-serif" fill="#333">Front door</text>
      <rect x="56" y="46" width="68" height="20" rx="10" fill="#6b7280" />
      <path d="M66 56 a6 6 0 0 1 12 0" fill="none" stroke="#fff" stroke-width="2" />
      <line x1="64" y1="50" x2="80" y2="62" stroke="#fff" stroke-width="2" />
      <text x="84" y="60" font-size="11" font-family="sans-serif" fill="#fff">Offline</text>
    </svg>
  );
}
