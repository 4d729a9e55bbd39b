/* The journal from C against fake-kosli: an offline client queues writes, a client with the
 * same journal folder flushes them (they arrive in order, once), the status counts pending
 * records, the failure callback is called on the calling thread with what failed, and NULL
 * and bad UTF-8 for every pointer argument of the journal functions. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kosli.h"
#include "harness.h"
#include "fake.h"

static const char BAD_UTF8[] = {(char)0xff, (char)0xfe, 0};
static const char *host;

struct failures {
    int calls;
    int on_caller_thread;
    pthread_t caller;
    char operation[64];
    char host[128];
    char id[64];
    char dir[128];
    kosli_status kind;
};

static void on_failure(const kosli_delivery_failure *f, void *user_data) {
    struct failures *seen = user_data;
    seen->calls++;
    if (pthread_equal(pthread_self(), seen->caller)) seen->on_caller_thread++;
    snprintf(seen->operation, sizeof seen->operation, "%s", f->operation);
    snprintf(seen->host, sizeof seen->host, "%s", f->host);
    snprintf(seen->id, sizeof seen->id, "%s", f->id);
    snprintf(seen->dir, sizeof seen->dir, "%s", f->journal_dir ? f->journal_dir : "(null)");
    seen->kind = f->kind;
}

static kosli_client *online(const char *h, const char *journal, struct failures *seen) {
    kosli_config *config = kosli_config_new();
    CHECK_STATUS(kosli_config_set_host(config, h), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_org(config, "c-journal"), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_api_token(config, "secret-token-123"), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_max_api_retries(config, 0), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_timeouts(config, 1000, 1000, 2000), KOSLI_OK);
    if (journal) CHECK_STATUS(kosli_config_set_journal_dir(config, journal), KOSLI_OK);
    if (seen) CHECK_STATUS(kosli_config_on_delivery_failure(config, on_failure, seen), KOSLI_OK);
    kosli_client *client = NULL;
    CHECK_STATUS(kosli_client_new(config, &client), KOSLI_OK);
    return client;
}

static void test_offline_then_flush(const char *journal) {
    kosli_client *offline = NULL;
    CHECK_STATUS(kosli_client_new_offline(journal, &offline), KOSLI_OK);
    kosli_outcome *o = NULL;
    CHECK_STATUS(kosli_client_create_flow(offline, "j-flow", NULL, &o), KOSLI_OK);
    CHECK(kosli_outcome_kind(o) == KOSLI_OUTCOME_QUEUED);
    kosli_outcome_free(o);
    CHECK_STATUS(kosli_client_begin_trail(offline, "j-flow", "trail-1", NULL, &o), KOSLI_OK);
    CHECK(kosli_outcome_kind(o) == KOSLI_OUTCOME_QUEUED);
    const char *id = kosli_outcome_journal_id(o);
    CHECK(id != NULL && strlen(id) > 0);
    kosli_outcome_free(o);
    CHECK_STATUS(kosli_client_attest_generic(offline, "j-flow", "trail-1", "review", true, NULL, &o), KOSLI_OK);
    CHECK(kosli_outcome_kind(o) == KOSLI_OUTCOME_QUEUED);
    kosli_outcome_free(o);

    size_t pending = 0;
    char *json = NULL;
    CHECK_STATUS(kosli_client_journal_status(offline, NULL, &pending, &json), KOSLI_OK);
    CHECK(pending == 3);
    CHECK(json != NULL && strstr(json, "\"operation\":\"begin_trail\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"operation\":\"attest_generic\"") != NULL);
    kosli_string_free(json);
    /* An offline client cannot deliver. */
    kosli_flush_report *report = NULL;
    CHECK_STATUS(kosli_client_flush_journal(offline, NULL, &report), KOSLI_CONFIG);
    CHECK(report == NULL);
    kosli_client_free(offline);

    fake_clear_requests();
    kosli_client *client = online(host, journal, NULL);
    CHECK_STATUS(kosli_client_flush_journal(client, NULL, &report), KOSLI_OK);
    CHECK(kosli_flush_report_delivered(report) == 3);
    CHECK(kosli_flush_report_left(report) == 0);
    CHECK(kosli_flush_report_failed(report) == 0);
    CHECK(kosli_flush_report_superseded(report) == 0);
    CHECK(strstr(kosli_flush_report_json(report), "\"complete\":true") != NULL);
    kosli_flush_report_free(report);
    char *log = fake_requests();
    CHECK(count_of(log, "\"path\":\"/api/v2/flows/c-journal/template_file\"") == 1);
    CHECK(count_of(log, "\"path\":\"/api/v2/trails/c-journal/j-flow\"") == 1);
    CHECK(count_of(log, "\"path\":\"/api/v2/attestations/c-journal/j-flow/trail/trail-1/generic\"") == 1);
    const char *flow = log ? strstr(log, "/api/v2/flows/c-journal/template_file") : NULL;
    const char *trail = log ? strstr(log, "/api/v2/trails/c-journal/j-flow") : NULL;
    const char *attest = log ? strstr(log, "/trail/trail-1/generic") : NULL;
    CHECK(flow != NULL && trail != NULL && attest != NULL && flow < trail && trail < attest); /* in order */
    free(log);
    CHECK_STATUS(kosli_client_journal_status(client, "", &pending, &json), KOSLI_OK);
    CHECK(pending == 0);
    kosli_string_free(json);
    /* Nothing left: a second flush delivers nothing. */
    CHECK_STATUS(kosli_client_flush_journal(client, NULL, &report), KOSLI_OK);
    CHECK(kosli_flush_report_delivered(report) == 0);
    kosli_flush_report_free(report);
    kosli_client_free(client);
}

static void test_failure_callback(const char *journal) {
    struct failures seen;
    memset(&seen, 0, sizeof seen);
    seen.caller = pthread_self();
    /* Nothing listens on port 1: the write is queued and the callback told. */
    kosli_client *dead = online("http://127.0.0.1:1", journal, &seen);
    kosli_outcome *o = NULL;
    CHECK_STATUS(kosli_client_create_flow(dead, "j-flow-2", NULL, &o), KOSLI_OK);
    CHECK(kosli_outcome_kind(o) == KOSLI_OUTCOME_QUEUED);
    CHECK(seen.calls == 1);
    CHECK(seen.on_caller_thread == 1);
    CHECK(strcmp(seen.operation, "create_flow") == 0);
    CHECK(strstr(seen.host, "127.0.0.1:1") != NULL);
    CHECK(strcmp(seen.id, kosli_outcome_journal_id(o)) == 0);
    CHECK(strcmp(seen.dir, journal) == 0);
    CHECK(seen.kind == KOSLI_NETWORK);
    kosli_outcome_free(o);

    kosli_flush_report *report = NULL;
    CHECK_STATUS(kosli_client_flush_journal(dead, NULL, &report), KOSLI_OK);
    CHECK(kosli_flush_report_delivered(report) == 0);
    CHECK(kosli_flush_report_left(report) == 1);
    CHECK(kosli_flush_report_failed(report) == 1);
    CHECK(strstr(kosli_flush_report_json(report), "\"kind\":\"Network\"") != NULL);
    kosli_flush_report_free(report);
    CHECK(seen.calls == 2);
    CHECK(seen.on_caller_thread == 2);
    kosli_client_free(dead);

}

/* An outage of the real host (fake-kosli answering 503 twice): queued, still failing at the
 * first flush, delivered by the second, and the callback told each time it failed. */
static void test_outage_then_delivery(const char *journal) {
    struct failures seen;
    memset(&seen, 0, sizeof seen);
    seen.caller = pthread_self();
    char *answer = fake_http("POST", "/__control/faults",
                             "[{\"method\": \"PUT\", \"path\": \"/api/v2/flows/c-journal/template_file\", \"status\": 503, \"times\": 2}]");
    CHECK(answer != NULL);
    free(answer);
    fake_clear_requests();
    /* The webhook posts its alert to fake-kosli too, where the request log shows it. */
    kosli_config *config = kosli_config_new();
    char hook[256];
    snprintf(hook, sizeof hook, "%s/hooks/kosli-alerts", host);
    CHECK_STATUS(kosli_config_set_host(config, host), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_org(config, "c-journal"), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_api_token(config, "secret-token-123"), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_max_api_retries(config, 0), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_journal_dir(config, journal), KOSLI_OK);
    CHECK_STATUS(kosli_config_on_delivery_failure(config, on_failure, &seen), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_failure_webhook(config, hook), KOSLI_OK);
    kosli_client *client = NULL;
    CHECK_STATUS(kosli_client_new(config, &client), KOSLI_OK);
    kosli_outcome *o = NULL;
    CHECK_STATUS(kosli_client_create_flow(client, "j-flow-3", NULL, &o), KOSLI_OK);
    CHECK(kosli_outcome_kind(o) == KOSLI_OUTCOME_QUEUED);
    kosli_outcome_free(o);
    CHECK(seen.calls == 1 && seen.on_caller_thread == 1);
    CHECK(strcmp(seen.operation, "create_flow") == 0);
    kosli_flush_report *report = NULL;
    CHECK_STATUS(kosli_client_flush_journal(client, NULL, &report), KOSLI_OK);
    CHECK(kosli_flush_report_delivered(report) == 0 && kosli_flush_report_left(report) == 1);
    kosli_flush_report_free(report);
    CHECK(seen.calls == 2);
    CHECK_STATUS(kosli_client_flush_journal(client, NULL, &report), KOSLI_OK);
    CHECK(kosli_flush_report_delivered(report) == 1 && kosli_flush_report_left(report) == 0);
    kosli_flush_report_free(report);
    CHECK(seen.calls == 2);
    char *log = fake_requests();
    CHECK(count_of(log, "\"path\":\"/api/v2/flows/c-journal/template_file\"") == 3);
    CHECK(count_of(log, "\"status\":503") == 2);
    CHECK(count_of(log, "\"path\":\"/hooks/kosli-alerts\"") == 2);
    CHECK(count_of(log, "\"json\":{\"text\":\"Kosli journal: record ") == 2);
    CHECK(count_of(log, "secret-token-123") == 3); /* the three API requests' headers, not the alerts */
    free(log);
    kosli_client_free(client);
}

static void test_errors_null_and_utf8(const char *journal) {
    /* No journal: flush and status are configuration errors. */
    kosli_client *plain = online(host, NULL, NULL);
    kosli_flush_report *report = NULL;
    size_t pending = 7;
    char *json = NULL;
    CHECK_STATUS(kosli_client_flush_journal(plain, NULL, &report), KOSLI_CONFIG);
    CHECK_STATUS(kosli_client_journal_status(plain, NULL, &pending, &json), KOSLI_CONFIG);
    CHECK(report == NULL && json == NULL && pending == 7);
    CHECK_STATUS(kosli_client_flush_journal(plain, "{\"x\": 1}", &report), KOSLI_INVALID_INPUT);
    CHECK_STATUS(kosli_client_flush_journal(plain, BAD_UTF8, &report), KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_client_journal_status(plain, BAD_UTF8, &pending, &json), KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_client_flush_journal(NULL, NULL, &report), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_flush_journal(plain, NULL, NULL), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_journal_status(NULL, NULL, &pending, &json), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_journal_status(plain, NULL, NULL, &json), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_journal_status(plain, NULL, &pending, NULL), KOSLI_NULL_PARAMETER);
    kosli_client_free(plain);

    kosli_config *config = kosli_config_new();
    CHECK_STATUS(kosli_config_set_journal_dir(NULL, journal), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_journal_dir(config, NULL), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_journal_dir(config, BAD_UTF8), KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_config_set_offline(NULL, true), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_failure_webhook(NULL, "https://hooks.example.com/x"), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_failure_webhook(config, NULL), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_failure_webhook(config, BAD_UTF8), KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_config_on_delivery_failure(NULL, on_failure, NULL), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_on_delivery_failure(config, NULL, NULL), KOSLI_NULL_PARAMETER);
    /* A bad webhook URL is a configuration error when the client is built. */
    CHECK_STATUS(kosli_config_set_failure_webhook(config, "ftp://hooks.example.com/x"), KOSLI_OK);
    kosli_client *client = NULL;
    CHECK_STATUS(kosli_client_new(config, &client), KOSLI_CONFIG);
    CHECK(client == NULL);
    /* Offline without a journal folder is a configuration error too. */
    config = kosli_config_new();
    CHECK_STATUS(kosli_config_set_offline(config, true), KOSLI_OK);
    CHECK_STATUS(kosli_client_new(config, &client), KOSLI_CONFIG);
    config = kosli_config_new();
    CHECK_STATUS(kosli_config_set_offline(config, true), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_journal_dir(config, journal), KOSLI_OK);
    CHECK_STATUS(kosli_client_new(config, &client), KOSLI_OK);
    kosli_outcome *o = NULL;
    CHECK_STATUS(kosli_client_create_environment(client, "e", "server", NULL, &o), KOSLI_OK);
    CHECK(kosli_outcome_kind(o) == KOSLI_OUTCOME_QUEUED);
    kosli_outcome_free(o);
    kosli_client_free(client);

    CHECK_STATUS(kosli_client_new_offline(NULL, &client), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_new_offline(BAD_UTF8, &client), KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_client_new_offline(journal, NULL), KOSLI_NULL_PARAMETER);
    CHECK(kosli_flush_report_delivered(NULL) == SIZE_MAX);
    CHECK(kosli_flush_report_left(NULL) == SIZE_MAX);
    CHECK(kosli_flush_report_failed(NULL) == SIZE_MAX);
    CHECK(kosli_flush_report_superseded(NULL) == SIZE_MAX);
    CHECK(kosli_flush_report_json(NULL) == NULL);
    kosli_flush_report_free(NULL);
}

int main(void) {
    host = getenv("KOSLI_TEST_HOST");
    if (host == NULL) {
        fprintf(stderr, "KOSLI_TEST_HOST is not set (run tests/c/run.sh)\n");
        return 2;
    }
    char dir[64] = "/tmp/kosli-c-journal-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char one[128], two[128], three[128], four[128];
    snprintf(one, sizeof one, "%s/offline", dir);
    snprintf(two, sizeof two, "%s/outage", dir);
    snprintf(three, sizeof three, "%s/errors", dir);
    snprintf(four, sizeof four, "%s/back", dir);
    test_offline_then_flush(one);
    test_failure_callback(two);
    test_outage_then_delivery(four);
    test_errors_null_and_utf8(three);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    return harness_finish("c api journal");
}
