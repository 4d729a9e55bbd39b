//! Unit tests of the JUnit reader's rules (the contract's cases run in kosli-tests).

use std::path::Path;

use super::*;
use crate::evidence::go_time;

fn suites(xml: &str) -> Vec<SuiteSummary> {
    parse_bytes(xml.as_bytes(), None).unwrap()
}

/// What the visitor saw of one testcase: name, status, time, message.
type Seen = (String, Status, f64, Option<String>);

fn detail(xml: &[u8]) -> Result<Vec<Seen>> {
    let mut seen = Vec::new();
    let mut visit = |c: &TestCase<'_>| {
        seen.push((
            c.name.to_owned(),
            c.status,
            c.time,
            c.message.map(str::to_owned),
        ))
    };
    parse_bytes_with(xml, None, &mut visit)?;
    Ok(seen)
}

#[test]
fn only_direct_children_of_a_suite_count() {
    let s = suites(
        r#"<x:testsuite xmlns:x="urn:x" name="s">
             <x:testcase name="a"/>
             <group><testcase name="ignored"/><testsuite name="ignored too"><testcase/></testsuite></group>
             <testcase name="b"><wrap><failure/></wrap></testcase>
           </x:testsuite>"#,
    );
    assert_eq!(s.len(), 1);
    assert_eq!((s[0].total, s[0].failures), (2, 0));
}

#[test]
fn last_status_wins_and_surefire_reruns_are_ignored() {
    let s = suites(
        r#"<testsuite><testcase><failure/><error/></testcase><testcase><failure/><skipped/></testcase>
           <testcase><flakyFailure/><rerunFailure/></testcase><testcase><error/><failure/></testcase></testsuite>"#,
    );
    assert_eq!(
        (s[0].errors, s[0].skipped, s[0].failures, s[0].total),
        (1, 1, 1, 4)
    );
}

#[test]
fn properties_replace_the_timestamp_attribute() {
    let s = suites(
        r#"<testsuite name="a" timestamp="2024-05-01T12:34:56"/>
           <testsuite name="b" timestamp="2024-05-01T12:34:56"><properties/></testsuite>
           <testsuite name="c"><properties><property name="timestamp" value="2024-05-01T12:34:56Z"/></properties></testsuite>
           <testsuite name="d" timestamp="2024-05-01T12:34:56"><testsuite name="inner"><properties/></testsuite></testsuite>"#,
    );
    let stamps: Vec<Option<i64>> = s.iter().map(|s| s.timestamp).collect();
    assert_eq!(
        stamps,
        [
            Some(1_714_566_896),
            None,
            Some(1_714_566_896),
            Some(1_714_566_896)
        ]
    );
}

#[test]
fn visitor_sees_each_testcase_with_its_decisive_message() {
    let seen = detail(
        br#"<testsuite name="s"><testcase name="a" time="0.5"/>
            <testcase name="b &amp; c" time="1.001"><failure message="first"/><error message="second"/></testcase></testsuite>"#,
    )
    .unwrap();
    assert_eq!(
        seen,
        [
            ("a".to_owned(), Status::Passed, 0.5, None),
            (
                "b & c".to_owned(),
                Status::Error,
                1.000999,
                Some("second".to_owned())
            ),
        ]
    );
}

#[test]
fn bad_attribute_values_fail_with_or_without_detail() {
    // Found by fuzzing: detail used to decode (and reject) values the totals path skipped.
    for xml in [
        &br#"<testsuite><testcase name="a &b c"/></testsuite>"#[..],
        br#"<testsuite><testcase><failure message="&nope;"/></testcase></testsuite>"#,
        b"<testsuite><testcase classname=\"\xff\"/></testsuite>",
    ] {
        assert!(
            parse_bytes(xml, None).is_err(),
            "{}",
            String::from_utf8_lossy(xml)
        );
        assert!(detail(xml).is_err(), "{}", String::from_utf8_lossy(xml));
    }
}

#[test]
fn unwanted_values_are_judged_as_wanted_ones_are() {
    // The totals path checks unwanted values without building their text; whatever it
    // decides must be what building the text (the detail path) decides, message included.
    for value in [
        "plain",
        "a &amp; b",
        "&lt;&gt;&apos;&quot;",
        "&#65;",
        "&#x41;",
        "&#X41;",
        "&#0;",
        "&#x0;",
        "&#1;",
        "&#xD800;",
        "&#x10FFFF;",
        "&#x110000;",
        "&#0065;",
        "&#+65;",
        "&#;",
        "&#x;",
        "&nope;",
        "& b",
        "a&b",
        "&amp",
        "caf\u{e9}",
        "tab\tcr\rlf\n",
        "&#9;",
        "&#12345678;",
        "&#xFFFE;",
        "&#xFFFD;",
    ] {
        let xml =
            format!(r#"<testsuite><testcase><failure message="{value}"/></testcase></testsuite>"#);
        let totals = parse_bytes(xml.as_bytes(), None)
            .map(|_| ())
            .map_err(|e| e.to_string());
        let detailed = detail(xml.as_bytes())
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert_eq!(totals, detailed, "{value:?}");
    }
}

#[test]
fn a_mismatched_end_tag_is_reported_on_the_line_of_its_closing_bracket() {
    // Observed from the CLI v2.43.1: both files fail "on line 6" (Go reads the whole end tag,
    // then compares names), whatever whitespace or line breaks come before or inside it.
    for xml in [
        &b"<testsuites>\n<testsuite name=\"s\">\n<testcase>\n</testsuite\n\n>\n"[..],
        b"<testsuites>\n<testsuite name=\"s\">\n<testcase>\n  \n\n  </testsuite>\n",
    ] {
        let err = parse_bytes(xml, None).unwrap_err().to_string();
        assert!(
            err.ends_with("line 6: element <testcase> closed by </testsuite>"),
            "{err}"
        );
    }
}

#[test]
fn errors_name_the_file_and_line() {
    let xml = b"<testsuites>\n  <testsuite name=\"s\">\n    <testcase>\n  </testsuite>\n";
    let err = parse_bytes(xml, Some(Path::new("r/bad.xml"))).unwrap_err();
    assert!(
        matches!(&err, Error::Parse { line: Some(4), file: Some(f), .. } if f == Path::new("r/bad.xml")),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "failed to parse XML file r/bad.xml: XML syntax error on line 4: element <testcase> closed by </testsuite>"
    );
    let err = parse_bytes(b"<testsuite>\n<testcase>\n", None).unwrap_err();
    assert!(
        err.to_string()
            .contains("line 3: element <testcase> closed by end of file"),
        "{err}"
    );
    let err = parse_bytes(b"<a>x &amp; y &bogus; z</a>", None).unwrap_err();
    assert!(
        err.to_string().contains("invalid character entity &bogus;"),
        "{err}"
    );
    let err = parse_bytes(b"<a>&</a>", None).unwrap_err();
    assert!(
        err.to_string()
            .contains("invalid character entity & (no semicolon)"),
        "{err}"
    );
    let err = parse_bytes(b"<!-- a -- b --><testsuite/>", None).unwrap_err();
    assert!(err.to_string().contains("not allowed in comments"), "{err}");
    let err = parse_bytes(
        b"<?xml version=\"1.0\" encoding=\"x-unknown\"?><testsuite/>",
        None,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("unsupported encoding \"x-unknown\""),
        "{err}"
    );
}

#[test]
fn several_roots_empty_files_and_boms_are_fine() {
    assert_eq!(suites("").len(), 0);
    assert_eq!(suites("<testsuites/>").len(), 0);
    assert_eq!(
        suites("\u{feff}<?xml version=\"1.0\"?><testsuite name=\"a\"/><testsuite name=\"b\"/>")
            .len(),
        2
    );
}

#[test]
fn out_of_range_times_wrap_like_go() {
    let s = suites(
        r#"<testsuite><testcase time="1e15"/><testcase time="1e10"/><testcase time="nan"/></testsuite>"#,
    );
    // 1e10 s = 1e19 ns wraps in int64 as Go's Duration multiplication does.
    assert_eq!(
        s[0].duration,
        go_time::seconds(10_000_000_000_000_000i64.wrapping_mul(1_000))
    );
}

#[test]
fn walk_reads_xml_files_in_lexical_order_and_skips_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("b")).unwrap();
    std::fs::write(
        root.join("b/z.xml"),
        r#"<testsuite name="b/z"><testcase/></testsuite>"#,
    )
    .unwrap();
    std::fs::write(
        root.join("a.xml"),
        r#"<testsuite name="a"><testcase/></testsuite>"#,
    )
    .unwrap();
    std::fs::write(root.join("c.XML"), r#"<testsuite name="upper"/>"#).unwrap();
    std::fs::write(root.join("pom.xml"), "<project/>").unwrap();
    std::fs::write(root.join("notes.txt"), "<testsuite/>").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("a.xml"), root.join("link.xml")).unwrap();
    let summary = parse_dir(root).unwrap();
    let names: Vec<&str> = summary.suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["a", "b/z"]);
    assert_eq!(summary.files, [root.join("a.xml"), root.join("b/z.xml")]);
    assert_eq!(summary.total(), 2);

    let empty = tempfile::tempdir().unwrap();
    let err = parse_dir(empty.path()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("no tests found in {} directory", empty.path().display())
    );
    let err = parse_dir(root.join("missing")).unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Io);
    assert!(err.to_string().starts_with("lstat "), "{err}");
}

#[test]
fn malformed_attributes_are_errors_worded_as_go() {
    for (xml, want) in [
        (
            "<testsuite name=s/>",
            "unquoted or missing attribute value in element",
        ),
        ("<testsuite name/>", "attribute name without = in element"),
        (
            "<testsuite name=\"a<b\"/>",
            "unescaped < inside quoted string",
        ),
        ("<testsuite name='unclosed/>", "not closed"),
    ] {
        let err = parse_bytes(xml.as_bytes(), None).unwrap_err();
        assert!(err.to_string().contains(want), "{xml}: {err}");
    }
    // Spaces around `=`, single quotes, and CR LF inside values are fine.
    let s = suites("<testsuite name = 'a\r\nb' ><testcase time\n=\n\"2\"/></testsuite>");
    assert_eq!((s[0].name.as_str(), s[0].duration), ("a\nb", 2.0));
}
