/* The deployment guard and runtime snapshots from C against fake-kosli (KOSLI_TEST_HOST) and
 * the tests crate's fake Docker Engine and Kubernetes API (fake-services, started by run.sh:
 * KOSLI_TEST_DOCKER_HOST, KOSLI_TEST_KUBECONFIG; their states are
 * tests/fixtures/snapshots_runtime's "three_containers" and "cluster", where nginx:1.25 runs as
 * sha256:e1e1... on the Engine and as sha256:aaaa... in the cluster). A failing step asks
 * nothing and reports nothing; a succeeding one snapshots once (fake-kosli's request log); an
 * image that does not run is KOSLI_POLICY_DENIED; a bad collector is refused before the step,
 * naming its key. kosli-ffi's tests/payloads.rs checks the docker deploy sends what the Rust
 * SDK's guard sends. The ASan and valgrind runs share the fakes, so counts are of this run's
 * requests (cleared first). */
#include <stdlib.h>
#include <string.h>

#include "kosli.h"
#include "harness.h"
#include "fake.h"

#define NGINX_ENGINE "e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1"
#define NGINX_CLUSTER "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define NOT_RUNNING "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
#define DOCKER_REPORT "\"path\":\"/api/v2/environments/c-runtime/c-docker/report/docker\""
#define K8S_REPORT "\"path\":\"/api/v2/environments/c-runtime/c-k8s/report/K8S\""

static const char *host;
static char docker_collector[512];
static char k8s_collector[512];

static kosli_client *new_client(void) {
    kosli_config *config = kosli_config_new();
    CHECK_STATUS(kosli_config_set_host(config, host), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_org(config, "c-runtime"), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_api_token(config, "secret-token-123"), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_max_api_retries(config, 0), KOSLI_OK);
    kosli_client *client = NULL;
    CHECK_STATUS(kosli_client_new(config, &client), KOSLI_OK);
    return client;
}

/* The request log since the last clear (free it), then cleared. */
static char *take_requests(void) {
    char *log = fake_requests();
    CHECK(log != NULL);
    fake_clear_requests();
    return log;
}

/* Deploy steps: count calls in *user_data and succeed, or fail with 3. */
static int good_step(void *user_data) {
    ++*(int *)user_data;
    return 0;
}
static int failing_step(void *user_data) {
    ++*(int *)user_data;
    return 3;
}

static void test_deploy_docker(kosli_client *c) {
    kosli_outcome *o = NULL;
    CHECK_STATUS(kosli_client_create_environment(c, "c-docker", "docker", NULL, &o), KOSLI_OK);
    kosli_outcome_free(o);
    o = NULL;
    fake_clear_requests();
    int calls = 0, code = -1;
    char *json = NULL;

    /* A failing step: its code back, nothing reported. */
    CHECK_STATUS(kosli_client_deploy(c, "c-docker", "nginx:1.25", NGINX_ENGINE, "docker", docker_collector, NULL,
                                     failing_step, &calls, &code, &o, &json),
                 KOSLI_DEPLOY_STEP_FAILED);
    CHECK(calls == 1 && code == 3 && o == NULL && json == NULL);
    char *log = take_requests();
    CHECK(log != NULL && strcmp(log, "[]") == 0);
    free(log);

    /* A succeeding step: one docker snapshot report, holding the Engine's containers. */
    CHECK_STATUS(kosli_client_deploy(c, "c-docker", "nginx:1.25", NGINX_ENGINE, "docker", docker_collector, NULL,
                                     good_step, &calls, &code, &o, &json),
                 KOSLI_OK);
    CHECK(calls == 2 && code == 0);
    CHECK(o != NULL && kosli_outcome_kind(o) == KOSLI_OUTCOME_SENT);
    kosli_outcome_free(o);
    o = NULL;
    CHECK(json != NULL && strstr(json, "\"verification\":\"running\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"instances\":1") != NULL);
    CHECK(json != NULL && strstr(json, "\"name\":\"nginx:1.25\"") != NULL);
    kosli_string_free(json);
    json = NULL;
    log = take_requests();
    CHECK(count_of(log, "\"path\":") == 1);
    CHECK(count_of(log, DOCKER_REPORT) == 1);
    CHECK(count_of(log, NGINX_ENGINE) >= 1 && count_of(log, "myapp:dev") == 0);
    free(log);

    /* The wrong image runs: reported once, then refused. */
    CHECK_STATUS(kosli_client_deploy(c, "c-docker", "nginx:1.25", NOT_RUNNING, "docker", docker_collector, NULL,
                                     good_step, &calls, &code, &o, &json),
                 KOSLI_POLICY_DENIED);
    CHECK(calls == 3 && code == 0 && o == NULL && json == NULL);
    char msg[512];
    kosli_last_error_message(msg, sizeof msg, NULL);
    CHECK(strstr(msg, "nginx:1.25") != NULL);
    log = take_requests();
    CHECK(count_of(log, DOCKER_REPORT) == 1);
    free(log);

    /* ... or, with on_mismatch "warn", reported and accepted. */
    CHECK_STATUS(kosli_client_deploy(c, "c-docker", "nginx:1.25", NOT_RUNNING, "docker", docker_collector,
                                     "{\"on_mismatch\": \"warn\"}", good_step, &calls, &code, &o, &json),
                 KOSLI_OK);
    CHECK(json != NULL && strstr(json, "\"verification\":\"not_running\"") != NULL);
    kosli_string_free(json);
    json = NULL;
    kosli_outcome_free(o);
    o = NULL;
    fake_clear_requests();
}

static void test_deploy_k8s(kosli_client *c) {
    kosli_outcome *o = NULL;
    CHECK_STATUS(kosli_client_create_environment(c, "c-k8s", "K8S", NULL, &o), KOSLI_OK);
    kosli_outcome_free(o);
    o = NULL;
    fake_clear_requests();
    int calls = 0, code = -1;
    char *json = NULL;
    CHECK_STATUS(kosli_client_deploy(c, "c-k8s", "nginx:1.25", NGINX_CLUSTER, "docker", k8s_collector, NULL,
                                     failing_step, &calls, &code, &o, &json),
                 KOSLI_DEPLOY_STEP_FAILED);
    char *log = take_requests();
    CHECK(log != NULL && strcmp(log, "[]") == 0);
    free(log);
    CHECK_STATUS(kosli_client_deploy(c, "c-k8s", "nginx:1.25", NGINX_CLUSTER, "docker", k8s_collector, NULL,
                                     good_step, &calls, &code, &o, &json),
                 KOSLI_OK);
    CHECK(calls == 2 && code == 0);
    CHECK(json != NULL && strstr(json, "\"verification\":\"running\"") != NULL);
    kosli_string_free(json);
    json = NULL;
    kosli_outcome_free(o);
    o = NULL;
    log = take_requests();
    CHECK(count_of(log, "\"path\":") == 1);
    CHECK(count_of(log, K8S_REPORT) == 1);
    CHECK(count_of(log, "podName") >= 1);
    free(log);

    /* A namespace the image does not run in: denied. */
    char only_kube_system[700];
    snprintf(only_kube_system, sizeof only_kube_system,
             "{\"type\": \"k8s\", \"kubeconfig\": \"%s\", \"namespaces\": [\"kube-system\"]}",
             getenv("KOSLI_TEST_KUBECONFIG"));
    CHECK_STATUS(kosli_client_deploy(c, "c-k8s", "nginx:1.25", NGINX_CLUSTER, "docker", only_kube_system, NULL,
                                     good_step, &calls, &code, &o, &json),
                 KOSLI_POLICY_DENIED);
    log = take_requests();
    CHECK(count_of(log, K8S_REPORT) == 1);
    CHECK(count_of(log, "kube-system") >= 1 && count_of(log, "\\\"namespace\\\":\\\"prod\\\"") == 0);
    free(log);
    CHECK(o == NULL && json == NULL);
}

/* Refused before the step runs (and before anything is asked), naming the key at fault. */
static void check_refused(kosli_client *c, const char *collector, const char *needle) {
    int calls = 0, code = -1;
    kosli_outcome *o = NULL;
    char *json = NULL;
    CHECK_STATUS(kosli_client_deploy(c, "c-docker", "nginx:1.25", NGINX_ENGINE, "docker", collector, NULL, good_step,
                                     &calls, &code, &o, &json),
                 KOSLI_INVALID_INPUT);
    char msg[512];
    kosli_last_error_message(msg, sizeof msg, NULL);
    if (strstr(msg, needle) == NULL) fprintf(stderr, "message without `%s`: %s\n", needle, msg);
    CHECK(strstr(msg, needle) != NULL);
    CHECK(calls == 0 && code == -1 && o == NULL && json == NULL);
}

static void test_bad_collectors(kosli_client *c) {
    fake_clear_requests();
    check_refused(c, "{\"type\": \"ecs\"}", "`type`");
    check_refused(c, "{\"type\": 7}", "`type`");
    check_refused(c, "{\"type\": \"docker\", \"docker_host\": 5}", "`docker_host`");
    check_refused(c, "{\"type\": \"docker\", \"namespaces\": [\"prod\"]}", "`namespaces`");
    check_refused(c, "{\"type\": \"docker\", \"path\": \"/srv/app\"}", "`path`");
    check_refused(c, "{\"type\": \"k8s\", \"docker_host\": \"unix:///x.sock\"}", "`docker_host`");
    check_refused(c, "{\"type\": \"k8s\", \"namespaces_regex\": [1]}", "`namespaces_regex`");
    check_refused(c, "{\"type\": \"k8s\", \"kubeconfig\": [\"a\"]}", "`kubeconfig`");
    check_refused(c, "{\"type\": \"k8s\", \"namespaces\": [\"a\"], \"exclude_namespaces_regex\": [\"b\"]}",
                  "only one of --namespaces, --exclude-namespaces-regex is allowed");
    check_refused(c, "{\"docker_host\": \"unix:///x.sock\"}", "`docker_host`");
    check_refused(c, "{\"type\": \"server\", \"paths_file\": \"spec.yml\", \"name\": \"x\"}", "collector_json");
    char *log = take_requests();
    CHECK(log != NULL && strcmp(log, "[]") == 0);
    free(log);
}

/* kosli_client_snapshot_docker / snapshot_k8s succeed against the fakes (auto_environment). */
static void test_snapshots(kosli_client *c) {
    char options[700];
    kosli_outcome *o = NULL;
    fake_clear_requests();
    snprintf(options, sizeof options, "{\"docker_host\": \"%s\", \"auto_environment\": true}",
             getenv("KOSLI_TEST_DOCKER_HOST"));
    CHECK_STATUS(kosli_client_snapshot_docker(c, "c-docker-snap", options, &o), KOSLI_OK);
    CHECK(o != NULL && kosli_outcome_kind(o) == KOSLI_OUTCOME_SENT);
    kosli_outcome_free(o);
    o = NULL;
    char *log = take_requests();
    CHECK(count_of(log, "\"path\":\"/api/v2/environments/c-runtime/c-docker-snap/report/docker\"") == 1);
    CHECK(count_of(log, NGINX_ENGINE) >= 1 && count_of(log, "myapp:dev") == 0);
    free(log);

    snprintf(options, sizeof options, "{\"kubeconfig\": \"%s\", \"namespaces\": [\"prod\"], \"auto_environment\": true}",
             getenv("KOSLI_TEST_KUBECONFIG"));
    CHECK_STATUS(kosli_client_snapshot_k8s(c, "c-k8s-snap", options, &o), KOSLI_OK);
    CHECK(o != NULL && kosli_outcome_kind(o) == KOSLI_OUTCOME_SENT);
    kosli_outcome_free(o);
    o = NULL;
    log = take_requests();
    CHECK(count_of(log, "\"path\":\"/api/v2/environments/c-runtime/c-k8s-snap/report/K8S\"") == 1);
    CHECK(count_of(log, NGINX_CLUSTER) >= 1 && count_of(log, "kube-system") == 0);
    free(log);
}

int main(void) {
    host = getenv("KOSLI_TEST_HOST");
    const char *docker_host = getenv("KOSLI_TEST_DOCKER_HOST");
    const char *kubeconfig = getenv("KOSLI_TEST_KUBECONFIG");
    if (host == NULL || docker_host == NULL || kubeconfig == NULL) {
        fprintf(stderr, "KOSLI_TEST_HOST, KOSLI_TEST_DOCKER_HOST or KOSLI_TEST_KUBECONFIG is not set (run tests/c/run.sh)\n");
        return 2;
    }
    snprintf(docker_collector, sizeof docker_collector, "{\"type\": \"docker\", \"docker_host\": \"%s\"}", docker_host);
    snprintf(k8s_collector, sizeof k8s_collector, "{\"type\": \"k8s\", \"kubeconfig\": \"%s\"}", kubeconfig);
    kosli_client *c = new_client();
    test_deploy_docker(c);
    test_deploy_k8s(c);
    test_bad_collectors(c);
    test_snapshots(c);
    kosli_client_free(c);
    return harness_finish("c api runtime deploys and snapshots");
}
