//! `adaccess profile show`: the permission matrix as a table that fits a terminal.
//!
//! Columns are roles (grouped by family, headed by the role id and the platform's API name),
//! rows are capabilities, cells the access level each role grants (`-` for none). Columns
//! shrink to fit the width; a shortened level name is listed under the table.

use std::fmt::Write as _;

use adaccess_core::profile::RoleDoc;
use adaccess_core::Profile;

/// The narrowest a role column gets before the table is allowed to overflow.
const MIN_COL: usize = 5;
const LABEL_ASSIGNABLE: &str = "assignable at";

/// One role column: its headers, one cell per capability, the levels it may be assigned at.
struct Column {
    family: String,
    /// The first column of its family.
    new_family: bool,
    id: String,
    /// One value per external id key (empty when the role has none).
    external: Vec<String>,
    cells: Vec<String>,
    levels: Vec<String>,
    width: usize,
}

pub fn table(profile: &Profile, width: usize) -> String {
    let doc = profile.doc();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}), version {}: {} role(s) in {} family(ies), {} capabilities",
        doc.name,
        doc.id,
        doc.version,
        doc.roles.len(),
        doc.families.len(),
        doc.capabilities.len()
    );
    let _ = writeln!(out, "scope levels, top-down: {}", doc.levels.join(" > "));

    let external_keys = external_keys(&doc.roles);
    let roles = roles_by_family(profile);
    let columns = role_columns(profile, &roles, &external_keys);
    let label_width = doc
        .capabilities
        .iter()
        .map(|c| c.id.chars().count())
        .chain(external_keys.iter().map(|k| k.chars().count()))
        .chain([LABEL_ASSIGNABLE.len(), "family".len()])
        .max()
        .unwrap_or(0);

    roles_list(&mut out, &roles, &external_keys);

    let layout = Layout {
        profile,
        external_keys: &external_keys,
        label_width,
        width,
    };
    let mut abbreviated: Vec<(String, String)> = Vec::new();
    for chunk in chunks(columns, label_width, width) {
        out.push('\n');
        render_chunk(&mut out, &layout, chunk, &mut abbreviated);
    }

    if !abbreviated.is_empty() {
        out.push('\n');
        let list: Vec<String> = abbreviated
            .iter()
            .map(|(short, full)| format!("{short} = {full}"))
            .collect();
        let _ = writeln!(out, "shortened: {}", list.join(", "));
    }
    managers_and_toggles(&mut out, profile);
    out
}

/// Every external id key any role has (`dv360_api`, `t1_api`...), in the order met: one
/// header band each.
fn external_keys(roles: &[RoleDoc]) -> Vec<&str> {
    let mut external_keys: Vec<&str> = Vec::new();
    for r in roles {
        for k in r.external_ids.keys() {
            if !external_keys.contains(&k.as_str()) {
                external_keys.push(k);
            }
        }
    }
    external_keys
}

/// The roles in family order, then in document order within a family, each with its
/// family's position.
fn roles_by_family(profile: &Profile) -> Vec<(usize, &RoleDoc)> {
    let doc = profile.doc();
    let mut roles: Vec<(usize, &RoleDoc)> = doc
        .roles
        .iter()
        .map(|r| {
            let family = doc
                .families
                .iter()
                .position(|f| f.id == r.family)
                .unwrap_or(usize::MAX);
            (family, r)
        })
        .collect();
    roles.sort_by_key(|(family, _)| *family);
    roles
}

/// One column per role, in the order given, each at its natural width.
fn role_columns(
    profile: &Profile,
    roles: &[(usize, &RoleDoc)],
    external_keys: &[&str],
) -> Vec<Column> {
    let mut columns: Vec<Column> = Vec::new();
    let mut last_family: Option<&str> = None;
    for (_, role) in roles {
        let first_of_family = last_family != Some(role.family.as_str());
        last_family = Some(role.family.as_str());
        let cells = profile
            .cap_ids()
            .map(|c| {
                let level = profile
                    .role(&role.id)
                    .map(|r| profile.grant(r, c))
                    .unwrap_or(0);
                if level == 0 {
                    "-".to_string()
                } else {
                    profile.access_name(c, level).to_string()
                }
            })
            .collect();
        let mut col = Column {
            family: role.family.clone(),
            new_family: first_of_family,
            id: role.id.clone(),
            external: external_keys
                .iter()
                .map(|k| role.external_ids.get(*k).cloned().unwrap_or_default())
                .collect(),
            cells,
            levels: role.levels.clone(),
            width: 0,
        };
        col.width = natural_width(&col);
        columns.push(col);
    }
    columns
}

/// Who manages whom, and the toggles with their grants, under the tables.
fn managers_and_toggles(out: &mut String, profile: &Profile) {
    let doc = profile.doc();
    let managers: Vec<String> = doc
        .roles
        .iter()
        .filter(|r| !r.manages.is_empty())
        .map(|r| format!("  {} manages {}", r.id, r.manages.join(", ")))
        .collect();
    if !managers.is_empty() {
        let _ = writeln!(out, "\nuser management (within the holder's own scopes):");
        for m in managers {
            let _ = writeln!(out, "{m}");
        }
    }
    if !doc.toggles.is_empty() {
        let _ = writeln!(out, "\ntoggles (per user, independent of role):");
        for t in &doc.toggles {
            let grants: Vec<String> = t.grants.iter().map(|(c, l)| format!("{c}: {l}")).collect();
            let _ = writeln!(out, "  {} ({}): {}", t.id, t.label, grants.join(", "));
        }
    }
}

/// The roles in full, one line each: family, id, label, platform names, levels.
fn roles_list(out: &mut String, roles: &[(usize, &RoleDoc)], external_keys: &[&str]) {
    let mut rows: Vec<Vec<String>> = vec![["family", "role", "label"]
        .iter()
        .map(|s| s.to_string())
        .chain(external_keys.iter().map(|k| k.to_string()))
        .chain(["assignable at".to_string()])
        .collect()];
    for (_, r) in roles {
        let mut row = vec![r.family.clone(), r.id.clone(), r.label.clone()];
        for k in external_keys {
            row.push(
                r.external_ids
                    .get(*k)
                    .cloned()
                    .unwrap_or_else(|| "-".into()),
            );
        }
        row.push(r.levels.join(", "));
        rows.push(row);
    }
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    out.push('\n');
    for row in &rows {
        let mut line = String::new();
        for (cell, w) in row.iter().zip(&widths) {
            let _ = write!(line, "{cell:<w$}  ");
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// Splits the columns into tables that each fit `width`, keeping a family together when it
/// fits on its own.
fn chunks(columns: Vec<Column>, label_width: usize, width: usize) -> Vec<Vec<Column>> {
    let used = |cols: &[Column]| label_width + cols.iter().map(|c| c.width + 1).sum::<usize>();
    // Families as groups of adjacent columns.
    let mut families: Vec<Vec<Column>> = Vec::new();
    for col in columns {
        match families.last_mut() {
            Some(group) if !col.new_family => group.push(col),
            _ => families.push(vec![col]),
        }
    }
    let mut out: Vec<Vec<Column>> = Vec::new();
    let mut cur: Vec<Column> = Vec::new();
    for group in families {
        let group_width: usize = group.iter().map(|c| c.width + 1).sum();
        if !cur.is_empty() && used(&cur) + group_width > width {
            out.push(std::mem::take(&mut cur));
        }
        if label_width + group_width <= width {
            cur.extend(group);
            continue;
        }
        // A family too wide on its own is split column by column.
        for col in group {
            if !cur.is_empty() && used(&cur) + col.width + 1 > width {
                out.push(std::mem::take(&mut cur));
            }
            cur.push(col);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// What every table of one profile shares: the header bands and the widths.
struct Layout<'a> {
    profile: &'a Profile,
    /// The platform-name bands, one per external id key.
    external_keys: &'a [&'a str],
    /// The width of the label column.
    label_width: usize,
    /// The width the tables should fit.
    width: usize,
}

/// One table: the header bands, a rule, one row per capability, a rule, the levels each role
/// may be assigned at. Shortened cells are added to `abbreviated`.
fn render_chunk(
    out: &mut String,
    layout: &Layout<'_>,
    mut columns: Vec<Column>,
    abbreviated: &mut Vec<(String, String)>,
) {
    shrink_to_fit(&mut columns, layout);
    let widths: Vec<usize> = columns.iter().map(|c| c.width).collect();
    let band = |out: &mut String, label: &str, lines: Vec<Vec<String>>| {
        write_band(out, layout.label_width, &widths, label, lines)
    };
    band(
        out,
        "family",
        columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                // Name the family over its first column in this table.
                let first = i == 0 || c.new_family;
                if first {
                    wrap(&c.family, c.width)
                } else {
                    Vec::new()
                }
            })
            .collect(),
    );
    band(
        out,
        "role",
        columns.iter().map(|c| wrap(&c.id, c.width)).collect(),
    );
    for (k, key) in layout.external_keys.iter().enumerate() {
        band(
            out,
            key,
            columns
                .iter()
                .map(|c| {
                    c.external
                        .get(k)
                        .map(|v| wrap(v, c.width))
                        .unwrap_or_default()
                })
                .collect(),
        );
    }
    rule(out, layout.label_width, &widths);
    capability_rows(out, layout, &columns, abbreviated);
    rule(out, layout.label_width, &widths);
    band(
        out,
        LABEL_ASSIGNABLE,
        columns
            .iter()
            .map(|c| {
                c.levels
                    .iter()
                    .flat_map(|l| wrap(l, c.width))
                    .collect::<Vec<_>>()
            })
            .collect(),
    );
}

/// Narrows the widest columns, one character at a time, until the table fits the width or
/// every column is down to `MIN_COL`.
fn shrink_to_fit(columns: &mut [Column], layout: &Layout<'_>) {
    let total =
        |cols: &[Column]| layout.label_width + cols.iter().map(|c| c.width + 1).sum::<usize>();
    while total(columns) > layout.width {
        let Some(widest) = columns.iter_mut().max_by_key(|c| c.width) else {
            break;
        };
        if widest.width <= MIN_COL {
            break;
        }
        widest.width -= 1;
    }
}

/// One header band: `label`, then each column's lines, as many rows as the tallest needs.
fn write_band(
    out: &mut String,
    label_width: usize,
    widths: &[usize],
    label: &str,
    lines: Vec<Vec<String>>,
) {
    let height = lines.iter().map(Vec::len).max().unwrap_or(0);
    for i in 0..height {
        let mut row = format!("{:<label_width$}", if i == 0 { label } else { "" });
        for (cell, w) in lines.iter().zip(widths) {
            let text = cell.get(i).map_or("", String::as_str);
            let _ = write!(row, " {text:<w$}");
        }
        let _ = writeln!(out, "{}", row.trim_end());
    }
}

/// A line of dashes under each column.
fn rule(out: &mut String, label_width: usize, widths: &[usize]) {
    let mut line = "-".repeat(label_width);
    for w in widths {
        let _ = write!(line, " {}", "-".repeat(*w));
    }
    let _ = writeln!(out, "{line}");
}

/// One row per capability: the level each column's role grants, shortened to fit (each
/// shortening added to `abbreviated` once).
fn capability_rows(
    out: &mut String,
    layout: &Layout<'_>,
    columns: &[Column],
    abbreviated: &mut Vec<(String, String)>,
) {
    let label_width = layout.label_width;
    for (c, cap) in layout.profile.capabilities().iter().enumerate() {
        let mut row = format!("{:<label_width$}", cap.id);
        for col in columns {
            let full = col.cells.get(c).map_or("-", String::as_str);
            let shown = fit(full, col.width);
            if shown != full && !abbreviated.iter().any(|(s, _)| *s == shown) {
                abbreviated.push((shown.clone(), full.to_string()));
            }
            let w = col.width;
            let _ = write!(row, " {shown:<w$}");
        }
        let _ = writeln!(out, "{}", row.trim_end());
    }
}

/// The width a column needs to show everything without shortening: its longest cell, and
/// the longest word of its headers (headers wrap at `_`).
fn natural_width(col: &Column) -> usize {
    let words = col
        .external
        .iter()
        .chain([&col.family, &col.id])
        .chain(col.levels.iter())
        .flat_map(|s| words(s))
        .map(|w| w.chars().count());
    col.cells
        .iter()
        .map(|c| c.chars().count())
        .chain(words)
        .max()
        .unwrap_or(MIN_COL)
        .max(MIN_COL)
}

/// Splits an identifier into words at `_`, `-`, `/` and spaces, keeping the separator on
/// the word before it (`reporting_only` -> `reporting_`, `only`).
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for ch in s.chars() {
        cur.push(ch);
        if matches!(ch, '_' | '-' | '/' | ' ') {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Wraps `s` into lines of at most `width` characters, breaking after separators. A
/// separator that ends a line is dropped when it would not fit; a word longer than the
/// width is cut.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in words(s) {
        let joined = format!("{cur}{word}");
        if fits_line(&joined, width) || cur.is_empty() {
            cur = joined;
        } else {
            lines.push(finish_line(&cur, width));
            cur = word;
        }
    }
    if !cur.is_empty() {
        lines.push(finish_line(&cur, width));
    }
    lines
}

/// A line fits when it is within `width`, not counting one trailing separator.
fn fits_line(s: &str, width: usize) -> bool {
    let n = s.chars().count();
    n <= width || (n == width + 1 && s.ends_with(['_', '-', '/', ' ']))
}

fn finish_line(s: &str, width: usize) -> String {
    let trimmed = if s.chars().count() > width {
        s.trim_end_matches(['_', '-', '/', ' '])
    } else {
        s.trim_end_matches(' ')
    };
    fit(trimmed, width)
}

/// `s` shortened to `width` characters: each `_` part shortened alike
/// (`initiate_approve` -> `init_appr`), or cut with a final `.`.
fn fit(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        return s.to_string();
    }
    let parts: Vec<&str> = s.split('_').filter(|p| !p.is_empty()).collect();
    if parts.len() > 1 {
        let seps = parts.len() - 1;
        let each = width.saturating_sub(seps) / parts.len();
        if each >= 2 {
            return parts
                .iter()
                .map(|p| p.chars().take(each).collect::<String>())
                .collect::<Vec<_>>()
                .join("_");
        }
    }
    let mut cut: String = s.chars().take(width.saturating_sub(1)).collect();
    cut.push('.');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_identifiers_at_separators() {
        assert_eq!(
            wrap("reporting_only_limited", 10),
            ["reporting_", "only_", "limited"]
        );
        assert_eq!(
            wrap("reporting_only_limited", 9),
            ["reporting", "only_", "limited"]
        );
        assert_eq!(wrap("read_only", 10), ["read_only"]);
        assert_eq!(
            wrap("STANDARD_PLANNER_LIMITED", 9),
            ["STANDARD_", "PLANNER_", "LIMITED"]
        );
        assert_eq!(
            wrap("STANDARD_PLANNER_LIMITED", 8),
            ["STANDARD", "PLANNER_", "LIMITED"]
        );
    }

    #[test]
    fn fits_long_level_names() {
        assert_eq!(fit("initiate_approve", 9), "init_appr");
        assert_eq!(fit("negotiate", 7), "negoti.");
        assert_eq!(fit("view", 7), "view");
    }
}
