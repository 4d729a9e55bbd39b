/* The C API's boundary: version macros, statuses, last error, fingerprints, NULL and bad
 * UTF-8 for every pointer argument, small buffers, and a progress callback that cancels. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kosli.h"
#include "harness.h"

static const char *EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
static const char *ONE_A = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb";
static const char *KNOWN_DIR = "c71f5baef8cce289c9b7c971cf219e21b787a025af68ad6539b82634fe62819e";
static const char BAD_UTF8[] = {(char)0xff, (char)0xfe, 0};

static void write_file(const char *path, const char *content) {
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    fputs(content, f);
    fclose(f);
}

static int cancels = 0;
static int cancel_at_once(const kosli_progress *p, void *user_data) {
    (void)p;
    cancels++;
    *(int *)user_data += 1;
    return 1;
}

static void test_version(void) {
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", KOSLI_VERSION_MAJOR, KOSLI_VERSION_MINOR,
             KOSLI_VERSION_PATCH);
    CHECK(strcmp(kosli_version(), expected) == 0);
    CHECK(KOSLI_VERSION_NUMBER ==
          KOSLI_VERSION_MAJOR * 10000 + KOSLI_VERSION_MINOR * 100 + KOSLI_VERSION_PATCH);
}

static void test_statuses(void) {
    CHECK(KOSLI_OK == 0);
    CHECK(KOSLI_INVALID_INPUT == 1);
    CHECK(KOSLI_CANCELLED == 13);
    CHECK(strcmp(kosli_status_name(KOSLI_NOT_FOUND), "KOSLI_NOT_FOUND") == 0);
    CHECK(strcmp(kosli_status_name(9999), "KOSLI_UNKNOWN_STATUS") == 0);
}

static void test_fingerprints(const char *dir) {
    char path[4096], out[KOSLI_FINGERPRINT_BUFFER_SIZE], small[10];
    snprintf(path, sizeof path, "%s/one", dir);
    write_file(path, "a");
    CHECK_STATUS(kosli_fingerprint_file(path, NULL, out, sizeof out), KOSLI_OK);
    CHECK(strcmp(out, ONE_A) == 0);

    /* Outputs are written only on success. */
    memset(small, 'x', sizeof small);
    CHECK_STATUS(kosli_fingerprint_file(path, NULL, small, sizeof small), KOSLI_BUFFER_TOO_SMALL);
    CHECK(small[0] == 'x');

    snprintf(path, sizeof path, "%s/tree", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/tree/file.extra", dir);
    write_file(path, "this is known extra content");
    snprintf(path, sizeof path, "%s/tree", dir);
    CHECK_STATUS(kosli_fingerprint_dir(path, NULL, 0, NULL, out, sizeof out), KOSLI_OK);
    CHECK(strcmp(out, KNOWN_DIR) == 0);

    const char *all[] = {"*"};
    kosli_fingerprint_options two = {2, NULL, NULL};
    CHECK_STATUS(kosli_fingerprint_dir(path, all, 1, &two, out, sizeof out), KOSLI_OK);
    CHECK(strcmp(out, EMPTY) == 0);

    char *report = NULL;
    CHECK_STATUS(kosli_fingerprint_dir_report(path, NULL, 0, NULL, &report), KOSLI_OK);
    CHECK(report != NULL && strstr(report, KNOWN_DIR) != NULL && strstr(report, "\"files\":1") != NULL);
    kosli_string_free(report);
    kosli_string_free(NULL);

    /* Typed errors with a message naming the path. */
    snprintf(path, sizeof path, "%s/missing", dir);
    CHECK_STATUS(kosli_fingerprint_file(path, NULL, out, sizeof out), KOSLI_IO);
    size_t needed = 0;
    CHECK_STATUS(kosli_last_error_message(NULL, 0, &needed), KOSLI_BUFFER_TOO_SMALL);
    CHECK(needed > strlen(path));
    char *msg = malloc(needed);
    CHECK_STATUS(kosli_last_error_message(msg, needed, NULL), KOSLI_OK);
    CHECK(strstr(msg, "missing: no such file or directory") != NULL);
    char tiny[4] = "zzz";
    CHECK_STATUS(kosli_last_error_message(tiny, sizeof tiny, &needed), KOSLI_BUFFER_TOO_SMALL);
    CHECK(tiny[0] == 'z');
    free(msg);

    const char *bad_pattern[] = {"[a-"};
    snprintf(path, sizeof path, "%s/tree", dir);
    CHECK_STATUS(kosli_fingerprint_dir(path, bad_pattern, 1, NULL, out, sizeof out), KOSLI_INVALID_INPUT);
    snprintf(path, sizeof path, "%s/one", dir);
    CHECK_STATUS(kosli_fingerprint_dir(path, NULL, 0, NULL, out, sizeof out), KOSLI_FINGERPRINT);

    /* A progress callback that cancels. */
    int calls = 0;
    kosli_fingerprint_options cancel = {1, cancel_at_once, &calls};
    snprintf(path, sizeof path, "%s/tree", dir);
    CHECK_STATUS(kosli_fingerprint_dir(path, NULL, 0, &cancel, out, sizeof out), KOSLI_CANCELLED);
    CHECK(calls == 1 && cancels == 1);
}

static void test_null_and_utf8(const char *dir) {
    char path[4096], out[KOSLI_FINGERPRINT_BUFFER_SIZE];
    char *report = NULL;
    const char *null_item[] = {NULL};
    const char *bad_item[] = {BAD_UTF8};
    snprintf(path, sizeof path, "%s/tree", dir);

    CHECK_STATUS(kosli_fingerprint_file(NULL, NULL, out, sizeof out), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_fingerprint_file(path, NULL, NULL, sizeof out), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_fingerprint_file(BAD_UTF8, NULL, out, sizeof out), KOSLI_INVALID_UTF8);

    CHECK_STATUS(kosli_fingerprint_dir(NULL, NULL, 0, NULL, out, sizeof out), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_fingerprint_dir(path, NULL, 1, NULL, out, sizeof out), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_fingerprint_dir(path, null_item, 1, NULL, out, sizeof out), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_fingerprint_dir(path, bad_item, 1, NULL, out, sizeof out), KOSLI_INVALID_UTF8);
    CHECK_STATUS(kosli_fingerprint_dir(path, NULL, 0, NULL, NULL, 0), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_fingerprint_dir(BAD_UTF8, NULL, 0, NULL, out, sizeof out), KOSLI_INVALID_UTF8);

    CHECK_STATUS(kosli_fingerprint_dir_report(NULL, NULL, 0, NULL, &report), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_fingerprint_dir_report(path, NULL, 0, NULL, NULL), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_fingerprint_dir_report(path, null_item, 1, NULL, &report), KOSLI_NULL_PARAMETER);
    CHECK_STATUS(kosli_fingerprint_dir_report(BAD_UTF8, NULL, 0, NULL, &report), KOSLI_INVALID_UTF8);
    CHECK(report == NULL);

    size_t needed = 0;
    CHECK_STATUS(kosli_last_error_message(NULL, 0, &needed), KOSLI_BUFFER_TOO_SMALL);
    CHECK_STATUS(kosli_last_error_message(NULL, 10, NULL), KOSLI_NULL_PARAMETER);
}

int main(void) {
    char dir[] = "/tmp/kosli-c-test-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 2;
    }
    test_version();
    test_statuses();
    test_fingerprints(dir);
    test_null_and_utf8(dir);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", dir);
    }
    return harness_finish("c api basics");
}
