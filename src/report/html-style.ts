// The HTML report's stylesheet (inline: the page fetches nothing).

export const PAGE_STYLE = `
:root { --pass: #2e8b57; --fail: #c0392b; --skip: #b0b4ba; --bg: #fff; --fg: #1d2125; --muted: #5f6770; --line: #dde1e5; --soft: #f5f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 16px 24px 8px; border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 4px; font-size: 22px; }
h2 { font-size: 18px; margin: 28px 0 10px; }
h3 { font-size: 14px; margin: 0 0 6px; font-weight: 600; }
.summary { font-size: 16px; font-weight: 600; margin: 4px 0; }
.meta { color: var(--muted); margin: 0; }
nav#filters { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: 8px 16px; padding: 8px 24px; background: var(--soft); border-bottom: 1px solid var(--line); }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 2px 10px 6px; margin: 0; background: var(--bg); }
legend { color: var(--muted); font-size: 12px; padding: 0 4px; }
fieldset label { margin-right: 12px; white-space: nowrap; }
main { padding: 0 24px 48px; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: middle; }
.rows td { vertical-align: top; }
.toc { margin: 6px 0 0; }
.toc a { color: #1f5fa8; }
.scroll { max-height: 60vh; overflow: auto; border: 1px solid var(--line); border-radius: 4px; }
th { background: var(--soft); font-weight: 600; position: sticky; top: 0; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.bad, .bad { color: var(--fail); font-weight: 600; }
td.n.bad { color: var(--fail); }
td.file { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; line-height: 1.2; word-break: break-all; }
td.barcell { width: 30%; min-width: 120px; vertical-align: middle; }
.bar { display: flex; height: 12px; border-radius: 3px; overflow: hidden; background: var(--soft); }
.bar span { display: block; height: 100%; }
.bar .pass { background: var(--pass); } .bar .fail { background: var(--fail); } .bar .skip { background: var(--skip); }
#suite-table td.barcell { width: 40%; }
#suite-table .bar { height: 16px; }
#files { max-height: none; }
.entry { border: 1px solid var(--line); border-left: 4px solid var(--fail); border-radius: 4px; padding: 8px 12px; margin: 8px 0; background: var(--bg); }
.entry.expected { border-left-color: #e0a020; }
.entry.mismatch { border-left-color: #8e44ad; }
.entry.unexpected-pass { border-left-color: #2980b9; }
.tag { display: inline-block; font-size: 11px; text-transform: uppercase; letter-spacing: .03em; padding: 1px 6px; border-radius: 3px; background: var(--soft); color: var(--muted); }
.entry.failure .tag { background: #fbe9e7; color: var(--fail); }
.entry.mismatch .tag { background: #f3e5f5; color: #8e44ad; }
.entry.expected .tag { background: #fff4db; color: #9a6a00; }
.where, code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.where { font-size: 13px; }
.engine { color: var(--muted); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 4px 0; }
dt { color: var(--muted); }
dd { margin: 0; min-width: 0; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; font-size: 12px; background: var(--soft); padding: 4px 6px; border-radius: 3px; max-height: 24em; overflow: auto; }
details.source summary { color: var(--muted); cursor: pointer; font-size: 12px; }
details.group { border: 1px solid var(--line); border-left: 4px solid var(--skip); border-radius: 4px; margin: 6px 0; background: var(--bg); }
details.expected-group { border-left-color: #e0a020; }
details.group > summary { cursor: pointer; padding: 6px 10px; }
details.group[open] > summary { border-bottom: 1px solid var(--line); background: var(--soft); }
details.group .count { display: inline-block; min-width: 4.5em; text-align: right; font-weight: 600; font-variant-numeric: tabular-nums; margin-right: 8px; }
details.group .split { color: var(--muted); }
details.group table { font-size: 12px; }
details.group td:first-child { font-family: ui-monospace, "DejaVu Sans Mono", monospace; word-break: break-all; width: 30%; }
details.group td pre + pre { margin-top: 2px; }
th.n { text-align: right; }
.legend { color: var(--muted); font-size: 12px; margin: 0 0 6px; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 10px; vertical-align: -1px; }
.legend .pass { background: var(--pass); } .legend .fail { background: var(--fail); } .legend .skip { background: var(--skip); }
.more { padding: 6px 10px; margin: 0; }
.none { color: var(--muted); }
`;
