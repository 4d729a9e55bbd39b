/* The reporting operations from C against fake-kosli (KOSLI_TEST_HOST, set by run.sh): each
 * succeeds and sends what it should (checked in fake-kosli's request log; kosli-ffi's
 * tests/payloads.rs checks the same calls byte for byte against the Rust SDK), reads return
 * the server's JSON, options are checked key by key, and every pointer argument of every
 * operation gives KOSLI_NULL_PARAMETER when NULL and KOSLI_INVALID_UTF8 when not UTF-8. */
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
#define SHA "3e74850331dadafd9a390fa2be410e026122fd3c"

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

static kosli_client *new_client(bool dry_run) {
    kosli_config *config = kosli_config_new();
    CHECK_STATUS(kosli_config_set_host(config, host), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_org(config, "c-ops"), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_api_token(config, "secret-token-123"), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_max_api_retries(config, 0), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_dry_run(config, dry_run), KOSLI_OK);
    kosli_client *client = NULL;
    CHECK_STATUS(kosli_client_new(config, &client), KOSLI_OK);
    return client;
}

/* Checks a write's outcome kind, frees it, and returns the request log since the last clear. */
static char *sent(kosli_outcome **outcome, uint32_t kind) {
    CHECK(*outcome != NULL);
    CHECK(kosli_outcome_kind(*outcome) == kind);
    if (kind == KOSLI_OUTCOME_SENT) CHECK(kosli_outcome_response_body(*outcome) != NULL);
    kosli_outcome_free(*outcome);
    *outcome = NULL;
    char *log = fake_requests();
    CHECK(log != NULL);
    fake_clear_requests();
    return log;
}

#define HAS(log, text) CHECK(count_of((log), (text)) >= 1)

static void test_flows(kosli_client *c) {
    kosli_outcome *o = NULL;
    fake_clear_requests();
    CHECK_STATUS(kosli_client_create_flow(c, "c-flow", "{\"description\": \"from C\", \"visibility\": \"private\"}", &o), KOSLI_OK);
    char *log = sent(&o, KOSLI_OUTCOME_SENT);
    HAS(log, "\"path\":\"/api/v2/flows/c-ops/template_file\"");
    HAS(log, "\"json\":{\"description\":\"from C\",\"name\":\"c-flow\",\"visibility\":\"private\"}");
    HAS(log, "\"filename\":\"template.yml\"");
    CHECK(count_of(log, "secret-token-123") == 1); /* only the Authorization header */
    free(log);

    const char *controls[] = {"unit-test"};
    CHECK_STATUS(kosli_client_create_flow_legacy(c, "c-legacy", controls, 1, NULL, &o), KOSLI_OK);
    log = sent(&o, KOSLI_OUTCOME_SENT);
    HAS(log, "\"path\":\"/api/v2/flows/c-ops\"");
    HAS(log, "\"template\":[\"unit-test\",\"artifact\"]");
    free(log);

    char *json = NULL;
    CHECK_STATUS(kosli_client_get_flow(c, "c-flow", NULL, &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "\"name\":\"c-flow\"") != NULL);
    kosli_string_free(json);
    json = NULL;
    CHECK_STATUS(kosli_client_get_flow(c, "no-such-flow", NULL, &json), KOSLI_NOT_FOUND);
    CHECK(json == NULL);
    fake_clear_requests();
    CHECK_STATUS(kosli_client_list_flows(c, "{\"page\": 1, \"per_page\": 5}", &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "c-flow") != NULL);
    kosli_string_free(json);
    log = fake_requests();
    HAS(log, "\"query\":{\"page\":[\"1\"],\"per_page\":[\"5\"]}");
    free(log);
    CHECK_STATUS(kosli_client_list_flows(c, NULL, &json), KOSLI_OK);
    CHECK(json != NULL && json[0] == '[');
    kosli_string_free(json);
}

static void test_trail_and_attestations(kosli_client *c) {
    kosli_outcome *o = NULL;
    fake_clear_requests();
    CHECK_STATUS(kosli_client_begin_trail(c, "c-flow", "trail-1",
                 "{\"description\": \"release 1\", \"user_data\": {\"build\": 42}, \"origin_url\": \"https://ci.example.com/1\"}", &o),
                 KOSLI_OK);
    char *log = sent(&o, KOSLI_OUTCOME_SENT);
    HAS(log, "\"path\":\"/api/v2/trails/c-ops/c-flow\"");
    HAS(log, "\"json\":{\"description\":\"release 1\",\"name\":\"trail-1\",\"origin_url\":\"https://ci.example.com/1\",\"user_data\":{\"build\":42}}");
    free(log);

    write_file(in_dir("app.bin"), "the artifact");
    CHECK_STATUS(kosli_fingerprint_file(in_dir("app.bin"), NULL, fp, sizeof fp), KOSLI_OK);
    char options[1024];
    snprintf(options, sizeof options,
             "{\"build_url\": \"https://ci.example.com/1\", \"commit_url\": \"https://git.example.com/c/" SHA "\","
             " \"annotations\": {\"team\": \"payments\"}, \"git_commit_info\": {\"sha1\": \"" SHA "\", \"message\": \"m\","
             " \"author\": \"A <a@example.com>\", \"timestamp\": 1717327800, \"branch\": \"main\"}}");
    CHECK_STATUS(kosli_client_attest_artifact(c, "c-flow", "trail-1", "app", fp, "app.bin", options, &o), KOSLI_OK);
    log = sent(&o, KOSLI_OUTCOME_SENT);
    HAS(log, "\"path\":\"/api/v2/artifacts/c-ops/c-flow\"");
    HAS(log, fp);
    HAS(log, "\"annotations\":{\"team\":\"payments\"}");
    HAS(log, "\"git_commit\":\"" SHA "\"");
    free(log);

    write_file(in_dir("report.txt"), "evidence");
    snprintf(options, sizeof options, "{\"fingerprint\": \"%s\", \"description\": \"looked at it\", \"attachments\": [\"%s\"]}",
             fp, in_dir("report.txt"));
    CHECK_STATUS(kosli_client_attest_generic(c, "c-flow", "trail-1", "app.review", false, options, &o), KOSLI_OK);
    log = sent(&o, KOSLI_OUTCOME_SENT);
    HAS(log, "\"path\":\"/api/v2/attestations/c-ops/c-flow/trail/trail-1/generic\"");
    HAS(log, "\"is_compliant\":false");
    HAS(log, "\"artifact_fingerprint\":\"");
    HAS(log, "\"name\":\"attachment_file\"");
    HAS(log, "\"filename\":\"report.txt\"");
    free(log);

    char results[256];
    snprintf(results, sizeof results, "%s/junit", dir);
    mkdir(results, 0700);
    write_file(in_dir("junit/results.xml"),
               "<testsuite name=\"unit\" tests=\"2\" failures=\"1\"><testcase name=\"a\" time=\"0.5\"/>"
               "<testcase name=\"b\"><failure/></testcase></testsuite>");
    CHECK_STATUS(kosli_client_attest_junit(c, "c-flow", "trail-1", "unit-tests", results, NULL, &o), KOSLI_OK);
    log = sent(&o, KOSLI_OUTCOME_SENT);
    HAS(log, "/trail/trail-1/junit\"");
    HAS(log, "\"junit_results\":[{");
    HAS(log, "\"failures\":1");
    HAS(log, "\"filename\":\"results.xml\"");
    free(log);
    CHECK_STATUS(kosli_client_attest_junit(c, "c-flow", "trail-1", "unit-tests", results, "{\"upload_results\": false}", &o), KOSLI_OK);
    log = sent(&o, KOSLI_OUTCOME_SENT);
    CHECK(count_of(log, "attachment_file") == 0);
    free(log);
    CHECK_STATUS(kosli_client_attest_junit(c, "c-flow", "trail-1", "unit-tests", in_dir("missing"), NULL, &o), KOSLI_IO);

    write_file(in_dir("snyk.json"),
               "{\"$schema\": \"https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json\","
               " \"version\": \"2.1.0\", \"runs\": []}");
    CHECK_STATUS(kosli_client_attest_snyk(c, "c-flow", "trail-1", "snyk-scan", in_dir("snyk.json"), NULL, &o), KOSLI_OK);
    log = sent(&o, KOSLI_OUTCOME_SENT);
    HAS(log, "/trail/trail-1/snyk\"");
    HAS(log, "\"snyk_results\":");
    HAS(log, "\"filename\":\"snyk.json\"");
    free(log);

    CHECK_STATUS(kosli_client_attest_custom(c, "c-flow", "trail-1", "coverage", "coverage-type", "{\"percent\": 91}",
                 "{\"annotations\": {\"tool\": \"gcov\"}}", &o), KOSLI_OK);
    log = sent(&o, KOSLI_OUTCOME_SENT);
    HAS(log, "/trail/trail-1/custom\"");
    HAS(log, "\"attestation_data\":{\"percent\":91}");
    HAS(log, "\"type_name\":\"coverage-type\"");
    free(log);
    CHECK_STATUS(kosli_client_attest_custom(c, "c-flow", "trail-1", "coverage", "coverage-type", "{not json", NULL, &o),
                 KOSLI_INVALID_INPUT);

    const char *prs = "[{\"merge_commit\": \"" SHA "\", \"url\": \"https://github.com/acme/app/pull/7\", \"state\": \"MERGED\","
                      " \"approvers\": [], \"author\": \"alice\", \"created_at\": 1717236000, \"title\": \"Add\","
                      " \"head_ref\": \"x\", \"base_ref\": \"main\", \"commits\": []}]";
    CHECK_STATUS(kosli_client_attest_pull_request(c, "c-flow", "trail-1", "pr", "github", prs, NULL, &o), KOSLI_OK);
    log = sent(&o, KOSLI_OUTCOME_SENT);
    HAS(log, "/trail/trail-1/pull_request\"");
    HAS(log, "\"git_provider\":\"github\"");
    HAS(log, "\"url\":\"https://github.com/acme/app/pull/7\"");
    free(log);
    CHECK_STATUS(kosli_client_attest_pull_request(c, "c-flow", "trail-1", "pr", "github", "[{\"url\": 1}]", NULL, &o),
                 KOSLI_INVALID_INPUT);
    /* A bad annotation key is refused before anything is sent, in the CLI's words. */
    fake_clear_requests();
    CHECK_STATUS(kosli_client_attest_generic(c, "c-flow", "trail-1", "x", true, "{\"annotations\": {\"bad key\": \"v\"}}", &o),
                 KOSLI_INVALID_INPUT);
    log = fake_requests();
    CHECK(log != NULL && strcmp(log, "[]") == 0);
    free(log);
}

static void test_environments_and_snapshots(kosli_client *c) {
    kosli_outcome *o = NULL;
    fake_clear_requests();
    CHECK_STATUS(kosli_client_create_environment(c, "c-env", "server", "{\"description\": \"prod servers\"}", &o), KOSLI_OK);
    char *log = sent(&o, KOSLI_OUTCOME_SENT);
    HAS(log, "\"path\":\"/api/v2/environments/c-ops\"");
    HAS(log, "\"json\":{\"description\":\"prod servers\",\"name\":\"c-env\",\"type\":\"server\"}");
    free(log);
    char *json = NULL;
    CHECK_STATUS(kosli_client_get_environment(c, "c-env", NULL, &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "\"name\":\"c-env\"") != NULL);
    kosli_string_free(json);
    CHECK_STATUS(kosli_client_list_environments(c, "{\"env_type\": \"server\"}", &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "c-env") != NULL);
    kosli_string_free(json);
    log = fake_requests();
    HAS(log, "\"query\":{\"type\":[\"server\"]}");
    free(log);
    fake_clear_requests();

    CHECK_STATUS(kosli_client_snapshot_path(c, "c-env", "app", in_dir("app.bin"), NULL, &o), KOSLI_OK);
    log = sent(&o, KOSLI_OUTCOME_SENT);
    HAS(log, "\"path\":\"/api/v2/environments/c-ops/c-env/report/server\"");
    HAS(log, "\"digests\":{\"app\":\"");
    HAS(log, fp);
    free(log);
    char spec[512];
    snprintf(spec, sizeof spec, "version: 1\nartifacts:\n  app:\n    path: %s\n", in_dir("app.bin"));
    write_file(in_dir("paths.yml"), spec);
    CHECK_STATUS(kosli_client_snapshot_paths(c, "c-env", in_dir("paths.yml"), "{\"auto_environment\": true}", &o), KOSLI_OK);
    log = sent(&o, KOSLI_OUTCOME_SENT);
    HAS(log, "\"path\":\"/api/v2/environments/c-ops/c-env\""); /* auto_environment looked first */
    HAS(log, "\"digests\":{\"app\":\"");
    free(log);
    const char *paths[] = {in_dir("app.bin")};
    CHECK_STATUS(kosli_client_snapshot_server(c, "c-env", paths, 1, "{\"exclude\": [\"*.log\"]}", &o), KOSLI_OK);
    log = sent(&o, KOSLI_OUTCOME_SENT);
    HAS(log, "/report/server\"");
    HAS(log, "app.bin\":\"");
    free(log);
    CHECK_STATUS(kosli_client_snapshot_server(c, "c-env", paths, 1, "{\"exclude\": 3}", &o), KOSLI_INVALID_INPUT);
    CHECK_STATUS(kosli_client_snapshot_path(c, "c-env", "app", in_dir("missing"), NULL, &o), KOSLI_IO);
}

static void test_compliance_and_reads(kosli_client *c) {
    kosli_outcome *o = NULL;
    fake_clear_requests();
    CHECK_STATUS(kosli_client_allow_artifact(c, "c-env", fp, "app.bin", "hotfix", NULL, &o), KOSLI_OK);
    char *log = sent(&o, KOSLI_OUTCOME_SENT);
    HAS(log, "\"path\":\"/api/v2/allowlists/c-ops/c-env\"");
    HAS(log, "\"description\":\"hotfix\"");
    free(log);
    CHECK_STATUS(kosli_client_allow_artifact(c, "c-env", "not-a-fingerprint", "app.bin", "hotfix", NULL, &o), KOSLI_INVALID_INPUT);

    bool compliant = true;
    char *json = NULL;
    CHECK_STATUS(kosli_client_assert_artifact(c, fp, "{\"flow\": \"c-flow\"}", &compliant, &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "\"compliant\":") != NULL);
    CHECK(compliant == (strstr(json, "\"compliant\":true") != NULL));
    kosli_string_free(json);
    log = fake_requests();
    HAS(log, "\"query\":{\"flow_name\":[\"c-flow\"]}");
    free(log);
    char unknown[65];
    memset(unknown, 'a', 64);
    unknown[64] = 0;
    json = NULL;
    CHECK_STATUS(kosli_client_assert_artifact(c, unknown, NULL, &compliant, &json), KOSLI_NOT_FOUND);
    CHECK(json == NULL);

    CHECK_STATUS(kosli_client_get_artifact(c, "c-flow", fp, NULL, &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, "\"filename\":\"app.bin\"") != NULL);
    kosli_string_free(json);
    CHECK_STATUS(kosli_client_get_artifact(c, "c-flow", fp, "{\"trail\": \"trail-1\"}", &json), KOSLI_OK);
    kosli_string_free(json);
    CHECK_STATUS(kosli_client_get_artifacts_by_commit(c, "c-flow", SHA, NULL, &json), KOSLI_OK);
    CHECK(json != NULL && json[0] == '[' && strstr(json, fp) != NULL);
    kosli_string_free(json);
    CHECK_STATUS(kosli_client_list_artifacts(c, "{\"flow\": \"c-flow\", \"per_page\": 2}", &json), KOSLI_OK);
    CHECK(json != NULL && strstr(json, fp) != NULL);
    kosli_string_free(json);
    CHECK_STATUS(kosli_client_list_artifacts(c, "{\"page\": 0}", &json), KOSLI_INVALID_INPUT);
}

static void test_options_and_dry_run(kosli_client *c) {
    kosli_outcome *o = NULL;
    char msg[512];
    CHECK_STATUS(kosli_client_create_flow(c, "f", "{\"descripton\": \"typo\"}", &o), KOSLI_INVALID_INPUT);
    kosli_last_error_message(msg, sizeof msg, NULL);
    CHECK(strstr(msg, "unknown option `descripton`") != NULL);
    CHECK(strstr(msg, "description") != NULL); /* the known keys are listed */
    char *json = NULL;
    CHECK_STATUS(kosli_client_list_flows(c, "{\"page\": \"two\"}", &json), KOSLI_INVALID_INPUT);
    kosli_last_error_message(msg, sizeof msg, NULL);
    CHECK(strstr(msg, "option `page` must be a non-negative integer") != NULL);
    CHECK_STATUS(kosli_client_list_flows(c, "[1, 2]", &json), KOSLI_INVALID_INPUT);
    CHECK_STATUS(kosli_client_list_flows(c, "{", &json), KOSLI_INVALID_INPUT);
    CHECK_STATUS(kosli_client_get_flow(c, "c-flow", "{\"x\": 1}", &json), KOSLI_INVALID_INPUT);
    CHECK_STATUS(kosli_client_begin_trail(c, "c-flow", "t", "{\"git_commit_info\": {\"sha1\": 1}}", &o), KOSLI_INVALID_INPUT);
    kosli_last_error_message(msg, sizeof msg, NULL);
    CHECK(strstr(msg, "option `git_commit_info`") != NULL);
    CHECK(json == NULL && o == NULL);

    /* A NULL output sends nothing. */
    fake_clear_requests();
    CHECK_STATUS(kosli_client_create_flow(c, "never-sent", NULL, NULL), KOSLI_NULL_PARAMETER);
    char *log = fake_requests();
    CHECK(log != NULL && strcmp(log, "[]") == 0);
    free(log);

    kosli_client *dry = new_client(true);
    CHECK_STATUS(kosli_client_create_flow(dry, "dry-flow", NULL, &o), KOSLI_OK);
    CHECK(kosli_outcome_kind(o) == KOSLI_OUTCOME_DRY_RUN);
    CHECK(strstr(kosli_outcome_dry_run(o), "dry-flow") != NULL);
    kosli_outcome_free(o);
    log = fake_requests();
    CHECK(log != NULL && strcmp(log, "[]") == 0);
    free(log);
    kosli_client_free(dry);
}

/* ---- NULL and bad UTF-8 for every pointer argument ----
 * Each operation is called through a function taking its string arguments as an array, so
 * one loop can replace each in turn. The client and the outputs are checked the same way. */
#define MAX_ARGS 6
typedef kosli_status (*op_fn)(kosli_client *c, const char **s, kosli_outcome **o, char **json);

static kosli_status op_create_flow(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_create_flow(c, s[0], s[1], o); }
static kosli_status op_create_flow_legacy(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_create_flow_legacy(c, s[0], &s[1], 1, s[2], o); }
static kosli_status op_get_flow(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_get_flow(c, s[0], s[1], j); }
static kosli_status op_list_flows(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_list_flows(c, s[0], j); }
static kosli_status op_begin_trail(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_begin_trail(c, s[0], s[1], s[2], o); }
static kosli_status op_attest_artifact(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_attest_artifact(c, s[0], s[1], s[2], s[3], s[4], s[5], o); }
static kosli_status op_attest_generic(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_attest_generic(c, s[0], s[1], s[2], true, s[3], o); }
static kosli_status op_attest_junit(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_attest_junit(c, s[0], s[1], s[2], s[3], s[4], o); }
static kosli_status op_attest_snyk(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_attest_snyk(c, s[0], s[1], s[2], s[3], s[4], o); }
static kosli_status op_attest_custom(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_attest_custom(c, s[0], s[1], s[2], s[3], s[4], s[5], o); }
static kosli_status op_attest_pull_request(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_attest_pull_request(c, s[0], s[1], s[2], s[3], s[4], s[5], o); }
static kosli_status op_create_environment(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_create_environment(c, s[0], s[1], s[2], o); }
static kosli_status op_get_environment(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_get_environment(c, s[0], s[1], j); }
static kosli_status op_list_environments(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_list_environments(c, s[0], j); }
static kosli_status op_snapshot_server(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_snapshot_server(c, s[0], &s[1], 1, s[2], o); }
static kosli_status op_snapshot_path(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_snapshot_path(c, s[0], s[1], s[2], s[3], o); }
static kosli_status op_snapshot_paths(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_snapshot_paths(c, s[0], s[1], s[2], o); }
static kosli_status op_allow_artifact(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)j; return kosli_client_allow_artifact(c, s[0], s[1], s[2], s[3], s[4], o); }
static bool compliant_slot;
static bool *compliant_ptr = &compliant_slot;
static kosli_status op_assert_artifact(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_assert_artifact(c, s[0], s[1], compliant_ptr, j); }
static kosli_status op_get_artifact(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_get_artifact(c, s[0], s[1], s[2], j); }
static kosli_status op_get_artifacts_by_commit(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_get_artifacts_by_commit(c, s[0], s[1], s[2], j); }
static kosli_status op_list_artifacts(kosli_client *c, const char **s, kosli_outcome **o, char **j) {
    (void)o; return kosli_client_list_artifacts(c, s[0], j); }

struct op_case {
    const char *name;
    op_fn fn;
    bool writes;             /* outcome_out, else json_out */
    int nargs;               /* string arguments */
    int optional;            /* index of options_json (may be NULL), or -1 */
    const char *args[MAX_ARGS];
};

static void test_null_and_utf8(kosli_client *c) {
    const char *J = in_dir("junit");
    const struct op_case cases[] = {
        {"create_flow", op_create_flow, true, 2, 1, {"f", "{}"}},
        {"create_flow_legacy", op_create_flow_legacy, true, 3, 2, {"f", "ctl", "{}"}},
        {"get_flow", op_get_flow, false, 2, 1, {"c-flow", "{}"}},
        {"list_flows", op_list_flows, false, 1, 0, {"{}"}},
        {"begin_trail", op_begin_trail, true, 3, 2, {"c-flow", "t", "{}"}},
        {"attest_artifact", op_attest_artifact, true, 6, 5, {"c-flow", "t", "app", fp, "app.bin", "{}"}},
        {"attest_generic", op_attest_generic, true, 4, 3, {"c-flow", "t", "g", "{}"}},
        {"attest_junit", op_attest_junit, true, 5, 4, {"c-flow", "t", "j", J, "{}"}},
        {"attest_snyk", op_attest_snyk, true, 5, 4, {"c-flow", "t", "s", in_dir("snyk.json"), "{}"}},
        {"attest_custom", op_attest_custom, true, 6, 5, {"c-flow", "t", "c", "ty", "{}", "{}"}},
        {"attest_pull_request", op_attest_pull_request, true, 6, 5, {"c-flow", "t", "p", "github", "[]", "{}"}},
        {"create_environment", op_create_environment, true, 3, 2, {"e", "server", "{}"}},
        {"get_environment", op_get_environment, false, 2, 1, {"c-env", "{}"}},
        {"list_environments", op_list_environments, false, 1, 0, {"{}"}},
        {"snapshot_server", op_snapshot_server, true, 3, 2, {"c-env", in_dir("app.bin"), "{}"}},
        {"snapshot_path", op_snapshot_path, true, 4, 3, {"c-env", "app", in_dir("app.bin"), "{}"}},
        {"snapshot_paths", op_snapshot_paths, true, 3, 2, {"c-env", in_dir("paths.yml"), "{}"}},
        {"allow_artifact", op_allow_artifact, true, 5, 4, {"c-env", fp, "app.bin", "why", "{}"}},
        {"assert_artifact", op_assert_artifact, false, 2, 1, {fp, "{}"}},
        {"get_artifact", op_get_artifact, false, 3, 2, {"c-flow", fp, "{}"}},
        {"get_artifacts_by_commit", op_get_artifacts_by_commit, false, 3, 2, {"c-flow", SHA, "{}"}},
        {"list_artifacts", op_list_artifacts, false, 1, 0, {"{}"}},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const struct op_case *t = &cases[k];
        int before = harness_failed;
        const char *s[MAX_ARGS];
        kosli_outcome *o = NULL;
        char *j = NULL;
        /* The arguments as given work. */
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
        CHECK_STATUS(t->fn(NULL, s, &o, &j), KOSLI_NULL_PARAMETER);
        CHECK_STATUS(t->fn(c, s, t->writes ? NULL : &o, t->writes ? &j : NULL), KOSLI_NULL_PARAMETER);
        CHECK(o == NULL && j == NULL);
        if (harness_failed != before) fprintf(stderr, "  ^ in %s\n", t->name);
    }
    /* The other pointers: arrays given with a length, and assert's flag. */
    kosli_outcome *o = NULL;
    CHECK_STATUS(kosli_client_create_flow_legacy(c, "f", NULL, 1, NULL, &o), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_create_flow_legacy(c, "f", NULL, 0, NULL, &o), KOSLI_OK);
    kosli_outcome_free(o);
    o = NULL;
    CHECK_STATUS(kosli_client_snapshot_server(c, "c-env", NULL, 1, NULL, &o), KOSLI_NULL_PARAMETER);
    const char *bad_paths[] = {BAD_UTF8};
    CHECK_STATUS(kosli_client_snapshot_server(c, "c-env", bad_paths, 1, NULL, &o), KOSLI_INVALID_UTF8);
    const char *null_paths[] = {NULL};
    CHECK_STATUS(kosli_client_snapshot_server(c, "c-env", null_paths, 1, NULL, &o), KOSLI_NULL_PARAMETER);
    CHECK(o == NULL);
    char *j = NULL;
    CHECK_STATUS(kosli_client_assert_artifact(c, fp, NULL, NULL, &j), KOSLI_NULL_PARAMETER);
    CHECK(j == NULL);
}

int main(void) {
    host = getenv("KOSLI_TEST_HOST");
    if (host == NULL) {
        fprintf(stderr, "KOSLI_TEST_HOST is not set (run tests/c/run.sh)\n");
        return 2;
    }
    snprintf(dir, sizeof dir, "/tmp/kosli-c-ops-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    kosli_client *c = new_client(false);
    test_flows(c);
    test_trail_and_attestations(c);
    test_environments_and_snapshots(c);
    test_compliance_and_reads(c);
    test_options_and_dry_run(c);
    test_null_and_utf8(c);
    kosli_client_free(c);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    return harness_finish("c api operations");
}
