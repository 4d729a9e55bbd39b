//! Synthetic evidence files for the evidence benches: JUnit XML and Snyk-style SARIF of a given
//! size, shaped like real reports (suites of 100 cases, 1 in 10 failing with a stack trace;
//! SARIF results with messages, locations and priority scores).

use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Writes a JUnit XML file of at least `bytes` bytes; returns the number of testcases.
pub fn write_junit(path: &Path, bytes: u64) -> io::Result<u64> {
    let mut out = CountingWriter {
        inner: BufWriter::new(std::fs::File::create(path)?),
        written: 0,
    };
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="bench" tests="0">"#)?;
    let mut cases = 0u64;
    let mut suite = 0u64;
    while out.written < bytes {
        writeln!(
            out,
            r#"  <testsuite name="com.example.module{suite}.ServiceTest" timestamp="2024-06-03T08:20:11" hostname="ci" tests="100" time="1.5">"#
        )?;
        writeln!(
            out,
            r#"    <properties><property name="java.version" value="21"/></properties>"#
        )?;
        for i in 0..100u64 {
            cases += 1;
            let time = (cases % 997) as f64 / 1000.0;
            if i % 10 == 3 {
                writeln!(
                    out,
                    r#"    <testcase name="handles case {i} &amp; more" classname="com.example.module{suite}.ServiceTest" time="{time}">
      <failure message="expected: &lt;{i}&gt; but was: &lt;{}&gt;" type="org.opentest4j.AssertionFailedError">org.opentest4j.AssertionFailedError: expected: &lt;{i}&gt; but was: &lt;{}&gt;
	at com.example.module{suite}.ServiceTest.handlesCase(ServiceTest.java:{i})
	at java.base/java.lang.reflect.Method.invoke(Method.java:580)</failure>
      <system-out><![CDATA[log line for case {i}]]></system-out>
    </testcase>"#,
                    i + 1,
                    i + 1
                )?;
            } else if i % 25 == 7 {
                writeln!(
                    out,
                    r#"    <testcase name="skipped case {i}" classname="com.example.module{suite}.ServiceTest" time="0"><skipped message="disabled"/></testcase>"#
                )?;
            } else {
                writeln!(
                    out,
                    r#"    <testcase name="handles case {i}" classname="com.example.module{suite}.ServiceTest" time="{time}"/>"#
                )?;
            }
        }
        writeln!(out, "  </testsuite>")?;
        suite += 1;
    }
    writeln!(out, "</testsuites>")?;
    out.inner.flush()?;
    Ok(cases)
}

/// Writes a Snyk Code style SARIF file of at least `bytes` bytes; returns the number of results.
pub fn write_sarif(path: &Path, bytes: u64) -> io::Result<u64> {
    let mut out = CountingWriter {
        inner: BufWriter::new(std::fs::File::create(path)?),
        written: 0,
    };
    write!(
        out,
        r#"{{"$schema":"https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json","version":"2.1.0","runs":[{{"tool":{{"driver":{{"name":"SnykCode","semanticVersion":"1.0.0","version":"1.0.0","rules":["#
    )?;
    for r in 0..50 {
        if r > 0 {
            write!(out, ",")?;
        }
        write!(
            out,
            r#"{{"id":"python/Rule{r}","name":"Rule{r}","shortDescription":{{"text":"Rule {r}"}},"defaultConfiguration":{{"level":"warning"}},"properties":{{"tags":["python","security"],"precision":"very-high","security-severity":"{}.5"}}}}"#,
            r % 10
        )?;
    }
    write!(out, r#"]}}}},"results":["#)?;
    let levels = ["error", "warning", "note"];
    let mut results = 0u64;
    while out.written < bytes {
        if results > 0 {
            write!(out, ",")?;
        }
        let r = results % 50;
        write!(
            out,
            r#"{{"ruleId":"python/Rule{r}","ruleIndex":{r},"level":"{}","message":{{"text":"Unsanitized input from a web form flows into open, where it is used as a path. This may result in a Path Traversal vulnerability ({results}).","markdown":"Unsanitized input from {{0}} flows into {{1}}","arguments":["a web form","open"]}},"locations":[{{"physicalLocation":{{"artifactLocation":{{"uri":"src/app/module{}/routes.py","uriBaseId":"%SRCROOT%"}},"region":{{"startLine":{},"endLine":{},"startColumn":5,"endColumn":42}}}}}}],"fingerprints":{{"0":"{:016x}","1":"{:016x}"}},"properties":{{"priorityScore":{},"priorityScoreFactors":[{{"label":true,"type":"hotFileSource"}}],"isAutofixable":false}}}}"#,
            levels[(results % 3) as usize],
            results % 97,
            results % 400 + 1,
            results % 400 + 1 + results % 3,
            results.wrapping_mul(0x9e37_79b9_7f4a_7c15),
            results.wrapping_mul(0xbf58_476d_1ce4_e5b9),
            300 + results % 600
        )?;
        results += 1;
    }
    write!(out, r#"],"properties":{{"coverage":[]}}}}]}}"#)?;
    out.inner.flush()?;
    Ok(results)
}

struct CountingWriter<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
