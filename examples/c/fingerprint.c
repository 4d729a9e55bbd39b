/* fingerprint.c: print the Kosli fingerprint of a folder, skipping log files.
 * Build (see README, C quickstart):
 *   cc fingerprint.c $(pkg-config --cflags --libs kosli) -o fingerprint */
#include <stdio.h>

#include <kosli.h>

int main(int argc, char **argv) {
    char fp[KOSLI_FINGERPRINT_BUFFER_SIZE];
    const char *excludes[] = {"**/*.log"};
    if (kosli_fingerprint_dir(argc > 1 ? argv[1] : ".", excludes, 1, NULL, fp, sizeof fp) != KOSLI_OK) {
        char msg[1024];
        kosli_last_error_message(msg, sizeof msg, NULL);
        fprintf(stderr, "Error: %s\n", msg);
        return 1;
    }
    printf("%s\n", fp);
    return 0;
}
