"""The HTML format: one self-contained page (inline CSS and SVG, no script, no network) that prints on A4.

Sections: header with the digest, the heatmap (formats.heatmap), quarters, summaries per rule
and per township, the findings with their evidence and alerts, the rules with their
parameters, and the statistics of the window.
"""

from __future__ import annotations

from html import escape

from server.reports.formats.cells import xml_safe
from server.reports.formats.heatmap import CLASSES, heatmap_svg
from schema.labels import label as zh_label
from server.reports.formats.local import written
from server.reports.formats.sections import Cell, Section, evidence_text, sections
from core.reports.model import Report

CSS = """
@page { size: A4; margin: 12mm 10mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       font-size: 10.5pt; color: #222; margin: 0 auto; max-width: 1100px; padding: 16px; }
h1 { font-size: 17pt; margin: 0 0 4px; } h2 { font-size: 13pt; margin: 20px 0 6px; border-bottom: 1px solid #bbb; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0 10px; }
.meta dt { color: #555; } .meta dd { margin: 0; }
.digest { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 9pt; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; font-size: 9pt; }
th, td { border: 1px solid #ccc; padding: 3px 5px; vertical-align: top; text-align: left; }
th { background: #f0f0f0; } td.num { text-align: right; }
td.met { background: #c6efce; } td.missed { background: #ffc7ce; } td.not-required { background: #e7e6e6; color: #777; }
.VIOLATION { color: #b42318; font-weight: bold; } .WARNING { color: #b54708; }
.evidence { color: #444; font-size: 8.5pt; }
footer { margin-top: 16px; font-size: 8.5pt; color: #555; }
@media print {
  body { max-width: none; padding: 0; font-size: 9pt; }
  h2 { break-after: avoid; } tr, svg { break-inside: avoid; } thead { display: table-header-group; }
  .findings { font-size: 8pt; }
}
"""


def _cell(value: Cell) -> str:
    return "" if value is None else escape(str(value))


def _table(section: Section, css_class: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in section.headers)
    body = "".join(
        "<tr>" + "".join(f'<td{" class=num" if isinstance(v, (int, float)) else ""}>{_cell(v)}</td>' for v in row) + "</tr>"
        for row in section.rows
    )
    return f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _quarters(report: Report) -> str:
    labels = sorted({c.period for c in report.quarters})
    cells = {(c.township_code, c.period): c for c in report.quarters}
    head = "".join(f"<th>{escape(label)}</th>" for label in labels)
    rows = []
    for code, name in sorted({(c.township_code, c.township_name) for c in report.quarters}):
        tds = []
        for label in labels:
            cell = cells[(code, label)]
            text = "—" if cell.plenary_held is None else f"{cell.plenary_held}/{cell.plenary_required}"
            tds.append(f'<td class="{CLASSES[cell.state]}" data-period="{label}">{text}</td>')
        rows.append(f"<tr><th>{escape(name)}</th>{''.join(tds)}</tr>")
    return f'<table class="quarters"><thead><tr><th>乡镇 Township</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _findings(report: Report) -> str:
    rows = []
    for f in report.findings:
        alert = f.alert
        alert_text = "—" if alert is None else " ".join(
            part for part in (
                zh_label("AlertStatus", alert.status), f"责任领导 {alert.assignee_name}" if alert.assignee_name else "",
                f"签收 {written(alert.acknowledged_at, report.timezone)}" if alert.acknowledged_at else "",
                f"豁免：{alert.waive_reason}" if alert.waived_at else "",
            ) if part
        )
        overdue = f"{written(f.deadline, report.timezone)} 超期{f.days_overdue}日" if f.deadline else ""
        rows.append(
            f'<tr data-fingerprint="{escape(f.fingerprint)}"><td>{escape(f.rule_id)}</td><td class="{f.severity}">{escape(f.severity)}</td>'
            f"<td>{escape(f.subject_name)}<br><small>{escape(f.subject_code)}</small></td><td>{_cell(f.period)}</td>"
            f'<td>{escape(f.message)}<div class="evidence">{escape(evidence_text(f, report.timezone))}</div></td>'
            f"<td>{escape(overdue)}</td><td>{escape(alert_text)}</td></tr>"
        )
    head = "".join(f"<th>{h}</th>" for h in ("规则 Rule", "级别", "对象 Subject", "期间", "说明与证据 Message and evidence", "期限", "预警 Alert"))
    return f'<table class="findings"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def render_html(report: Report) -> bytes:
    """The page as UTF-8 bytes: every user text escaped where it is placed; control characters of old data removed."""
    by_key = {s.key: s for s in sections(report)}
    title = f"{report.county_name}信访工作联席会议监督报告 {report.first_day} 至 {report.last_day}"
    known = f"<dt>已知时点 Known at</dt><dd>{written(report.known_at, report.timezone)}</dd>" if report.known_at else ""
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="lianxi-digest" content="{report.digest}">
<title>{escape(title)}</title><style>{CSS}</style></head>
<body>
<h1>{escape(title)}</h1>
<dl class="meta">
<dt>县 County</dt><dd>{escape(report.county_name)}（{escape(report.county_code)}），{escape(report.timezone)}</dd>
<dt>评估时点 As of</dt><dd>{written(report.as_of, report.timezone)}</dd>{known}
<dt>生成时间 Generated</dt><dd>{written(report.generated_at, report.timezone)}（运行记录 run {report.run_id}）</dd>
<dt>发现 Findings</dt><dd>{len(report.findings)}</dd>
<dt>摘要 Digest</dt><dd class="digest" id="digest">sha256:{report.digest}</dd>
</dl>
<h2>专题会月度达标热力图 Monthly compliance</h2>
{heatmap_svg(report)}
<h2>季度全体会 Plenaries per quarter</h2>
{_quarters(report)}
<h2>按规则汇总 By rule</h2>
{_table(by_key["by_rule"])}
<h2>按乡镇汇总 By township</h2>
{_table(by_key["by_township"])}
<h2>发现 Findings（{len(report.findings)}）</h2>
{_findings(report)}
<h2>规则与参数 Rules and parameters</h2>
{_table(by_key["rules"])}
<h2>统计 Statistics {report.first_day} — {report.last_day}</h2>
{_table(by_key["statistics"])}
<h2>深入村组调解 Mediation visits per village and month</h2>
{_table(by_key["visits"])}
<h2>社情民意台账 Village ledgers</h2>
{_table(by_key["ledger"])}
<footer>摘要（SHA-256，按规则、对象、期间排序的发现的规范 JSON）：<span class="digest">{report.digest}</span>。
同一数据、同一评估时点在 SQLite 与 PostgreSQL 上得到相同摘要。Lianxi 联席</footer>
</body></html>
"""
    return xml_safe(page).encode("utf-8")
