# Writes a random JUnit results folder (seed, folder) mixing the inputs where go-junit and the
# CLI have quirks: time strings, timestamp layouts, nesting, properties, status order.
# Used by junit_differential.sh to compare the kosli example with the official CLI.
import random, os, sys, json, subprocess, shutil
random.seed(int(sys.argv[1]))
out = sys.argv[2]
times = ["", "0", "1", "1.5", "0.001", "1.001", "0.1234567", "1e-3", "2E2", "1,234.5", "-1.25", "1.5s", "250ms", "1h2m", "abc", " 1.0 ", "1e15", "1e10", "9.3e12", "inf", "NaN", "+1", "+-1", ".5", "5.", "0x1p-2", "1_0", "0.0000005", "3.999999999", "1e-7", "12345.678901", "2.5us", "1µs", "-0", "00012", "1e+2", "+inf", "-Infinity", "nan", "0.000001", "0.1", "0.2", "0.3"]
stamps = ["2024-05-01T12:34:56", "2024-05-01T12:34:56Z", "2024-05-01T12:34:56.123Z", "2024-05-01T12:34:56+00:00", "2024-05-01T12:34:56.5+00:00", "2024-05-01T12:34:56+01:00", "2024-05-01 12:34:56", "2024-05-01T1:34:56", "2024-5-01T12:34:56", "1970-01-01T00:00:00", "1969-12-31T23:59:59.5", "0001-01-01T00:00:00", "2024-02-29T00:00:00", "2023-02-29T00:00:00", "2024-05-01T24:00:00", "2024-05-01T12:60:00", "2024-05-01T12:34:60", "2024-05-01T12:34:56,25", "2024-05-01T12:34:56.", "2024-05-01T12:34:56.123456789123", "9999-12-31T23:59:59", "0000-01-01T00:00:00", "2024-05-01T12:34:56.999Z", "2024-05-01T12:34:56.999999", "", "abc", "2024-05-01T12:34:56Zjunk", "2024-05-01t12:34:56", "2024-05-01T12:34:56z", "2024-04-31T00:00:00", "+024-05-01T12:34:56", "2024-05-01T12:34:5", "2024-05-01T12:3:56", "2024-05-01T012:34:56"]
def esc(s): return s.replace("&","&amp;").replace('"',"&quot;").replace("<","&lt;")
def case(depth):
    parts = []
    for _ in range(random.randint(0,3)):
        parts.append(random.choice(["<failure/>","<error/>","<skipped/>","<flakyFailure/>","<system-out>x</system-out>","<wrap><failure/></wrap>"]))
    t = random.choice(times)
    ta = f' time="{esc(t)}"' if random.random() < 0.9 else ""
    return f'<testcase name="c"{ta}>' + "".join(parts) + "</testcase>"
def suite(depth):
    attrs = ""
    if random.random() < 0.7: attrs += f' timestamp="{esc(random.choice(stamps))}"'
    if random.random() < 0.8: attrs += f' name="s{random.randint(0,99)}"'
    kids = []
    for _ in range(random.randint(0,5)):
        r = random.random()
        if r < 0.6: kids.append(case(depth))
        elif r < 0.7 and depth < 3: kids.append(suite(depth+1))
        elif r < 0.8:
            props = "".join(f'<property name="{random.choice(["timestamp","other"])}" value="{esc(random.choice(stamps))}"/>' for _ in range(random.randint(0,2)))
            kids.append(f"<properties>{props}</properties>")
        elif r < 0.9: kids.append(f"<group>{case(depth)}</group>")
        else: kids.append("<system-err/>")
    return f"<testsuite{attrs}>" + "".join(kids) + "</testsuite>"
os.makedirs(out, exist_ok=True)
for f in range(random.randint(1,3)):
    body = "".join(suite(0) for _ in range(random.randint(1,4)))
    if random.random() < 0.5: body = "<testsuites>" + body + "</testsuites>"
    open(os.path.join(out, f"r{f}.xml"), "w").write('<?xml version="1.0" encoding="UTF-8"?>\n' + body)
