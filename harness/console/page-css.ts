/** The console's style: system fonts, readable on a laptop screen and in a screenshot, light and dark. */
export const CONSOLE_CSS = `
:root { color-scheme: light dark; --fg: #1d232b; --muted: #5b6570; --bg: #f6f7f9; --card: #fff; --line: #d9dde3;
  --accent: #2457c5; --high: #b42318; --medium: #b54708; --low: #35607f; --secure: #067647; --sel: #e8efff; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ee; --muted: #9aa4b0; --bg: #14171c; --card: #1c2027;
  --line: #343a44; --accent: #7ea6ff; --high: #ff8a80; --medium: #ffb870; --low: #9cc3e0; --secure: #6fd6a0; --sel: #243252; } }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header.top { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 16px; padding: 12px 20px 4px; }
h1 { font-size: 20px; margin: 0; }
h2 { font-size: 17px; margin: 4px 0 10px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
.sub, .muted, .tagline { color: var(--muted); font-weight: normal; font-size: 13px; }
.tagline { margin: 0; }
.live { margin: 0 0 0 auto; font-size: 12px; color: var(--muted); }
nav { display: flex; align-items: center; gap: 12px; padding: 0 20px; border-bottom: 1px solid var(--line); }
[role=tablist] { display: flex; gap: 2px; }
[role=tab] { font: inherit; padding: 8px 16px; border: 1px solid transparent; border-bottom: none; background: none; color: var(--fg); cursor: pointer; border-radius: 6px 6px 0 0; }
[role=tab][aria-selected=true] { background: var(--card); border-color: var(--line); font-weight: 600; margin-bottom: -1px; }
[role=tab]:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, a:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
a.record { margin-left: auto; color: var(--accent); font-size: 13px; }
main { padding: 12px 20px 20px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin-bottom: 10px; }
input, select, button { font: inherit; color: var(--fg); background: var(--card); border: 1px solid var(--line); border-radius: 5px; padding: 3px 7px; }
button { cursor: pointer; background: var(--bg); }
button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
button:disabled { opacity: .5; cursor: default; }
input[type=search], #okta-user { min-width: 280px; }
.scroll { overflow: auto; max-height: calc(100vh - 220px); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { font-size: 12px; color: var(--muted); font-weight: 600; position: sticky; top: 0; background: var(--card); }
td .small, .small { font-size: 12px; color: var(--muted); }
.risk { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 12px; font-weight: 600; border: 1px solid currentColor; }
.risk-HIGH { color: var(--high); } .risk-MEDIUM { color: var(--medium); } .risk-LOW { color: var(--low); } .risk-SECURE, .risk-NONE { color: var(--secure); }
.threat { display: flex; gap: 6px; align-items: center; margin-bottom: 3px; }
.chips { display: flex; flex-wrap: wrap; gap: 4px; }
.chip { font-size: 12px; padding: 0 6px; border-radius: 4px; background: var(--bg); border: 1px solid var(--line); }
.raise { display: flex; gap: 4px; flex-wrap: wrap; }
.status { min-height: 1.4em; color: var(--muted); margin: 8px 0 0; }
.status.error { color: var(--high); }
.split { display: grid; grid-template-columns: minmax(0, 3fr) minmax(280px, 2fr); gap: 12px; }
.diagram { font-size: 12px; }
.lanes, .hop { display: grid; grid-template-columns: 64px repeat(7, minmax(70px, 1fr)); align-items: end; }
.lanes { position: sticky; top: 0; background: var(--card); font-weight: 600; color: var(--muted); border-bottom: 1px solid var(--line); z-index: 2; align-items: center; }
.lanes span { text-align: center; padding: 4px 2px; }
.hop { min-height: 34px; border-bottom: 1px dotted var(--line); padding-bottom: 3px; }
.hop .t { color: var(--muted); font-variant-numeric: tabular-nums; align-self: center; }
.hop .arrow { display: flex; flex-direction: column; align-items: center; min-width: 0; padding: 0 10px; }
.hop .label { max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.hop .line { position: relative; width: 100%; height: 8px; }
.hop .line::before { content: ""; position: absolute; left: 0; right: 0; top: 3px; border-top: 2px solid var(--muted); }
.hop .line::after { content: ""; position: absolute; top: -1px; border: 5px solid transparent; }
.hop .arrow.right .line::after { right: -6px; border-left-color: var(--muted); }
.hop .arrow.left .line::after { left: -6px; border-right-color: var(--muted); }
.hop .arrow.self .line::before { left: 40%; right: 40%; }
.hop .arrow.self .line::after { display: none; }
.hop.set .line::before { border-top-color: var(--accent); }
.hop.set .arrow.right .line::after { border-left-color: var(--accent); }
.hop.set .arrow.left .line::after { border-right-color: var(--accent); }
.hop.failed .line::before { border-top-style: dashed; border-top-color: var(--high); }
.hop button.label { border: 1px solid var(--accent); color: var(--accent); font-size: 12px; padding: 0 6px; white-space: normal; }
.hop.chosen { background: var(--sel); }
aside#set-detail { border-left: 1px solid var(--line); padding-left: 12px; overflow: auto; max-height: calc(100vh - 220px); }
pre { background: var(--bg); border: 1px solid var(--line); border-radius: 5px; padding: 8px; overflow: auto; font-size: 12px; max-height: 320px; }
.ok { color: var(--secure); font-weight: 600; } .bad { color: var(--high); font-weight: 600; }
.finding-failure { color: var(--high); } .finding-warning { color: var(--medium); }
ol.chain { margin: 4px 0 8px; padding-left: 22px; }
ol.chain li { margin: 2px 0; }
.signal { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; margin: 8px 0; }
.grid2 { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; }
.big { font-size: 18px; }
footer { padding: 0 20px 16px; color: var(--muted); font-size: 12px; }
footer a { color: var(--muted); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 900px) { .split, .grid2 { grid-template-columns: 1fr; } }
`;
