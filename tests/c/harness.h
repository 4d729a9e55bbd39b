/* A tiny test harness for the C API tests: CHECK(cond) records a pass or a failure. */
#ifndef KOSLI_TEST_HARNESS_H
#define KOSLI_TEST_HARNESS_H
#include <stdio.h>

static int harness_passed = 0;
static int harness_failed = 0;

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (cond) {                                                                 \
            harness_passed++;                                                       \
        } else {                                                                    \
            harness_failed++;                                                       \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);         \
        }                                                                           \
    } while (0)

#define CHECK_STATUS(call, expected)                                                \
    do {                                                                            \
        kosli_status got_ = (call);                                                 \
        if (got_ == (expected)) {                                                   \
            harness_passed++;                                                       \
        } else {                                                                    \
            char msg_[512] = {0};                                                   \
            kosli_last_error_message(msg_, sizeof msg_, NULL);                      \
            harness_failed++;                                                       \
            fprintf(stderr, "FAIL %s:%d: %s returned %s, expected %s (%s)\n",       \
                    __FILE__, __LINE__, #call, kosli_status_name((uint32_t)got_),   \
                    kosli_status_name((uint32_t)(expected)), msg_);                 \
        }                                                                           \
    } while (0)

static int harness_finish(const char *suite) {
    printf("%s: %d passed, %d failed\n", suite, harness_passed, harness_failed);
    return harness_failed == 0 ? 0 : 1;
}
#endif
