/* Talking to fake-kosli's control endpoints from the C tests (POSIX sockets, HTTP/1.1 with
 * Connection: close): reset its request log, read it back, seed data. KOSLI_TEST_HOST is
 * http://127.0.0.1:PORT (set by run.sh). */
#ifndef KOSLI_TEST_FAKE_H
#define KOSLI_TEST_FAKE_H
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Sends one request and returns the response body (malloc'd, NUL-terminated; free it), or
 * NULL when the fake cannot be reached. */
static char *fake_http(const char *method, const char *path, const char *body) {
    const char *host = getenv("KOSLI_TEST_HOST");
    const char *colon = host ? strrchr(host, ':') : NULL;
    if (colon == NULL) return NULL;
    int port = atoi(colon + 1);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return NULL;
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return NULL;
    }
    size_t body_len = body ? strlen(body) : 0;
    char head[512];
    int n = snprintf(head, sizeof head,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                     method, path, body_len);
    if (write(fd, head, (size_t)n) != n || (body_len && write(fd, body, body_len) != (ssize_t)body_len)) {
        close(fd);
        return NULL;
    }
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        ssize_t got = read(fd, buf + len, cap - len - 1);
        if (got <= 0) break;
        len += (size_t)got;
    }
    close(fd);
    buf[len] = 0;
    char *start = strstr(buf, "\r\n\r\n");
    if (start == NULL) {
        free(buf);
        return NULL;
    }
    start += 4;
    memmove(buf, start, strlen(start) + 1);
    return buf;
}

/* Forgets the requests the fake saw so far. */
static void fake_clear_requests(void) { free(fake_http("DELETE", "/__control/requests", NULL)); }

/* The requests the fake saw since the last clear, as its JSON text (free it). */
static char *fake_requests(void) { return fake_http("GET", "/__control/requests", NULL); }

/* How many times `needle` occurs in `haystack`. */
static int count_of(const char *haystack, const char *needle) {
    int n = 0;
    size_t len = strlen(needle);
    for (const char *p = haystack ? strstr(haystack, needle) : NULL; p; p = strstr(p + len, needle)) n++;
    return n;
}
#endif
