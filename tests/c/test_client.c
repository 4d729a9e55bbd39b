/* The C client against fake-kosli (KOSLI_TEST_HOST=http://127.0.0.1:PORT, set by run.sh):
 * configuration from code and from the environment, status, cancellation, typed errors,
 * NULL and bad UTF-8 for every pointer argument, and one client used from several threads. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kosli.h"
#include "harness.h"

static const char BAD_UTF8[] = {(char)0xff, (char)0xfe, 0};
static const char *host;

static kosli_client *client_for(const char *h, uint32_t retries) {
    kosli_config *config = kosli_config_new();
    CHECK(config != NULL);
    CHECK_STATUS(kosli_config_set_host(config, h), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_org(config, "acme"), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_api_token(config, "secret-token-123"), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_max_api_retries(config, retries), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_timeouts(config, 2000, 2000, 5000), KOSLI_OK);
    kosli_client *client = NULL;
    CHECK_STATUS(kosli_client_new(config, &client), KOSLI_OK);
    return client;
}

static void test_status(void) {
    kosli_client *client = client_for(host, 3);
    char *body = NULL;
    CHECK_STATUS(kosli_client_status(client, &body), KOSLI_OK);
    CHECK(body != NULL && strcmp(body, "\"OK\"") == 0);
    kosli_string_free(body);
    kosli_client_free(client);
    kosli_client_free(NULL);
}

static void test_from_env(void) {
    setenv("KOSLI_HOST", host, 1);
    setenv("KOSLI_ORG", "acme", 1);
    setenv("KOSLI_API_TOKEN", "from-env", 1);
    kosli_client *client = NULL;
    CHECK_STATUS(kosli_client_from_env(NULL, &client), KOSLI_OK);
    char *body = NULL;
    CHECK_STATUS(kosli_client_status(client, &body), KOSLI_OK);
    CHECK(body != NULL && strcmp(body, "\"OK\"") == 0);
    kosli_string_free(body);
    kosli_client_free(client);

    /* A value set in code wins over the environment. */
    setenv("KOSLI_HOST", "http://127.0.0.1:1", 1);
    kosli_config *config = kosli_config_new();
    CHECK_STATUS(kosli_config_set_host(config, host), KOSLI_OK);
    CHECK_STATUS(kosli_client_from_env(config, &client), KOSLI_OK);
    CHECK_STATUS(kosli_client_status(client, &body), KOSLI_OK);
    kosli_string_free(body);
    kosli_client_free(client);

    /* A bad value from the environment is a configuration error naming it. */
    setenv("KOSLI_MAX_API_RETRIES", "many", 1);
    client = NULL;
    CHECK_STATUS(kosli_client_from_env(NULL, &client), KOSLI_CONFIG);
    CHECK(client == NULL);
    unsetenv("KOSLI_MAX_API_RETRIES");
    unsetenv("KOSLI_HOST");
    unsetenv("KOSLI_ORG");
    unsetenv("KOSLI_API_TOKEN");
}

static void test_errors_and_cancel(void) {
    /* Nothing listens on port 1: a network error after no retries. */
    kosli_client *dead = client_for("http://127.0.0.1:1", 0);
    char *body = NULL;
    CHECK_STATUS(kosli_client_status(dead, &body), KOSLI_NETWORK);
    CHECK(body == NULL);
    char msg[1024];
    CHECK_STATUS(kosli_last_error_message(msg, sizeof msg, NULL), KOSLI_OK);
    CHECK(strstr(msg, "secret-token-123") == NULL);
    kosli_client_free(dead);

    /* A plain-http token to another machine is refused unless allowed. */
    kosli_config *config = kosli_config_new();
    CHECK_STATUS(kosli_config_set_host(config, "http://kosli.example.com"), KOSLI_OK);
    CHECK_STATUS(kosli_config_set_api_token(config, "secret-token-123"), KOSLI_OK);
    kosli_client *insecure = NULL;
    CHECK_STATUS(kosli_client_new(config, &insecure), KOSLI_CONFIG);
    CHECK(insecure == NULL);

    kosli_client *client = client_for(host, 3);
    kosli_cancel *cancel = kosli_cancel_new();
    kosli_client *bound = NULL;
    CHECK_STATUS(kosli_client_with_cancel(client, cancel, &bound), KOSLI_OK);
    CHECK_STATUS(kosli_client_status(bound, &body), KOSLI_OK);
    kosli_string_free(body);
    CHECK_STATUS(kosli_cancel_cancel(cancel), KOSLI_OK);
    body = NULL;
    CHECK_STATUS(kosli_client_status(bound, &body), KOSLI_CANCELLED);
    CHECK(body == NULL);
    CHECK_STATUS(kosli_client_status(client, &body), KOSLI_OK); /* the original is not bound */
    kosli_string_free(body);
    kosli_cancel_free(cancel);
    kosli_cancel_free(NULL);
    kosli_client_free(bound);
    kosli_client_free(client);
}

static void test_null_and_utf8(void) {
    kosli_config *config = kosli_config_new();
    CHECK_STATUS(kosli_config_set_host(NULL, host), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_host(config, NULL), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_host(config, BAD_UTF8), KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_config_set_api_token(NULL, "t"), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_api_token(config, NULL), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_api_token(config, BAD_UTF8), KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_config_set_org(NULL, "o"), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_org(config, NULL), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_org(config, BAD_UTF8), KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_config_set_http_proxy(NULL, "http://p"), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_http_proxy(config, NULL), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_http_proxy(config, BAD_UTF8), KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_config_set_config_file(NULL, "f"), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_config_file(config, NULL), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_config_file(config, BAD_UTF8), KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_config_set_ca_bundle(NULL, "f"), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_ca_bundle(config, NULL), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_ca_bundle(config, BAD_UTF8), KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_config_set_max_api_retries(NULL, 1), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_dry_run(NULL, true), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_allow_insecure_http(NULL, true), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_config_set_timeouts(NULL, 1, 1, 1), KOSLI_NULL_PARAMETER);
    kosli_config_free(config);
    kosli_config_free(NULL);

    CHECK_STATUS(kosli_client_new(NULL, NULL), KOSLI_NULL_PARAMETER);
    kosli_client *client = NULL;
    CHECK_STATUS(kosli_client_new(NULL, &client), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_new(kosli_config_new(), NULL), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_from_env(NULL, NULL), KOSLI_NULL_PARAMETER);
    char *body = NULL;
    CHECK_STATUS(kosli_client_status(NULL, &body), KOSLI_NULL_PARAMETER);
    client = client_for(host, 0);
    CHECK_STATUS(kosli_client_status(client, NULL), KOSLI_NULL_PARAMETER);
    kosli_cancel *cancel = kosli_cancel_new();
    kosli_client *bound = NULL;
    CHECK_STATUS(kosli_client_with_cancel(NULL, cancel, &bound), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_with_cancel(client, NULL, &bound), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_client_with_cancel(client, cancel, NULL), KOSLI_NULL_PARAMETER);
    CHECK(bound == NULL);
    CHECK_STATUS(kosli_cancel_cancel(NULL), KOSLI_NULL_PARAMETER);
    kosli_cancel_free(cancel);
    kosli_client_free(client);
}

#define THREADS 4
#define CALLS 10
static int thread_ok[THREADS];

static void *hammer(void *arg) {
    kosli_client *client = *(kosli_client **)((void **)arg)[0];
    int index = *(int *)((void **)arg)[1];
    for (int i = 0; i < CALLS; i++) {
        char *body = NULL;
        if (kosli_client_status(client, &body) == KOSLI_OK && body != NULL && strcmp(body, "\"OK\"") == 0) {
            thread_ok[index]++;
        }
        kosli_string_free(body);
    }
    return NULL;
}

static void test_threads(void) {
    kosli_client *client = client_for(host, 3);
    pthread_t threads[THREADS];
    int indices[THREADS];
    void *args[THREADS][2];
    for (int t = 0; t < THREADS; t++) {
        indices[t] = t;
        args[t][0] = &client;
        args[t][1] = &indices[t];
        CHECK(pthread_create(&threads[t], NULL, hammer, args[t]) == 0);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        CHECK(thread_ok[t] == CALLS);
    }
    kosli_client_free(client);
}

int main(void) {
    host = getenv("KOSLI_TEST_HOST");
    if (host == NULL) {
        fprintf(stderr, "KOSLI_TEST_HOST is not set (run tests/c/run.sh)\n");
        return 2;
    }
    test_status();
    test_from_env();
    test_errors_and_cancel();
    test_null_and_utf8();
    test_threads();
    return harness_finish("c api client");
}
