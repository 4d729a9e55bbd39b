# Writes a random Snyk-style SARIF file (seed, path) mixing the inputs where the CLI's
# snyk_results have quirks: level spellings, severities from rules, priority scores, locations,
# messages needing Go's escaping. Used by snyk_differential.sh.
import json, random, sys
random.seed(int(sys.argv[1]))
levels = ["error", "warning", "note", "info", "high", "medium", "low", "critical", "none", "Error", "HIGH", "", "moderate"]
scores = [0, 1, 503, 562.5, 1e-7, 0.000001, 1e21, 12345678901234567890, -3, None, 2.5e-10, 700.0, 999999999999]
texts = ["plain", "a <b> & c", "unicode é ✓ \u2028 sep", "", "line\nbreak\t\"quoted\"", "x" * 50]
uris = ["src/a.py", "Dockerfile", "", "dir/with space/<x>.js", None]
schemas = ["https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json",
           "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json",
           "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"]
def location():
    r = random.random()
    if r < 0.15:
        return {"logicalLocations": [{"name": "x"}]}
    phys = {}
    u = random.choice(uris)
    if u is not None:
        phys["artifactLocation"] = {"uri": u}
    region = {}
    if random.random() < 0.8: region["startLine"] = random.randint(0, 50)
    if random.random() < 0.5: region["endLine"] = random.randint(0, 50)
    if region or random.random() < 0.5: phys["region"] = region
    return {"physicalLocation": phys}
def run():
    rules = []
    for i in range(random.randint(0, 4)):
        rule = {"id": f"R{i}"}
        if random.random() < 0.8:
            rule["properties"] = {"problem": {"severity": random.choice(["high", "medium", "low", "critical", "none"])}}
        rules.append(rule)
    results = []
    for _ in range(random.randint(0, 6)):
        res = {"message": {"text": random.choice(texts)}}
        if rules and random.random() < 0.9: res["ruleId"] = random.choice(rules)["id"]
        elif random.random() < 0.5: res["ruleId"] = "other"
        if random.random() < 0.6 or not rules: res["level"] = random.choice(levels)
        if random.random() < 0.7: res["locations"] = [location() for _ in range(random.randint(0, 3))]
        if random.random() < 0.6: res["properties"] = {"priorityScore": random.choice(scores)}
        results.append(res)
    driver = {"name": random.choice(["SnykCode", "Snyk Open Source", "Snyk IaC"]), "rules": rules}
    if random.random() < 0.7: driver["version"] = random.choice(["1.0.0", "1.1291.0"])
    r = {"tool": {"driver": driver}}
    r["results"] = results if random.random() < 0.9 else None
    return r
doc = {"$schema": random.choice(schemas), "version": "2.1.0", "runs": [run() for _ in range(random.randint(0, 3))]}
open(sys.argv[2], "w").write(json.dumps(doc, ensure_ascii=random.random() < 0.5))
