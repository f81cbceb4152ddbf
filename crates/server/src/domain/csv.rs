//! Cells of the CSV exports: a spreadsheet runs a cell that begins with `=`, `+`, `-`, `@`
//! (or a tab or carriage return before one) as a formula, so such a cell gets a leading `'`
//! and is shown as the text it is (OWASP "CSV injection"). Quoting is the csv crate's.

use std::borrow::Cow;

/// `cell` as it is safe to put in an exported CSV.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// Records as CSV lines, every cell neutralised.
pub fn lines<const N: usize>(records: &[[String; N]]) -> anyhow::Result<String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    for record in records {
        out.write_record(record.iter().map(|cell| neutralise(cell).into_owned()))?;
    }
    let bytes = out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(String::from_utf8(bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_the_rest_stays_as_it_is() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\t=1"), "'\t=1");
        assert_eq!(neutralise("Gina Gray"), "Gina Gray");
        assert_eq!(neutralise(""), "");
        assert_eq!(neutralise("a=b"), "a=b");
    }

    #[test]
    fn the_csv_writer_quotes_what_needs_quoting() {
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(
            ["Acme, \"Payments\"", "line\nbreak", "=1+1"].map(|c| neutralise(c).into_owned()),
        )
        .unwrap();
        let text = String::from_utf8(out.into_inner().unwrap()).unwrap();
        assert_eq!(text, "\"Acme, \"\"Payments\"\"\",\"line\nbreak\",'=1+1\n");
    }
}
