/* Fingerprints DIR through the C API RUNS times and prints the best wall-clock seconds.
 * Usage: fingerprint_repeat DIR RUNS   (see benches/c_vs_rust.sh) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kosli.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s DIR RUNS\n", argv[0]);
        return 2;
    }
    int runs = atoi(argv[2]);
    double best = 1e9;
    char fp[KOSLI_FINGERPRINT_BUFFER_SIZE];
    for (int i = 0; i < runs; i++) {
        double start = now();
        if (kosli_fingerprint_dir(argv[1], NULL, 0, NULL, fp, sizeof fp) != KOSLI_OK) {
            char msg[1024];
            kosli_last_error_message(msg, sizeof msg, NULL);
            fprintf(stderr, "Error: %s\n", msg);
            return 1;
        }
        double took = now() - start;
        if (took < best) best = took;
    }
    printf("%s %.6f\n", fp, best);
    return 0;
}
