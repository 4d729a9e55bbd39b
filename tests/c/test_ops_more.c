/* Policies, Rego, local gates, environment history, drift, the deployment guard, external
 * evidence, image fingerprints, docker/k8s snapshots and compliance documents from C against fake-kosli (KOSLI_TEST_HOST, set by run.sh; it also answers GitHub's
 * GraphQL API under any path ending in /graphql): each succeeds and sends what it should
 * (fake-kosli's request log; kosli-ffi's tests/payloads.rs checks the same calls byte for byte
 * against the Rust SDK), verdicts are answers with a flag, and every pointer argument gives
 * KOSLI_NULL_PARAMETER when NULL and KOSLI_INVALID_UTF8 when not UTF-8. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kosli.h"
#include "harness.h"
#include "fake.h"

static const char BAD_UTF8[] = {(char)0xff, (char)0xfe, 0};
static const char *host;
static char dir[64];
static char fp[KOSLI_FINGERPRINT_BUFFER_SIZE];
static char gh_options[512];
#define SHA "3e74850331dadafd9a390fa2be410e026122fd3c"
#define POLICY                                                                                  \
    "package policy\n\nimport rego.v1\n\ndefault allow := false\n\n"                             \
    "allow if input.score >= data.params.min\n\nviolations contains \"score too low\" if not allow\n"
#define TRAIL_POLICY                                                                            \
    "package policy\n\nimport rego.v1\n\ndefault allow := false\n\n"                             \
    "allow if input.trail.name == \"trail-1\"\n"
#define GATE                                                                                    \
    "policies:\n- name: prod\n  rules:\n  - type: test-evidence\n    max-failures: 0\n"          \
    "  - type: code-review\n    min-approvals: 1\n"

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static char *in_dir(const char *name) {
    static char paths[8][256];
    static int next = 0;
    char *p = paths[next++ % 8];
    snprintf(p, 256, "%s/%s", dir, name);
    return p;
}

static kosli_client *new_client(void) {
    kosli_config *config = kosli_config_new();
    CHECK_STATUS(kosli_config_set_host(config, host), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_org(config, "c-more"), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_api_token(config, "secret-token-123"), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_max_api_retries(config, 0), KOSLI_OK);
    kosli_client *client = NULL;
    CHECK_STATUS(kosli_client_new(config, &client), KOSLI_OK);
    return client;
}

/* Checks a write was sent, frees its outcome, and returns the request log since the last clear. */
static char *sent(kosli_outcome **outcome) {
    CHECK(*outcome != NULL);
    CHECK(kosli_outcome_kind(*outcome) == KOSLI_OUTCOME_SENT);
    kosli_outcome_free(*outcome);
    *outcome = NULL;
    char *log = fake_requests();
    CHECK(log != NULL);
    fake_clear_requests();
    return log;
}

#define HAS(log, text) CHECK(count_of((log), (text)) >= 1)

static void setup(kosli_client *c) {
    kosli_outcome *o = NULL;
    CHECK_STATUS(kosli_client_create_flow(c, "c-flow", NULL, &o), KOSLI_OK);
    kosli_outcome_free(o);
    CHECK_STATUS(kosli_client_begin_trail(c, "c-flow", "trail-1", NULL, &o), KOSLI_OK);
    kosli_outcome_free(o);
    CHECK_STATUS(kosli_client_create_environment(c, "c-env", "server", NULL, &o), KOSLI_OK);
    kosli_outcome_free(o);
    write_file(in_dir("app.bin"), "version 1");
    CHECK_STATUS(kosli_client_snapshot_path(c, "c-env", "app", in_dir("app.bin"), NULL, &o), KOSLI_OK);
    kosli_outcome_free(o);
    write_file(in_dir("app.bin"), "version 2");
    CHECK_STATUS(kosli_client_snapshot_path(c, "c-env", "app", in_dir("app.bin"), NULL, &o), KOSLI_OK);
    kosli_outcome_free(o);
    CHECK_STATUS(kosli_fingerprint_file(in_dir("app.bin"), NULL, fp, sizeof fp), KOSLI_OK);
    write_file(in_dir("policy.yml"),
               "_schema: https://kosli.com/schemas/policy/environment/v1\nartifacts:\n  provenance:\n    required: true\n");
    mkdir(in_dir("junit"), 0700);
    write_file(in_dir("junit/results.xml"),
               "<testsuite name=\"unit\" tests=\"2\" failures=\"1\"><testcase name=\"a\"/>"
               "<testcase name=\"b\"><failure/></testcase></testsuite>");
    snprintf(gh_options, sizeof gh_options,
             "{\"owner\": \"acme\", \"repository\": \"app\", \"token\": \"ghp-secret-456\", \"base_url\": \"%s/gh/\"}", host);
    fake_clear_requests();
}

static void test_policies(kosli_client *c) {
    kosli_outcome *o = NULL;
    CHECK_STATUS(kosli_client_create_policy(c, "prod-policy", in_dir("policy.yml"),
                 "{\"description\": \"prod\", \"comment\": \"v1\"}", &o), KOSLI_OK);
    char *log = sent(&o);
    HAS(log, "\"path\":\"/api/v2/policies/c-more\"");
    HAS(log, "\"filename\":\"policy.yml\"");
    HAS(log, "\\\"description\\\":\\\"prod\\\"");
    free(log);
    CHECK_STATUS(kosli_client_attach_policy(c, "prod-policy", "c-env", NULL, &o), KOSLI_OK);
    log = sent(&o);
    HAS(log, "\"path\":\"/api/v2/environments/c-more/c-env/policies\"");
    HAS(log, "\"policy_names\":[\"prod-policy\"]");
    free(log);
    char *json = NULL;
    CHECK_STATUS(kosli_client_get_policy(c, "prod-policy", NULL, &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "\"consuming_envs\":[\"c-env\"]") != NULL);
    kosli_string_free(json);
    CHECK_STATUS(kosli_client_list_policies(c, NULL, &json), KOSLI_OK);
    CHECK(json != NULL && json[0] == '[' && strstr(json, "prod-policy") != NULL);
    kosli_string_free(json);
    CHECK_STATUS(kosli_client_detach_policy(c, "prod-policy", "c-env", NULL, &o), KOSLI_OK);
    log = sent(&o);
    HAS(log, "\"method\":\"DELETE\"");
    free(log);
    json = NULL;
    CHECK_STATUS(kosli_client_get_policy(c, "no-such-policy", NULL, &json), KOSLI_NOT_FOUND);
    CHECK(json == NULL);
    CHECK_STATUS(kosli_client_create_policy(c, "p", in_dir("missing.yml"), NULL, &o), KOSLI_IO);
    CHECK_STATUS(kosli_client_get_attestation(c, "x-1", NULL, &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "\"data\":[]") != NULL);
    kosli_string_free(json);
    log = fake_requests();
    HAS(log, "\"query\":{\"attestation_id\":[\"x-1\"]}");
    free(log);
    fake_clear_requests();
}

static void test_rego_and_gate(kosli_client *c) {
    bool allowed = false;
    char *json = NULL;
    CHECK_STATUS(kosli_rego_evaluate(POLICY, "{\"score\": 5}", "{\"params\": {\"min\": 3}}", &allowed, &json), KOSLI_OK);
    CHECK(allowed);
    CHECK(json != NULL && strstr(json, "\"allow\": true") != NULL);
    kosli_string_free(json);
    CHECK_STATUS(kosli_rego_evaluate(POLICY, "{\"score\": 2}", "{\"params\": \"{\\\"min\\\": 3}\", \"show_input\": true}",
                 &allowed, &json), KOSLI_OK);
    CHECK(!allowed);
    CHECK(json != NULL && strstr(json, "\"score too low\"") != NULL && strstr(json, "\"input\"") != NULL);
    kosli_string_free(json);
    json = NULL;
    CHECK_STATUS(kosli_rego_evaluate("package other\n", "{}", NULL, &allowed, &json), KOSLI_INVALID_INPUT);
    CHECK_STATUS(kosli_rego_evaluate(POLICY, "[1]", NULL, &allowed, &json), KOSLI_PARSE);
    CHECK_STATUS(kosli_rego_evaluate(POLICY, "{}", "{\"parms\": {}}", &allowed, &json), KOSLI_INVALID_INPUT);
    CHECK(json == NULL);

    /* Trails read from Kosli as `evaluate trail(s)` reads them. */
    fake_clear_requests();
    CHECK_STATUS(kosli_client_evaluate_trail(c, "c-flow", "trail-1", TRAIL_POLICY, NULL, &allowed, &json), KOSLI_OK);
    CHECK(allowed);
    kosli_string_free(json);
    char *log = fake_requests();
    HAS(log, "\"path\":\"/api/v2/trails/c-more/c-flow/trail-1\"");
    free(log);
    const char *trails[] = {"trail-1", "trail-1"};
    CHECK_STATUS(kosli_client_evaluate_trails(c, "c-flow", trails, 2, TRAIL_POLICY, NULL, &allowed, &json), KOSLI_OK);
    CHECK(!allowed); /* the input is {"trails": [...]} */
    kosli_string_free(json);
    json = NULL;
    CHECK_STATUS(kosli_client_evaluate_trails(c, "c-flow", trails, 0, TRAIL_POLICY, NULL, &allowed, &json), KOSLI_INVALID_INPUT);
    CHECK_STATUS(kosli_client_evaluate_trail(c, "c-flow", "no-such-trail", TRAIL_POLICY, NULL, &allowed, &json), KOSLI_NOT_FOUND);
    CHECK(json == NULL);

    /* A local gate: a JSON evidence set, and evidence read from files. */
    CHECK_STATUS(kosli_gate_evaluate(GATE, "{\"tests\": [{\"total\": 3, \"failures\": 0, \"errors\": 0}],"
                                           " \"code_reviews\": [{\"approvals\": 2}]}", NULL, &allowed, &json), KOSLI_OK);
    CHECK(allowed);
    CHECK(json != NULL && strstr(json, "\"reasons\":[]") != NULL);
    kosli_string_free(json);
    char options[512];
    snprintf(options, sizeof options, "{\"junit_dirs\": [\"%s\"]}", in_dir("junit"));
    CHECK_STATUS(kosli_gate_evaluate(GATE, "{}", options, &allowed, &json), KOSLI_OK);
    CHECK(!allowed);
    CHECK(json != NULL && strstr(json, "prod: test-evidence: 1 failed tests, more than the 0 allowed (max-failures)") != NULL);
    CHECK(json != NULL && strstr(json, "prod: code-review:") != NULL);
    kosli_string_free(json);
    json = NULL;
    CHECK_STATUS(kosli_gate_evaluate("policies:\n- name: x\n  rules:\n  - type: nope\n", "{}", NULL, &allowed, &json), KOSLI_PARSE);
    char msg[512];
    kosli_last_error_message(msg, sizeof msg, NULL);
    CHECK(strstr(msg, "line 4") != NULL);
    CHECK_STATUS(kosli_gate_evaluate(GATE, "{\"tests\": 3}", NULL, &allowed, &json), KOSLI_INVALID_INPUT);
    CHECK(json == NULL);
}

static void test_history_and_drift(kosli_client *c) {
    char *json = NULL;
    fake_clear_requests();
    CHECK_STATUS(kosli_client_get_trail(c, "c-flow", "trail-1", NULL, &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "\"name\":\"trail-1\"") != NULL);
    kosli_string_free(json);
    CHECK_STATUS(kosli_client_list_trails(c, "{\"flow\": \"c-flow\", \"per_page\": 5}", &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "trail-1") != NULL);
    kosli_string_free(json);
    CHECK_STATUS(kosli_client_get_snapshot(c, "c-env~1", NULL, &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "\"index\":") != NULL); /* the one before the latest */
    kosli_string_free(json);
    CHECK_STATUS(kosli_client_list_snapshots(c, "c-env", "{\"reverse\": true}", &json), KOSLI_OK);
    CHECK(json != NULL && json[0] == '[');
    kosli_string_free(json);
    CHECK_STATUS(kosli_client_log_environment(c, "c-env", "{\"interval\": \"1..2\"}", &json), KOSLI_OK);
    CHECK(json != NULL && json[0] == '[');
    kosli_string_free(json);
    CHECK_STATUS(kosli_client_diff_snapshots(c, "c-env#1", "c-env#2", NULL, &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "\"snappish1\"") != NULL);
    kosli_string_free(json);
    char *log = fake_requests();
    HAS(log, "\"query\":{\"flow\":[\"c-flow\"],\"page\":[\"1\"],\"per_page\":[\"5\"]}");
    HAS(log, "\"path\":\"/api/v2/snapshots/c-more/c-env/~1\"");
    HAS(log, "\"reverse\":[\"true\"]");
    HAS(log, "\"path\":\"/api/v2/environments/c-more/c-env/events\"");
    HAS(log, "\"snappish1\":[\"c-env#1\"]");
    free(log);
    json = NULL;
    CHECK_STATUS(kosli_client_list_trails(c, "{\"page\": 0}", &json), KOSLI_INVALID_INPUT);
    CHECK_STATUS(kosli_client_get_snapshot(c, "", NULL, &json), KOSLI_INVALID_INPUT);
    CHECK(json == NULL);

    CHECK_STATUS(kosli_client_snapshot_drift(c, "c-env#1", "c-env#2", NULL, &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "\"kind\":\"changed\"") != NULL && strstr(json, "\"name\":\"app\"") != NULL);
    kosli_string_free(json);
    const char *before = "[{\"name\": \"api\", \"fingerprint\": \"aa\", \"instances\": 2}, {\"name\": \"db\", \"fingerprint\": \"cc\", \"instances\": 1}]";
    const char *after = "[{\"name\": \"api\", \"fingerprint\": \"bb\", \"instances\": 2}, {\"name\": \"db\", \"fingerprint\": \"cc\", \"instances\": 3}]";
    CHECK_STATUS(kosli_drift_diff(before, after, &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "\"kind\":\"changed\"") != NULL && strstr(json, "\"kind\":\"scaled\"") != NULL);
    CHECK(json != NULL && strstr(json, "db scaled from 1 to 3") != NULL);
    kosli_string_free(json);
    json = NULL;
    CHECK_STATUS(kosli_drift_diff("[{\"name\": 1}]", "[]", &json), KOSLI_INVALID_INPUT);
    CHECK(json == NULL);
    fake_clear_requests();
}

/* Deploy steps: count calls in *user_data and succeed, or fail with 7. */
static int good_step(void *user_data) {
    ++*(int *)user_data;
    write_file(in_dir("app.bin"), "version 3");
    return 0;
}
static int failing_step(void *user_data) {
    ++*(int *)user_data;
    return 7;
}

static void test_deploy(kosli_client *c) {
    char collector[512];
    snprintf(collector, sizeof collector, "{\"path\": \"%s\", \"name\": \"app\"}", in_dir("app.bin"));
    int calls = 0, code = -1;
    kosli_outcome *o = NULL;
    char *json = NULL;
    /* A failing step: its code back, a distinct status, nothing reported. */
    fake_clear_requests();
    CHECK_STATUS(kosli_client_deploy(c, "c-env", "app", fp, "file", collector, NULL, failing_step, &calls, &code, &o, &json),
                 KOSLI_DEPLOY_STEP_FAILED);
    CHECK(calls == 1 && code == 7 && o == NULL && json == NULL);
    char msg[256];
    kosli_last_error_message(msg, sizeof msg, NULL);
    CHECK(strstr(msg, "code 7") != NULL);
    char *log = fake_requests();
    CHECK(log != NULL && strcmp(log, "[]") == 0);
    free(log);

    /* A succeeding step whose result is not what was attested: reported, then refused. */
    CHECK_STATUS(kosli_client_deploy(c, "c-env", "app", fp, "file", collector, NULL, good_step, &calls, &code, &o, &json),
                 KOSLI_POLICY_DENIED);
    CHECK(calls == 2 && code == 0 && o == NULL && json == NULL);
    log = fake_requests();
    CHECK(count_of(log, "\"path\":\"/api/v2/environments/c-more/c-env/report/server\"") == 1);
    free(log);
    fake_clear_requests();

    /* The artifact attested is what runs: one snapshot, verified. */
    char fp3[KOSLI_FINGERPRINT_BUFFER_SIZE];
    CHECK_STATUS(kosli_fingerprint_file(in_dir("app.bin"), NULL, fp3, sizeof fp3), KOSLI_OK);
    CHECK_STATUS(kosli_client_deploy(c, "c-env", "app", fp3, "file", collector, "{\"on_mismatch\": \"fail\"}", good_step,
                 &calls, &code, &o, &json), KOSLI_OK);
    CHECK(calls == 3 && code == 0);
    CHECK(json != NULL && strstr(json, "\"verification\":\"running\"") != NULL && strstr(json, fp3) != NULL);
    kosli_string_free(json);
    log = sent(&o);
    CHECK(count_of(log, "\"path\":\"/api/v2/environments/c-more/c-env/report/server\"") == 1);
    free(log);

    /* Refused before the step: a mutable image reference, a bad collector, a bad option. */
    json = NULL;
    CHECK_STATUS(kosli_client_deploy(c, "c-env", "acme/app:latest", fp3, "docker", collector, NULL, good_step, &calls,
                 &code, &o, &json), KOSLI_INVALID_INPUT);
    CHECK_STATUS(kosli_client_deploy(c, "c-env", "app", fp3, "file", "{\"path\": \"x\"}", NULL, good_step, &calls, &code,
                 &o, &json), KOSLI_INVALID_INPUT);
    kosli_last_error_message(msg, sizeof msg, NULL);
    CHECK(strstr(msg, "collector_json") != NULL);
    CHECK_STATUS(kosli_client_deploy(c, "c-env", "app", fp3, "file", collector, "{\"on_mismatch\": \"maybe\"}", good_step,
                 &calls, &code, &o, &json), KOSLI_INVALID_INPUT);
    CHECK(calls == 3 && o == NULL && json == NULL);
    fake_clear_requests();
}

static void test_review(kosli_client *c) {
    char *json = NULL;
    kosli_outcome *o = NULL;
    /* fake-kosli answers GitHub's GraphQL API: one merged pull request approved by bob. */
    CHECK_STATUS(kosli_client_find_pull_requests(c, "github", SHA, gh_options, &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "\"url\":\"https://github.com/acme/app/pull/7\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"approvers\":[\"bob\"]") != NULL);
    kosli_string_free(json);
    CHECK_STATUS(kosli_client_assert_pull_requests(c, "github", SHA, gh_options, &json), KOSLI_OK);
    kosli_string_free(json);
    fake_clear_requests();
    CHECK_STATUS(kosli_client_attest_pull_requests_found(c, "c-flow", "trail-1", "pr", "github", SHA, gh_options, &o), KOSLI_OK);
    char *log = sent(&o);
    HAS(log, "/trail/trail-1/pull_request\"");
    HAS(log, "\\\"git_provider\\\":\\\"github\\\"");
    CHECK(count_of(log, "ghp-secret-456") == 1); /* only the provider's Authorization header */
    free(log);
    json = NULL;
    CHECK_STATUS(kosli_client_find_pull_requests(c, "github", SHA, "{\"repository\": \"app\"}", &json), KOSLI_CONFIG);
    char msg[256];
    kosli_last_error_message(msg, sizeof msg, NULL);
    CHECK(strstr(msg, "\"github-org\"") != NULL && strstr(msg, "ghp") == NULL);
    CHECK_STATUS(kosli_client_find_pull_requests(c, "svn", SHA, NULL, &json), KOSLI_INVALID_INPUT);
    CHECK(json == NULL);

    /* Sonar and Jira: a server that does not know the task or issue fails before Kosli hears anything. */
    char options[512];
    snprintf(options, sizeof options, "{\"ce_task_url\": \"%s/sonar/api/ce/task?id=1\"}", host);
    fake_clear_requests();
    CHECK_STATUS(kosli_client_attest_sonar(c, "c-flow", "trail-1", "sonar", "sonar-secret", options, &o), KOSLI_NOT_FOUND);
    snprintf(options, sizeof options, "{\"pat\": \"jira-secret\", \"issue_keys\": [\"ABC-1\"], \"issue_fields\": [\"summary\"]}");
    char base[256];
    snprintf(base, sizeof base, "%s/jira", host);
    CHECK_STATUS(kosli_client_attest_jira(c, "c-flow", "trail-1", "jira", base, options, &o), KOSLI_OK);
    log = sent(&o);
    HAS(log, "\"path\":\"/jira/rest/api/2/issue/ABC-1\"");
    HAS(log, "/trail/trail-1/jira\"");
    HAS(log, "\\\"issue_exists\\\":false");
    CHECK(count_of(log, "jira-secret") == 1);
    CHECK(count_of(log, "\"path\":\"/sonar/api/ce/task\"") == 1);
    free(log);
}

/* Image fingerprints and docker/k8s snapshots: their success paths need a registry, an Engine
 * and a cluster (kosli-ffi's tests/payloads.rs runs them against the tests crate's fakes);
 * here, what fails fails clearly and sends nothing, and every pointer is checked. */
static void test_runtime(kosli_client *c) {
    char fpbuf[KOSLI_FINGERPRINT_BUFFER_SIZE];
    char docker[300];
    snprintf(docker, sizeof docker, "{\"docker_host\": \"unix://%s/no.sock\"}", dir);
    CHECK_STATUS(kosli_fingerprint_image("nginx:1.25", "docker", docker, fpbuf, sizeof fpbuf), KOSLI_NETWORK);
    CHECK_STATUS(kosli_fingerprint_image("nginx:1.25", "file", NULL, fpbuf, sizeof fpbuf), KOSLI_INVALID_INPUT);
    CHECK_STATUS(kosli_fingerprint_image("nginx:1.25", "zip", NULL, fpbuf, sizeof fpbuf), KOSLI_INVALID_INPUT);
    CHECK_STATUS(kosli_fingerprint_image("nginx:1.25", "oci", "{\"timeout_seconds\": \"1\"}", fpbuf, sizeof fpbuf),
                 KOSLI_INVALID_INPUT);
    const char *image_args[3] = {"nginx:1.25", "docker", docker};
    for (int i = 0; i < 3; i++) {
        const char *a[3];
        memcpy(a, image_args, sizeof a);
        a[i] = NULL;
        if (i < 2) CHECK_STATUS(kosli_fingerprint_image(a[0], a[1], a[2], fpbuf, sizeof fpbuf), KOSLI_NULL_PARAMETER);
        a[i] = BAD_UTF8;
        CHECK_STATUS(kosli_fingerprint_image(a[0], a[1], a[2], fpbuf, sizeof fpbuf), KOSLI_INVALID_UTF8);
    }
    CHECK_STATUS(kosli_fingerprint_image("nginx:1.25", "docker", docker, NULL, 65), KOSLI_NULL_PARAMETER);

    kosli_outcome *o = NULL;
    fake_clear_requests();
    CHECK_STATUS(kosli_client_snapshot_docker(c, "c-docker", docker, &o), KOSLI_NETWORK);
    char kube[300];
    snprintf(kube, sizeof kube, "{\"kubeconfig\": \"%s/no-kubeconfig\"}", dir);
    CHECK_STATUS(kosli_client_snapshot_k8s(c, "c-k8s", kube, &o), KOSLI_IO);
    CHECK_STATUS(kosli_client_snapshot_k8s(c, "c-k8s", "{\"namespaces\": [\"a\"], \"exclude_namespaces\": [\"b\"]}", &o),
                 KOSLI_INVALID_INPUT);
    char msg[256];
    kosli_last_error_message(msg, sizeof msg, NULL);
    CHECK(strstr(msg, "only one of --namespaces, --exclude-namespaces is allowed") != NULL);
    char *log = fake_requests();
    CHECK(log != NULL && strcmp(log, "[]") == 0);
    free(log);
    CHECK(o == NULL);
    CHECK_STATUS(kosli_client_snapshot_docker(NULL, "e", docker, &o), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_snapshot_docker(c, NULL, docker, &o), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_snapshot_docker(c, BAD_UTF8, docker, &o), KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_client_snapshot_docker(c, "e", BAD_UTF8, &o), KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_client_snapshot_docker(c, "e", docker, NULL), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_snapshot_k8s(NULL, "e", kube, &o), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_snapshot_k8s(c, NULL, kube, &o), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_snapshot_k8s(c, BAD_UTF8, kube, &o), KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_client_snapshot_k8s(c, "e", BAD_UTF8, &o), KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_client_snapshot_k8s(c, "e", kube, NULL), KOSLI_NULL_PARAMETER);
    CHECK(o == NULL);
}

/* Compliance documents from what this test reported (kosli-ffi's tests/payloads.rs checks
 * them against the Rust SDK on the seeded week of tests/src/fake/seed_report.rs). */
static void test_reports(kosli_client *c) {
    char *json = NULL;
    CHECK_STATUS(kosli_client_compliance_report(c, "c-flow", "{\"environments\": [\"c-env\"]}", &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "\"flow\": \"c-flow\"") != NULL);
    kosli_string_free(json);
    CHECK_STATUS(kosli_client_compliance_report(c, "c-flow", "{\"format\": \"markdown\"}", &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "c-flow") != NULL && strstr(json, "|") != NULL);
    kosli_string_free(json);
    CHECK_STATUS(kosli_client_compliance_report(c, "c-flow", "{\"format\": \"csv\"}", &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "fingerprint") != NULL);
    kosli_string_free(json);
    CHECK_STATUS(kosli_client_adoption_metrics(c, "{\"since\": 1717200000, \"until\": 1717804800, \"environments\": [\"c-env\"]}",
                 &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "1717200000") != NULL);
    kosli_string_free(json);
    json = NULL;
    CHECK_STATUS(kosli_client_compliance_report(c, "no-such-flow", NULL, &json), KOSLI_NOT_FOUND);
    CHECK_STATUS(kosli_client_compliance_report(c, "c-flow", "{\"format\": \"pdf\"}", &json), KOSLI_INVALID_INPUT);
    CHECK_STATUS(kosli_client_audit_trail(c, "c-flow", "0000000000000000000000000000000000000000000000000000000000000000",
                 NULL, &json), KOSLI_NOT_FOUND);
    CHECK(json == NULL);
}

/* ---- NULL and bad UTF-8 for every pointer argument (as tests/c/test_ops.c) ---- */
#define MAX_ARGS 7
typedef kosli_status (*op_fn)(kosli_client *c, const char **s, kosli_outcome **o, char **json);
static bool flag_slot;
static bool *flag_ptr = &flag_slot;
static int code_slot;
static int *code_ptr = &code_slot;
static int step_calls;

static kosli_status op_create_policy(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_create_policy(c, s[0], s[1], s[2], o); }
static kosli_status op_attach_policy(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_attach_policy(c, s[0], s[1], s[2], o); }
static kosli_status op_detach_policy(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_detach_policy(c, s[0], s[1], s[2], o); }
static kosli_status op_get_policy(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_get_policy(c, s[0], s[1], j); }
static kosli_status op_list_policies(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_list_policies(c, s[0], j); }
static kosli_status op_get_attestation(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_get_attestation(c, s[0], s[1], j); }
static kosli_status op_rego(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)c; (void)o; return kosli_rego_evaluate(s[0], s[1], s[2], flag_ptr, j); }
static kosli_status op_evaluate_trail(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_evaluate_trail(c, s[0], s[1], s[2], s[3], flag_ptr, j); }
static kosli_status op_evaluate_trails(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_evaluate_trails(c, s[0], &s[1], 1, s[2], s[3], flag_ptr, j); }
static kosli_status op_gate(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)c; (void)o; return kosli_gate_evaluate(s[0], s[1], s[2], flag_ptr, j); }
static kosli_status op_get_trail(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_get_trail(c, s[0], s[1], s[2], j); }
static kosli_status op_list_trails(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_list_trails(c, s[0], j); }
static kosli_status op_get_snapshot(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_get_snapshot(c, s[0], s[1], j); }
static kosli_status op_list_snapshots(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_list_snapshots(c, s[0], s[1], j); }
static kosli_status op_log_environment(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_log_environment(c, s[0], s[1], j); }
static kosli_status op_diff_snapshots(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_diff_snapshots(c, s[0], s[1], s[2], j); }
static kosli_status op_snapshot_drift(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_snapshot_drift(c, s[0], s[1], s[2], j); }
static kosli_status op_drift_diff(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)c; (void)o; return kosli_drift_diff(s[0], s[1], j); }
static int counting_step(void *user_data) { ++*(int *)user_data; return 0; }
/* deploy writes two outputs; the table's json slot stands for both (the outcome is freed here). */
static kosli_status op_deploy(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    kosli_outcome *mine = NULL;
    kosli_status st = kosli_client_deploy(c, s[0], s[1], s[2], s[3], s[4], s[5], counting_step, &step_calls, code_ptr,
                                          o ? &mine : NULL, j);
    kosli_outcome_free(mine);
    return st;
}
/* The review calls need their options (the provider's settings): given here, and checked
 * for NULL and bad UTF-8 after the table. */
static const char *jira_opts = "{\"issue_keys\": [\"ABC-1\"]}";
static kosli_status op_compliance_report(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_compliance_report(c, s[0], s[1], j); }
static kosli_status op_adoption(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_adoption_metrics(c, s[0], j); }
static kosli_status op_find_prs(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_find_pull_requests(c, s[0], s[1], gh_options, j); }
static kosli_status op_assert_prs(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_assert_pull_requests(c, s[0], s[1], gh_options, j); }
static kosli_status op_attest_prs(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_attest_pull_requests_found(c, s[0], s[1], s[2], s[3], s[4], gh_options, o); }
static kosli_status op_attest_jira(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_attest_jira(c, s[0], s[1], s[2], s[3], jira_opts, o); }

struct op_case {
    const char *name;
    op_fn fn;
    bool writes;       /* outcome_out, else json_out */
    bool needs_client; /* a client argument */
    int nargs;
    int optional;      /* index of options_json (may be NULL), or -1 */
    const char *args[MAX_ARGS];
};

static void test_null_and_utf8(kosli_client *c) {
    char collector[512], jira_base[256];
    snprintf(collector, sizeof collector, "{\"path\": \"%s\", \"name\": \"app\"}", in_dir("app.bin"));
    snprintf(jira_base, sizeof jira_base, "%s/jira", host);
    char fp3[KOSLI_FINGERPRINT_BUFFER_SIZE];
    CHECK_STATUS(kosli_fingerprint_file(in_dir("app.bin"), NULL, fp3, sizeof fp3), KOSLI_OK);
    const struct op_case cases[] = {
        {"create_policy", op_create_policy, true, true, 3, 2, {"p2", in_dir("policy.yml"), "{}"}},
        {"attach_policy", op_attach_policy, true, true, 3, 2, {"p2", "c-env", "{}"}},
        {"detach_policy", op_detach_policy, true, true, 3, 2, {"p2", "c-env", "{}"}},
        {"get_policy", op_get_policy, false, true, 2, 1, {"p2", "{}"}},
        {"list_policies", op_list_policies, false, true, 1, 0, {"{}"}},
        {"get_attestation", op_get_attestation, false, true, 2, 1, {"x", "{}"}},
        {"rego_evaluate", op_rego, false, false, 3, 2, {POLICY, "{\"score\": 1}", "{\"params\": {\"min\": 0}}"}},
        {"evaluate_trail", op_evaluate_trail, false, true, 4, 3, {"c-flow", "trail-1", TRAIL_POLICY, "{}"}},
        {"evaluate_trails", op_evaluate_trails, false, true, 4, 3, {"c-flow", "trail-1", TRAIL_POLICY, "{}"}},
        {"gate_evaluate", op_gate, false, false, 3, 2, {GATE, "{}", "{}"}},
        {"get_trail", op_get_trail, false, true, 3, 2, {"c-flow", "trail-1", "{}"}},
        {"list_trails", op_list_trails, false, true, 1, 0, {"{}"}},
        {"get_snapshot", op_get_snapshot, false, true, 2, 1, {"c-env", "{}"}},
        {"list_snapshots", op_list_snapshots, false, true, 2, 1, {"c-env", "{}"}},
        {"log_environment", op_log_environment, false, true, 2, 1, {"c-env", "{}"}},
        {"diff_snapshots", op_diff_snapshots, false, true, 3, 2, {"c-env#1", "c-env#2", "{}"}},
        {"snapshot_drift", op_snapshot_drift, false, true, 3, 2, {"c-env#1", "c-env#2", "{}"}},
        {"drift_diff", op_drift_diff, false, false, 2, -1, {"[]", "[]"}},
        {"deploy", op_deploy, false, true, 6, 5, {"c-env", "app", fp3, "file", collector, "{}"}},
        {"compliance_report", op_compliance_report, false, true, 2, 1, {"c-flow", "{}"}},
        {"adoption_metrics", op_adoption, false, true, 1, 0, {"{}"}},
        {"find_pull_requests", op_find_prs, false, true, 2, -1, {"github", SHA}},
        {"assert_pull_requests", op_assert_prs, false, true, 2, -1, {"github", SHA}},
        {"attest_pull_requests_found", op_attest_prs, true, true, 5, -1, {"c-flow", "trail-1", "pr", "github", SHA}},
        {"attest_jira", op_attest_jira, true, true, 4, -1, {"c-flow", "trail-1", "jira", jira_base}},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const struct op_case *t = &cases[k];
        int before = harness_failed;
        const char *s[MAX_ARGS];
        kosli_outcome *o = NULL;
        char *j = NULL;
        memcpy(s, t->args, sizeof s);
        CHECK_STATUS(t->fn(c, s, &o, &j), KOSLI_OK);
        kosli_outcome_free(o);
        kosli_string_free(j);
        o = NULL;
        j = NULL;
        for (int i = 0; i < t->nargs; i++) {
            memcpy(s, t->args, sizeof s);
            s[i] = NULL;
            CHECK_STATUS(t->fn(c, s, &o, &j), i == t->optional ? KOSLI_OK : KOSLI_NULL_PARAMETER);
            kosli_outcome_free(o);
            kosli_string_free(j);
            o = NULL;
            j = NULL;
            s[i] = BAD_UTF8;
            CHECK_STATUS(t->fn(c, s, &o, &j), KOSLI_INVALID_UTF8);
            CHECK(o == NULL && j == NULL);
        }
        memcpy(s, t->args, sizeof s);
        if (t->needs_client) CHECK_STATUS(t->fn(NULL, s, &o, &j), KOSLI_NULL_PARAMETER);
        CHECK_STATUS(t->fn(c, s, t->writes ? NULL : &o, t->writes ? &j : NULL), KOSLI_NULL_PARAMETER);
        CHECK(o == NULL && j == NULL);
        if (harness_failed != before) fprintf(stderr, "  ^ in %s\n", t->name);
    }
    /* The other pointers: flags, arrays with a length, the deploy step and its code. */
    char *j = NULL;
    kosli_outcome *o = NULL;
    CHECK_STATUS(kosli_rego_evaluate(POLICY, "{}", NULL, NULL, &j), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_gate_evaluate(GATE, "{}", NULL, NULL, &j), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_evaluate_trail(c, "c-flow", "trail-1", TRAIL_POLICY, NULL, NULL, &j), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_evaluate_trails(c, "c-flow", NULL, 1, TRAIL_POLICY, NULL, flag_ptr, &j), KOSLI_NULL_PARAMETER);
    const char *bad_trails[] = {BAD_UTF8};
    CHECK_STATUS(kosli_client_evaluate_trails(c, "c-flow", bad_trails, 1, TRAIL_POLICY, NULL, flag_ptr, &j), KOSLI_INVALID_UTF8);
    int calls_before = step_calls;
    CHECK_STATUS(kosli_client_deploy(c, "c-env", "app", fp3, "file", collector, NULL, NULL, &step_calls, code_ptr, &o, &j),
                 KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_deploy(c, "c-env", "app", fp3, "file", collector, NULL, counting_step, &step_calls, NULL, &o, &j),
                 KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_deploy(c, "c-env", "app", fp3, "file", collector, NULL, counting_step, &step_calls, code_ptr, NULL, &j),
                 KOSLI_NULL_PARAMETER);
    CHECK(step_calls == calls_before); /* no step runs when an argument is refused */
    /* The review calls' options: NULL is no settings (the CLI's flags named), bad UTF-8 refused. */
    CHECK_STATUS(kosli_client_find_pull_requests(c, "github", SHA, NULL, &j), KOSLI_CONFIG);
    CHECK_STATUS(kosli_client_assert_pull_requests(c, "github", SHA, BAD_UTF8, &j), KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_client_attest_pull_requests_found(c, "c-flow", "trail-1", "pr", "github", SHA, BAD_UTF8, &o),
                 KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_client_attest_jira(c, "c-flow", "trail-1", "jira", jira_base, BAD_UTF8, &o), KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_client_attest_sonar(c, "c-flow", "trail-1", "sonar", "tok", BAD_UTF8, &o), KOSLI_INVALID_UTF8);
    const char *sonar_args[4] = {"c-flow", "trail-1", "sonar", "tok"};
    for (int i = 0; i < 4; i++) {
        const char *a[4];
        memcpy(a, sonar_args, sizeof a);
        a[i] = NULL;
        CHECK_STATUS(kosli_client_attest_sonar(c, a[0], a[1], a[2], a[3], "{}", &o), KOSLI_NULL_PARAMETER);
        a[i] = BAD_UTF8;
        CHECK_STATUS(kosli_client_attest_sonar(c, a[0], a[1], a[2], a[3], "{}", &o), KOSLI_INVALID_UTF8);
    }
    CHECK_STATUS(kosli_client_attest_sonar(NULL, "f", "t", "n", "tok", "{}", &o), KOSLI_NULL_PARAMETER);
    /* audit_trail: every argument refused before anything is read (its artifact is not in Kosli). */
    const char *audit_args[3] = {"c-flow", fp3, "{}"};
    for (int i = 0; i < 3; i++) {
        const char *a[3];
        memcpy(a, audit_args, sizeof a);
        a[i] = NULL;
        CHECK_STATUS(kosli_client_audit_trail(c, a[0], a[1], a[2], &j), i == 2 ? KOSLI_NOT_FOUND : KOSLI_NULL_PARAMETER);
        a[i] = BAD_UTF8;
        CHECK_STATUS(kosli_client_audit_trail(c, a[0], a[1], a[2], &j), KOSLI_INVALID_UTF8);
    }
    CHECK_STATUS(kosli_client_audit_trail(NULL, "c-flow", fp3, NULL, &j), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_audit_trail(c, "c-flow", fp3, NULL, NULL), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_attest_sonar(c, "f", "t", "n", "tok", "{}", NULL), KOSLI_NULL_PARAMETER);
    CHECK(j == NULL && o == NULL);
}

int main(void) {
    host = getenv("KOSLI_TEST_HOST");
    if (host == NULL) {
        fprintf(stderr, "KOSLI_TEST_HOST is not set (run tests/c/run.sh)\n");
        return 2;
    }
    snprintf(dir, sizeof dir, "/tmp/kosli-c-more-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    kosli_client *c = new_client();
    setup(c);
    test_policies(c);
    test_rego_and_gate(c);
    test_history_and_drift(c);
    test_deploy(c);
    test_review(c);
    test_runtime(c);
    test_reports(c);
    test_null_and_utf8(c);
    kosli_client_free(c);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    return harness_finish("c api policies, history, deploy, review, runtime, reports");
}
