//! The access review as one self-contained HTML page (`adaccess audit --format html`): each
//! seat's summary and charts (inline SVG drawn here), and every finding in a table that a
//! small inline script filters.
//!
//! The page loads nothing: its style and script are inline and its Content-Security-Policy
//! forbids every other source. The table is written here, so the page reads without script;
//! the script only hides and shows rows (it reads `textContent`, it never parses HTML).
//! Every string that comes from an export or a report goes through [`escape`].

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use adaccess_core::{Finding, Report, Severity};
use serde_json::Value;

/// One seat's review, as the page shows it.
pub struct SeatView<'a> {
    /// The seat's name (the export's file stem): untrusted text.
    pub seat: &'a str,
    /// The export format's label (`DV360 users.list`).
    pub format: &'a str,
    pub report: &'a Report,
}

/// The page: `title`, the review date `now` and one section per seat, then every finding.
pub fn page(title: &str, now: &str, seats: &[SeatView<'_>]) -> String {
    let findings: usize = seats.iter().map(|s| s.report.findings.len()).sum();
    // A row is about 250 bytes of markup and text.
    let mut out = String::with_capacity(24 * 1024 + findings * 320);
    // Writing into a String cannot fail.
    let _ = write_page(&mut out, title, now, seats);
    out
}

/// Writes `s` with `&`, `<`, `>`, `"` and `'` replaced by character references: safe as text
/// and inside a double- or single-quoted attribute. Every untrusted string goes through here.
pub fn escape<W: fmt::Write + ?Sized>(out: &mut W, s: &str) -> fmt::Result {
    let mut rest = s;
    while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
        let (plain, tail) = rest.split_at(i);
        out.write_str(plain)?;
        let mut chars = tail.chars();
        out.write_str(match chars.next() {
            Some('&') => "&amp;",
            Some('<') => "&lt;",
            Some('>') => "&gt;",
            Some('"') => "&quot;",
            _ => "&#39;",
        })?;
        rest = chars.as_str();
    }
    out.write_str(rest)
}

/// `format!("{}", Esc(s))` writes `s` escaped (through [`escape`]).
struct Esc<'a>(&'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        escape(f, self.0)
    }
}

/// `12,345`.
fn num(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The report's count for a severity (its summary; the findings when the summary lacks it).
fn severity_count(report: &Report, severity: Severity) -> usize {
    report
        .summary
        .by_severity
        .get(severity.as_str())
        .copied()
        .unwrap_or_else(|| {
            report
                .findings
                .iter()
                .filter(|f| f.severity == severity)
                .count()
        })
}

/// `level:id` of a finding's `data.entity`, when it has one.
fn entity_of(f: &Finding) -> Option<String> {
    let entity = f.data.get("entity")?;
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Some(format!(
        "{}:{}",
        text(entity.get("level")?),
        text(entity.get("id")?)
    ))
}

fn write_page(out: &mut String, title: &str, now: &str, seats: &[SeatView<'_>]) -> fmt::Result {
    let several = seats.len() > 1;
    let users: usize = seats.iter().map(|s| s.report.users).sum();
    let findings: usize = seats.iter().map(|s| s.report.findings.len()).sum();
    // `Review date 2026-11-22 · `, or nothing without a date.
    let mut dated = String::new();
    if !now.is_empty() {
        write!(dated, "Review date <time>{}</time> \u{b7} ", Esc(now))?;
    }
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"adaccess {}\">\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <title>{}{}{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        Esc(title),
        if now.is_empty() { "" } else { " \u{2014} " },
        Esc(now),
    )?;
    write!(
        out,
        "<header><h1>{}</h1><p>{dated}{} seat{} \u{b7} {} users reviewed \u{b7} {} findings</p>\
         </header>\n<main>\n",
        Esc(title),
        num(seats.len()),
        if seats.len() == 1 { "" } else { "s" },
        num(users),
        num(findings),
    )?;
    if several {
        seats_table(out, seats)?;
    }
    for (i, seat) in seats.iter().enumerate() {
        seat_section(out, i, seat)?;
    }
    findings_section(out, seats)?;
    write!(
        out,
        "</main>\n<footer>adaccess {} \u{b7} {dated}this page is self-contained: it loads nothing \
         from the network</footer>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
    )
}

/// The combined table: one row per seat, and the totals.
fn seats_table(out: &mut String, seats: &[SeatView<'_>]) -> fmt::Result {
    out.push_str(
        "<section id=\"seats\"><h2>Seats</h2>\n<table class=\"seats\"><thead><tr><th>Seat</th>\
         <th>Export</th><th class=\"n\">Users</th>",
    );
    for s in Severity::ALL {
        write!(out, "<th class=\"n {s}\">{s}</th>")?;
    }
    out.push_str("<th class=\"n\">Findings</th></tr></thead>\n<tbody>\n");
    let mut totals = [0usize; 4];
    for (i, seat) in seats.iter().enumerate() {
        write!(
            out,
            "<tr data-seat=\"{}\"><td><a href=\"#seat-{}\">{}</a></td><td>{}</td><td class=\"n\">{}</td>",
            Esc(seat.seat),
            i + 1,
            Esc(seat.seat),
            Esc(seat.format),
            num(seat.report.users),
        )?;
        for (s, total) in Severity::ALL.iter().zip(totals.iter_mut()) {
            let n = severity_count(seat.report, *s);
            *total += n;
            write!(
                out,
                "<td class=\"n{}\" data-severity=\"{s}\">{}</td>",
                if n > 0 { " hot" } else { "" },
                num(n)
            )?;
        }
        writeln!(
            out,
            "<td class=\"n\">{}</td></tr>",
            num(seat.report.findings.len())
        )?;
    }
    let users: usize = seats.iter().map(|s| s.report.users).sum();
    write!(
        out,
        "</tbody>\n<tfoot><tr><th>All seats</th><td></td><td class=\"n\">{}</td>",
        num(users)
    )?;
    for n in totals {
        write!(out, "<td class=\"n\">{}</td>", num(n))?;
    }
    let findings: usize = seats.iter().map(|s| s.report.findings.len()).sum();
    writeln!(
        out,
        "<td class=\"n\">{}</td></tr></tfoot></table></section>",
        num(findings)
    )
}

/// A seat's summary and charts.
fn seat_section(out: &mut String, i: usize, seat: &SeatView<'_>) -> fmt::Result {
    let report = seat.report;
    write!(
        out,
        "<section class=\"seat\" id=\"seat-{}\" data-seat=\"{}\"><h2>{} <small>{}</small></h2>\n\
         <dl class=\"stats\"><div><dt>Users reviewed</dt><dd data-stat=\"users\">{}</dd></div>",
        i + 1,
        Esc(seat.seat),
        Esc(seat.seat),
        Esc(seat.format),
        num(report.users),
    )?;
    for s in Severity::ALL {
        write!(
            out,
            "<div class=\"{s}\"><dt>{s}</dt><dd data-stat=\"{s}\">{}</dd></div>",
            num(severity_count(report, s))
        )?;
    }
    out.push_str("</dl>\n<div class=\"charts\">\n");
    charts(out, report)?;
    out.push_str("</div></section>\n");
    Ok(())
}

/// One bar of a chart.
struct Bar {
    label: String,
    value: usize,
    /// The bar's colour: a severity, `zero`, `high` or `plain`.
    class: &'static str,
    /// The tooltip.
    tip: String,
}

/// Charts show at most this many bars; a note counts the rest.
const MAX_BARS: usize = 24;
/// This many admins on one top-level entity or more is highlighted.
const HIGH_ADMINS: usize = 5;

fn charts(out: &mut String, report: &Report) -> fmt::Result {
    bar_chart(
        out,
        "Findings by severity",
        "severity",
        severity_bars(report),
        "",
        "",
    )?;
    bar_chart(
        out,
        "Findings by code",
        "code",
        code_bars(report),
        "No findings.",
        "",
    )?;
    let note =
        format!("Red: nobody manages users. Amber: {HIGH_ADMINS} or more users manage users.");
    bar_chart(
        out,
        "Admins per partner / organization",
        "admins",
        admin_bars(report),
        "No admin counts: the profile has no user-management capability.",
        &note,
    )?;
    bar_chart(
        out,
        "Users per role family",
        "families",
        family_bars(report),
        "No role assignments.",
        "A user with roles in two families counts in both.",
    )?;
    bar_chart(
        out,
        "Dormant users, by days since the last login",
        "dormant",
        dormant_bars(report),
        "No dormant users.",
        "",
    )
}

/// Findings by severity, most serious first.
fn severity_bars(report: &Report) -> Vec<Bar> {
    Severity::ALL
        .iter()
        .map(|s| {
            let n = severity_count(report, *s);
            Bar {
                label: s.as_str().to_string(),
                value: n,
                class: s.as_str(),
                tip: format!("{s}: {n}"),
            }
        })
        .collect()
}

/// Findings by code, coloured by the code's severity, the most frequent first.
fn code_bars(report: &Report) -> Vec<Bar> {
    let mut bars: Vec<Bar> = report
        .summary
        .by_code
        .iter()
        .map(|(code, n)| {
            let class = report
                .findings
                .iter()
                .find(|f| &f.code == code)
                .map_or("plain", |f| f.severity.as_str());
            Bar {
                label: code.clone(),
                value: *n,
                class,
                tip: format!("{code}: {n}"),
            }
        })
        .collect();
    bars.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.label.cmp(&b.label)));
    bars
}

/// Admins per top-level entity (partner, organization): none first, then the most.
fn admin_bars(report: &Report) -> Vec<Bar> {
    let mut bars: Vec<Bar> = report
        .findings
        .iter()
        .filter(|f| f.code == "admin.count" || f.code == "admin.none")
        .map(|f| {
            let value = f
                .data
                .get("admins")
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(0);
            Bar {
                label: entity_of(f).unwrap_or_else(|| "?".into()),
                value,
                class: if value == 0 {
                    "zero"
                } else if value >= HIGH_ADMINS {
                    "high"
                } else {
                    "plain"
                },
                tip: f.message.clone(),
            }
        })
        .collect();
    bars.sort_by(|a, b| {
        (b.value == 0)
            .cmp(&(a.value == 0))
            .then_with(|| b.value.cmp(&a.value))
            .then_with(|| natural(&a.label).cmp(&natural(&b.label)))
    });
    bars
}

/// Users per role family, the largest first.
fn family_bars(report: &Report) -> Vec<Bar> {
    let mut bars: Vec<Bar> = report
        .summary
        .by_family
        .iter()
        .map(|(family, n)| Bar {
            label: family.clone(),
            value: *n,
            class: "family",
            tip: format!("{family}: {n} user(s)"),
        })
        .collect();
    bars.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.label.cmp(&b.label)));
    bars
}

/// Dormant users by days since their last login, in four buckets (the first left out when
/// empty); no bar when nobody is dormant.
fn dormant_bars(report: &Report) -> Vec<Bar> {
    let days: Vec<i64> = report
        .findings
        .iter()
        .filter(|f| f.code == "user.dormant")
        .map(|f| f.data.get("days").and_then(Value::as_i64).unwrap_or(0))
        .collect();
    let mut bars = Vec::new();
    if days.is_empty() {
        return bars;
    }
    let buckets: [(&str, i64, i64); 4] = [
        ("under 90 days", i64::MIN, 89),
        ("90\u{2013}179 days", 90, 179),
        ("180\u{2013}364 days", 180, 364),
        ("365+ days", 365, i64::MAX),
    ];
    for (label, from, to) in buckets {
        let n = days.iter().filter(|d| (from..=to).contains(*d)).count();
        if n == 0 && from == i64::MIN {
            continue;
        }
        bars.push(Bar {
            label: label.to_string(),
            value: n,
            class: if from >= 365 && n > 0 {
                "high"
            } else {
                "warning"
            },
            tip: format!("{n} user(s) not signed in for {label}"),
        });
    }
    bars
}

/// A sort key that puts `partner:9` before `partner:10`: numbers by value, the rest as text.
fn natural(label: &str) -> (&str, u128, &str) {
    let (level, id) = label.split_once(':').unwrap_or(("", label));
    (level, id.parse().unwrap_or(u128::MAX), id)
}

/// Width of a chart's drawing (it scales down with its box).
const CHART_W: usize = 400;
const ROW_H: usize = 22;
/// Labels longer than this are cut (the tooltip has them whole).
const MAX_LABEL: usize = 30;

/// A horizontal bar chart in a `<figure>`; `empty` in its place when there is no bar.
fn bar_chart(
    out: &mut String,
    caption: &str,
    name: &str,
    mut bars: Vec<Bar>,
    empty: &str,
    note: &str,
) -> fmt::Result {
    write!(
        out,
        "<figure data-chart=\"{}\"><figcaption>{}</figcaption>",
        Esc(name),
        Esc(caption)
    )?;
    if bars.is_empty() {
        return writeln!(out, "<p class=\"empty\">{}</p></figure>", Esc(empty));
    }
    let more = bars.len().saturating_sub(MAX_BARS);
    bars.truncate(MAX_BARS);
    let label_chars = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0)
        .min(MAX_LABEL);
    let label_w = label_chars * 7 + 12;
    let value_w = 60;
    let bar_w = CHART_W.saturating_sub(label_w + value_w).max(40);
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let height = bars.len() * ROW_H + 6;
    write!(
        out,
        "\n<svg viewBox=\"0 0 {CHART_W} {height}\" width=\"{CHART_W}\" height=\"{height}\" \
         role=\"img\" aria-label=\"{}\">",
        Esc(caption)
    )?;
    for (i, b) in bars.iter().enumerate() {
        let y = 3 + i * ROW_H;
        // A bar of 0 is drawn as a stub only where 0 is the alarm (no admin).
        let w = if b.value == 0 {
            if b.class == "zero" {
                3
            } else {
                0
            }
        } else {
            (b.value * bar_w / max).max(2)
        };
        let label: String = if b.label.chars().count() > MAX_LABEL {
            b.label
                .chars()
                .take(MAX_LABEL - 1)
                .chain(std::iter::once('\u{2026}'))
                .collect()
        } else {
            b.label.clone()
        };
        write!(
            out,
            "\n<g class=\"{}\"><title>{}</title><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{}\" y=\"{}\" width=\"{w}\" height=\"15\" rx=\"2\"/>\
             <text class=\"v\" x=\"{}\" y=\"{}\">{}</text></g>",
            b.class,
            Esc(&b.tip),
            label_w - 8,
            y + 12,
            Esc(&label),
            label_w,
            y + 1,
            label_w + w + 6,
            y + 12,
            num(b.value),
        )?;
    }
    out.push_str("\n</svg>");
    if more > 0 {
        write!(
            out,
            "<p class=\"note\">and {} more, not drawn</p>",
            num(more)
        )?;
    }
    if !note.is_empty() {
        write!(out, "<p class=\"note\">{}</p>", Esc(note))?;
    }
    out.push_str("</figure>\n");
    Ok(())
}

/// The filters and the table of every finding.
fn findings_section(out: &mut String, seats: &[SeatView<'_>]) -> fmt::Result {
    let several = seats.len() > 1;
    let total: usize = seats.iter().map(|s| s.report.findings.len()).sum();
    let mut by_severity: BTreeMap<Severity, usize> = BTreeMap::new();
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for f in seats.iter().flat_map(|s| s.report.findings.iter()) {
        *by_severity.entry(f.severity).or_default() += 1;
        *by_code.entry(f.code.as_str()).or_default() += 1;
    }
    write!(
        out,
        "<section id=\"all-findings\"><h2>Findings <small><output id=\"shown\">{} findings</output></small></h2>\n\
         <div class=\"filters\" id=\"filters\" hidden>\
         <label>Search <input type=\"search\" id=\"q\" placeholder=\"user, code, entity, message\u{2026}\" autocomplete=\"off\"></label>\
         <label>Severity <select id=\"severity\"><option value=\"\">all</option>",
        num(total)
    )?;
    for s in Severity::ALL {
        let n = by_severity.get(&s).copied().unwrap_or(0);
        if n > 0 {
            write!(out, "<option value=\"{s}\">{s} ({})</option>", num(n))?;
        }
    }
    out.push_str(
        "</select></label><label>Code <select id=\"code\"><option value=\"\">all</option>",
    );
    for (code, n) in &by_code {
        write!(
            out,
            "<option value=\"{}\">{} ({})</option>",
            Esc(code),
            Esc(code),
            num(*n)
        )?;
    }
    out.push_str("</select></label></div>\n<table id=\"findings\"><thead><tr>");
    let mut columns = vec![];
    if several {
        columns.push(("seat", "Seat"));
    }
    columns.extend([
        ("severity", "Severity"),
        ("code", "Code"),
        ("user", "User"),
        ("entity", "Entity"),
        ("message", "Message"),
        ("help", "Fix"),
        ("path", "Path"),
    ]);
    for (key, head) in columns {
        write!(out, "<th data-col=\"{key}\">{head}</th>")?;
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for seat in seats {
        for f in &seat.report.findings {
            // End tags of cells and rows are implied: a row is as small as its text.
            write!(out, "<tr class={}>", f.severity)?;
            if several {
                write!(out, "<td>{}", Esc(seat.seat))?;
            }
            writeln!(
                out,
                "<td>{}<td>{}<td>{}<td>{}<td>{}<td>{}<td>{}",
                f.severity,
                Esc(&f.code),
                Esc(f.user.as_deref().unwrap_or("")),
                Esc(entity_of(f).as_deref().unwrap_or("")),
                Esc(&f.message),
                Esc(f.help.as_deref().unwrap_or("")),
                Esc(f.path.as_deref().unwrap_or("")),
            )?;
        }
    }
    write!(
        out,
        "</tbody></table>\n<p id=\"none\"{}>No finding matches.</p>\
         <p><button type=\"button\" id=\"more\" hidden></button></p><i id=\"findings-end\"></i></section>\n",
        if total == 0 { "" } else { " hidden" }
    )
}

const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

const STYLE: &str = r#"
:root{--error:#c62828;--security:#7b1fa2;--warning:#d97706;--info:#1565c0;--plain:#3f6e9a;--family:#00897b;--ink:#1c2430;--muted:#5e6b7b;--line:#dfe3e9;--bg:#f3f5f8}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
header{background:#1c2430;color:#fff;padding:18px 32px}
header h1{margin:0;font-size:22px;font-weight:600}
header p{margin:4px 0 0;color:#c3cad4}
main{max-width:1280px;margin:0 auto;padding:24px 32px 32px}
footer{max-width:1280px;margin:0 auto;padding:0 32px 32px;color:var(--muted);font-size:12px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:18px 22px;margin:0 0 22px}
h2{margin:0 0 14px;font-size:18px;font-weight:600;overflow-wrap:anywhere}
h2 small{font-size:13px;font-weight:400;color:var(--muted);margin-left:8px}
.stats{display:flex;flex-wrap:wrap;gap:12px;margin:0 0 18px}
.stats div{min-width:130px;padding:8px 14px;border:1px solid var(--line);border-top:4px solid var(--muted);border-radius:6px}
.stats dt{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.stats dd{margin:0;font-size:26px;font-weight:600;font-variant-numeric:tabular-nums}
.stats .error{border-top-color:var(--error)}.stats .security{border-top-color:var(--security)}.stats .warning{border-top-color:var(--warning)}.stats .info{border-top-color:var(--info)}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:14px;align-items:start}
figure{margin:0;padding:12px 14px;border:1px solid var(--line);border-radius:6px;min-width:0}
figcaption{font-weight:600;margin:0 0 8px}
figure svg{display:block;max-width:100%;height:auto}
svg text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;fill:var(--ink)}
svg text.v{fill:var(--muted);font-variant-numeric:tabular-nums}
svg rect{fill:var(--plain)}
svg .error rect{fill:var(--error)}svg .security rect{fill:var(--security)}svg .warning rect{fill:var(--warning)}svg .info rect{fill:var(--info)}svg .family rect{fill:var(--family)}
svg .zero rect,svg .high rect{fill:var(--error)}svg .high rect{fill:var(--warning)}
svg .zero text{fill:var(--error);font-weight:600}svg .high text.v{fill:var(--warning);font-weight:600}
.note,.empty{margin:6px 0 0;color:var(--muted);font-size:12px}
.empty{padding:18px 0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
thead th{position:sticky;top:0;z-index:1;background:#eef1f5;color:var(--muted);font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.04em}
.n{text-align:right;font-variant-numeric:tabular-nums}
.seats td.hot.n[data-severity=error]{color:var(--error);font-weight:600}
.seats td.hot.n[data-severity=security]{color:var(--security);font-weight:600}
.seats tfoot th,.seats tfoot td{font-weight:600;border-bottom:0}
th.error{color:var(--error)}th.security{color:var(--security)}th.warning{color:var(--warning)}th.info{color:var(--info)}
.filters{display:flex;flex-wrap:wrap;gap:10px 18px;align-items:center;margin:0 0 12px}
.filters label{color:var(--muted);font-size:13px}
.filters input,.filters select{font:inherit;color:var(--ink);margin-left:6px;padding:5px 8px;border:1px solid #c5ccd6;border-radius:5px;background:#fff}
.filters input{width:300px}
#findings td{font-size:13px;overflow-wrap:break-word}
#findings td:nth-last-child(3),#findings td:nth-last-child(2){overflow-wrap:anywhere}
#findings td:first-child{border-left:4px solid var(--muted)}
#findings tr.error td:first-child{border-left-color:var(--error)}#findings tr.security td:first-child{border-left-color:var(--security)}#findings tr.warning td:first-child{border-left-color:var(--warning)}#findings tr.info td:first-child{border-left-color:var(--info)}
#findings td:nth-last-child(7){font-weight:600}
#findings tr.error td:nth-last-child(7){color:var(--error)}#findings tr.security td:nth-last-child(7){color:var(--security)}#findings tr.warning td:nth-last-child(7){color:var(--warning)}#findings tr.info td:nth-last-child(7){color:var(--info)}
#findings td:nth-last-child(6),#findings td:nth-last-child(4),#findings td:nth-last-child(1){font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:12px}
#findings td:nth-last-child(6){white-space:nowrap}
#findings td:nth-last-child(3){min-width:240px}
#findings td:nth-last-child(2){color:var(--muted);min-width:150px}
#findings tbody tr:hover td{background:#f7f9fc}
#none{color:var(--muted)}
#more{font:inherit;padding:6px 14px;border:1px solid #c5ccd6;border-radius:5px;background:#fff;color:var(--ink);cursor:pointer}
#more:hover{background:#eef1f5}
#all-findings:not(:has(#findings-end)) #findings{display:none}
#all-findings:not(:has(#findings-end))::after{content:"Loading the findings\2026";color:var(--muted)}
@media print{.filters{display:none!important}thead th{position:static}section{break-inside:auto}}
"#;

const SCRIPT: &str = r#"
"use strict";
(() => {
  // Rows shown at a time: laying out tens of thousands of rows takes the browser seconds.
  const PAGE = 1000;
  const table = document.getElementById("findings");
  const rows = Array.from(table.tBodies[0].rows);
  const heads = Array.from(table.tHead.rows[0].cells);
  const column = (name) => heads.findIndex((th) => th.dataset.col === name);
  const severityAt = column("severity");
  const codeAt = column("code");
  const text = rows.map((r) => r.textContent.toLowerCase());
  const severity = rows.map((r) => r.cells[severityAt].textContent);
  const code = rows.map((r) => r.cells[codeAt].textContent);
  const q = document.getElementById("q");
  const severityBox = document.getElementById("severity");
  const codeBox = document.getElementById("code");
  const shown = document.getElementById("shown");
  const none = document.getElementById("none");
  const more = document.getElementById("more");
  const count = (n) => n.toLocaleString("en-US");
  let limit = PAGE;
  let applied = 0;
  function apply() {
    const needle = q.value.trim().toLowerCase();
    const s = severityBox.value;
    const c = codeBox.value;
    let matched = 0;
    for (let i = 0; i < rows.length; i++) {
      const match = (!s || severity[i] === s) && (!c || code[i] === c) && (!needle || text[i].includes(needle));
      const show = match && matched < limit;
      if (match) matched++;
      if (rows[i].hidden === show) rows[i].hidden = !show;
    }
    shown.textContent = matched === rows.length ? count(matched) + " findings" : count(matched) + " of " + count(rows.length) + " findings";
    none.hidden = matched > 0;
    more.hidden = matched <= limit;
    more.textContent = "Show " + count(Math.min(PAGE, matched - limit)) + " more (" + count(limit) + " of " + count(matched) + " shown)";
    document.body.dataset.applied = String(++applied);
  }
  function refilter() {
    limit = PAGE;
    apply();
  }
  let timer = 0;
  q.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refilter, rows.length > 5000 ? 200 : 0);
  });
  severityBox.addEventListener("change", refilter);
  codeBox.addEventListener("change", refilter);
  more.addEventListener("click", () => {
    limit += PAGE;
    apply();
  });
  document.getElementById("filters").hidden = false;
  apply();
  document.body.dataset.ready = "true";
})();
"#;

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use std::path::PathBuf;

    use adaccess_core::{AuditOptions, Directory, Engine, Profile, Timestamp};
    use serde_json::json;

    use super::*;

    const IMG: &str = "<img src=x onerror=alert(1)>";
    const SCRIPT_BREAK: &str = "</script><script>alert(1)</script>";

    fn data(name: &str) -> PathBuf {
        [env!("CARGO_MANIFEST_DIR"), "..", "tests", "data", name]
            .iter()
            .collect()
    }

    /// The audit of a sample export, as `adaccess audit --now 2026-11-22` runs it.
    fn audit(profile: &str, export: &str, directory: Option<&str>) -> Report {
        let profile = Profile::builtin(profile).unwrap();
        let bytes = std::fs::read(data(export)).unwrap();
        let export = adaccess_core::ingest::read_export(&profile, &bytes).unwrap();
        let directory: Option<Directory> = directory
            .map(|d| serde_json::from_str(&std::fs::read_to_string(data(d)).unwrap()).unwrap())
            .or(export.directory);
        let engine = Engine::new(profile, directory.as_ref()).unwrap();
        let now = Timestamp::parse("2026-11-22").unwrap();
        engine.audit(&export.users, Some(&now), None, &AuditOptions::default())
    }

    fn dv360() -> Report {
        audit(
            "dv360",
            "dv360_users_list.json",
            Some("dv360_directory.json"),
        )
    }

    fn mediamath() -> Report {
        audit("mediamath", "t1_permissions.json", None)
    }

    fn report(value: serde_json::Value) -> Report {
        serde_json::from_value(value).unwrap()
    }

    /// A report whose every string is hostile.
    fn hostile() -> Report {
        report(json!({
            "users": 2,
            "findings": [
                {"code": "user.dormant", "severity": "warning",
                 "message": format!("{SCRIPT_BREAK} <x@example.com> has not signed in"),
                 "path": format!("[0].{IMG}"), "help": format!("fix {SCRIPT_BREAK}"),
                 "data": {"days": 400, "last_login": "2025-01-01"}, "user": IMG},
                {"code": "entity.all_granted", "severity": "security",
                 "message": format!("{IMG} holds admin"),
                 "data": {"entity": {"level": "partner", "id": SCRIPT_BREAK}}, "user": SCRIPT_BREAK},
                {"code": format!("x.{IMG}"), "severity": "info", "message": "m"},
                {"code": "admin.none", "severity": "error", "message": format!("nobody on {IMG}"),
                 "data": {"entity": {"level": "partner", "id": IMG}, "admins": 0}}
            ],
            "summary": {
                "by_code": {"user.dormant": 1, "entity.all_granted": 1, format!("x.{IMG}"): 1, "admin.none": 1},
                "by_severity": {"error": 1, "security": 1, "warning": 1, "info": 1},
                "by_role": {IMG: 1},
                "by_family": {SCRIPT_BREAK: 2}
            }
        }))
    }

    fn escaped(s: &str) -> String {
        let mut out = String::new();
        escape(&mut out, s).unwrap();
        out
    }

    fn one(seat: &str, report: &Report) -> String {
        page(
            "adaccess access review",
            "2026-11-22",
            &[SeatView {
                seat,
                format: "DV360 users.list",
                report,
            }],
        )
    }

    /// The page of two seats: `northwind` (DV360) and `t1-seat` (MediaMath).
    fn two(a: &Report, b: &Report) -> String {
        page(
            "review",
            "2026-11-22",
            &[
                SeatView {
                    seat: "northwind",
                    format: "DV360 users.list",
                    report: a,
                },
                SeatView {
                    seat: "t1-seat",
                    format: "MediaMath T1 permissions",
                    report: b,
                },
            ],
        )
    }

    /// The number at `data-stat="{key}">N<` in the section of seat number `seat` (from 1).
    fn stat(page: &str, seat: usize, key: &str) -> usize {
        let section = page
            .split(&format!("id=\"seat-{seat}\""))
            .nth(1)
            .expect("the seat's section");
        let marker = format!("data-stat=\"{key}\">");
        let at = section.find(&marker).expect("the stat") + marker.len();
        let digits: String = section[at..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ',')
            .filter(char::is_ascii_digit)
            .collect();
        digits.parse().unwrap()
    }

    #[test]
    fn escape_replaces_the_five_characters() {
        assert_eq!(escaped(r#"a&b<c>d"e'f"#), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
        assert_eq!(escaped(IMG), "&lt;img src=x onerror=alert(1)&gt;");
        assert_eq!(escaped("plain é ü 漢"), "plain é ü 漢");
        assert_eq!(escaped(""), "");
        assert_eq!(escaped("<<&&"), "&lt;&lt;&amp;&amp;");
        assert_eq!(Esc("'\"").to_string(), "&#39;&quot;");
    }

    #[test]
    fn hostile_strings_stay_text() {
        let report = hostile();
        let html = one(SCRIPT_BREAK, &report);
        let lower = html.to_lowercase();
        assert!(!lower.contains("<img"), "an img element in the page");
        assert_eq!(lower.matches("<script").count(), 1, "one script element");
        assert_eq!(lower.matches("</script").count(), 1, "one script end tag");
        // The only script is the page's own, after the table.
        assert!(lower.find("<script").unwrap() > lower.find("</table>").unwrap());
        assert!(!html.contains("onerror=alert(1)>"));
        // Each hostile string shows as text: in the table, the title, the charts.
        let img = escaped(IMG);
        let script = escaped(SCRIPT_BREAK);
        assert!(html.contains(&format!("<td>{img}<td>")), "the user id");
        assert!(
            html.contains(&format!("<td>partner:{script}<td>")),
            "the entity"
        );
        assert!(
            html.contains(&format!("<h2>{script} <small>")),
            "the seat name"
        );
        assert!(
            html.contains(&format!("<option value=\"x.{img}\">")),
            "the code"
        );
        assert!(
            html.contains(&format!("<title>nobody on {img}</title>")),
            "the admins chart"
        );
        let cut: String = format!("partner:{IMG}")
            .chars()
            .take(MAX_LABEL - 1)
            .collect();
        assert!(
            html.contains(&format!(">{}\u{2026}</text>", escaped(&cut))),
            "its label"
        );
        assert!(
            html.contains(&format!("<title>{script}: 2 user(s)</title>")),
            "the families"
        );
        assert!(html.contains(&format!("<td>[0].{img}\n")), "the path");
    }

    #[test]
    fn every_seat_and_code_appears() {
        let (a, b) = (dv360(), mediamath());
        assert!(!a.findings.is_empty() && !b.findings.is_empty());
        let html = two(&a, &b);
        for (seat, report) in [("northwind", &a), ("t1-seat", &b)] {
            assert!(html.contains(&format!("data-seat=\"{seat}\"><h2>{seat} <small>")));
            for code in report.summary.by_code.keys() {
                let expected = report.findings.iter().filter(|f| &f.code == code).count();
                let rows = report
                    .findings
                    .iter()
                    .filter(|f| &f.code == code)
                    .map(|f| format!("<td>{seat}<td>{}<td>{code}<td>", f.severity))
                    .collect::<std::collections::BTreeSet<_>>();
                let shown: usize = rows.iter().map(|r| html.matches(r.as_str()).count()).sum();
                assert_eq!(shown, expected, "rows of {code} in {seat}");
                assert!(
                    html.contains(&format!("<option value=\"{code}\">")),
                    "{code}"
                );
                assert!(
                    html.contains(&format!(">{code}</text>")),
                    "{code} in the chart"
                );
            }
        }
        let rows = html.matches("<tr class=").count();
        assert_eq!(rows, a.findings.len() + b.findings.len());
        // Every user a finding is about.
        for f in a.findings.iter().chain(&b.findings) {
            if let Some(user) = &f.user {
                assert!(
                    html.contains(&format!("<td>{}<td>", escaped(user))),
                    "{user}"
                );
            }
        }
    }

    #[test]
    fn severity_counts_shown_equal_the_report() {
        for report in [dv360(), mediamath(), hostile()] {
            let html = one("seat", &report);
            assert_eq!(stat(&html, 1, "users"), report.users);
            for s in Severity::ALL {
                let counted = report.findings.iter().filter(|f| f.severity == s).count();
                assert_eq!(stat(&html, 1, s.as_str()), counted, "{s}");
                let bar = format!("<title>{s}: {counted}</title>");
                assert!(html.contains(&bar), "{bar}");
            }
        }
    }

    #[test]
    fn the_page_references_nothing_outside_itself() {
        let (a, b) = (dv360(), mediamath());
        let html = page(
            "review",
            "2026-11-22",
            &[
                SeatView {
                    seat: "a",
                    format: "DV360 users.list",
                    report: &a,
                },
                SeatView {
                    seat: "b",
                    format: "MediaMath T1 permissions",
                    report: &b,
                },
            ],
        );
        let lower = html.to_lowercase();
        for needle in [
            "http://",
            "https://",
            "src=",
            "url(",
            "@import",
            "//cdn",
            "<link rel=\"stylesheet",
        ] {
            assert!(!lower.contains(needle), "the page contains {needle}");
        }
        for href in lower.split("href=\"").skip(1) {
            assert!(
                href.starts_with('#') || href.starts_with("data:,\""),
                "href={href:.40}"
            );
        }
        assert!(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"));
        // The script only toggles rows: it never parses HTML.
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
        ] {
            assert!(!SCRIPT.contains(sink), "{sink}");
        }
    }

    #[test]
    fn several_seats_give_the_seat_column_and_the_combined_table() {
        let (a, b) = (dv360(), mediamath());
        let single = one("northwind", &a);
        assert!(!single.contains("data-col=\"seat\""));
        assert!(!single.contains("id=\"seats\""));
        let html = two(&a, &b);
        assert!(html.contains("<th data-col=\"seat\">Seat</th><th data-col=\"severity\">"));
        let combined = html
            .split("<section id=\"seats\">")
            .nth(1)
            .unwrap()
            .split("</section>")
            .next()
            .unwrap();
        for (i, (seat, report)) in [("northwind", &a), ("t1-seat", &b)].iter().enumerate() {
            let row = combined
                .split(&format!("<tr data-seat=\"{seat}\">"))
                .nth(1)
                .unwrap()
                .split("</tr>")
                .next()
                .unwrap();
            assert!(row.contains(&format!("<a href=\"#seat-{}\">{seat}</a>", i + 1)));
            assert!(row.contains(&format!("<td class=\"n\">{}</td>", report.users)));
            for s in Severity::ALL {
                let n = report.findings.iter().filter(|f| f.severity == s).count();
                let cell = format!("data-severity=\"{s}\">{n}</td>");
                assert!(row.contains(&cell), "{seat}: {cell}");
            }
        }
        assert_eq!(combined.matches("<tr data-seat=").count(), 2);
        let users = a.users + b.users;
        assert!(combined.contains(&format!(
            "<th>All seats</th><td></td><td class=\"n\">{users}</td>"
        )));
        // Each finding's row starts with its seat.
        assert_eq!(
            html.matches("<tr class=error><td>northwind<td>error")
                .count(),
            a.findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count()
        );
    }

    #[test]
    fn charts_show_admins_families_and_dormant_users() {
        let a = dv360();
        let html = one("northwind", &a);
        assert!(html.matches("<svg ").count() >= 5);
        // One admins bar per top-level entity, labelled level:id.
        for f in a.findings.iter().filter(|f| f.code == "admin.count") {
            let label = entity_of(f).unwrap();
            assert!(html.contains(&format!(">{label}</text>")), "{label}");
        }
        for family in a.summary.by_family.keys() {
            assert!(html.contains(&format!(">{family}</text>")), "{family}");
        }
        // Highlighted: nobody, and many admins; dormant users bucketed by days.
        let mut findings = vec![];
        for (id, admins) in [("1", 0), ("2", 7), ("3", 1)] {
            findings.push(
                json!({"code": if admins == 0 { "admin.none" } else { "admin.count" },
                "severity": "info", "message": "m",
                "data": {"entity": {"level": "partner", "id": id}, "admins": admins}}),
            );
        }
        for days in [100, 200, 400, 500, 364] {
            findings.push(
                json!({"code": "user.dormant", "severity": "warning", "message": "m",
                "data": {"days": days}, "user": format!("u{days}")}),
            );
        }
        let r = report(json!({"users": 5, "findings": findings,
            "summary": {"by_code": {}, "by_severity": {}, "by_role": {}, "by_family": {}}}));
        let html = one("s", &r);
        let group = |class: &str| -> Vec<String> {
            html.split(&format!("<g class=\"{class}\">"))
                .skip(1)
                .map(|g| g.split("</g>").next().unwrap().to_string())
                .collect()
        };
        let labelled = |groups: Vec<String>, label: &str| {
            groups
                .iter()
                .filter(|g| g.contains(&format!(">{label}</text>")))
                .count()
        };
        assert_eq!(labelled(group("zero"), "partner:1"), 1, "0 admins is red");
        assert_eq!(labelled(group("high"), "partner:2"), 1, "7 admins is amber");
        assert_eq!(labelled(group("plain"), "partner:3"), 1, "1 admin is plain");
        assert!(natural("partner:9") < natural("partner:10"));
        assert!(natural("partner:10") < natural("partner:x"));
        for (bucket, n) in [
            ("90\u{2013}179 days", 1),
            ("180\u{2013}364 days", 2),
            ("365+ days", 2),
        ] {
            assert!(
                html.contains(&format!(
                    "<title>{n} user(s) not signed in for {bucket}</title>"
                )),
                "{bucket}"
            );
        }
        assert!(!html.contains("under 90 days"));
        assert!(html.contains("No role assignments."));
    }

    #[test]
    fn no_seat_and_no_date_still_make_a_page() {
        let html = page("review", "", &[]);
        assert!(html.contains("<p>0 seats \u{b7} 0 users reviewed \u{b7} 0 findings</p>"));
        assert!(html.contains("<title>review</title>"));
        assert!(html.contains("<p id=\"none\">No finding matches.</p>"));
        assert!(!html.contains("Review date"));
        assert_eq!(html.matches("<tr class=").count(), 0);
        assert!(html.ends_with("</script>\n</body>\n</html>\n"));
        let dated = one("s", &mediamath());
        assert!(
            dated.contains("<p>Review date <time>2026-11-22</time> \u{b7} 1 seat \u{b7} 3 users")
        );
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(num(0), "0");
        assert_eq!(num(999), "999");
        assert_eq!(num(1000), "1,000");
        assert_eq!(num(40_000), "40,000");
        assert_eq!(num(1_234_567), "1,234,567");
    }

    #[test]
    fn a_large_report_stays_small_per_row() {
        let n = 40_000;
        let findings: Vec<_> = (0..n)
            .map(|i| {
                json!({"code": "entity.all_granted", "severity": "security",
                "message": format!("user {i} holds admin"), "path": format!("[{i}].assignments[0]"),
                "data": {"entity": {"level": "partner", "id": "1100001"}}, "user": format!("{i}")})
            })
            .collect();
        let r = report(json!({"users": n, "findings": findings,
            "summary": {"by_code": {"entity.all_granted": n}, "by_severity": {"security": n},
                "by_role": {}, "by_family": {}}}));
        let text: usize = r
            .findings
            .iter()
            .map(|f| {
                f.message.len()
                    + f.path.as_ref().map_or(0, String::len)
                    + f.user.as_ref().map_or(0, String::len)
            })
            .sum();
        let html = one("big", &r);
        assert_eq!(html.matches("<tr class=").count(), n);
        assert_eq!(stat(&html, 1, "security"), n);
        let markup_per_row = (html.len() - text) / n;
        assert!(
            markup_per_row < 100,
            "{markup_per_row} bytes of markup per row"
        );
    }
}
