/* deploy.c: run a deploy command, and report the deployment to Kosli only after it succeeded.
 *
 *   deploy --env ENV --name NAME --path PATH [--journal DIR] -- COMMAND [ARGS...]
 *
 * 1. Fingerprints PATH (the artifact being deployed) so that a missing artifact stops the
 *    deploy before anything runs.
 * 2. Runs COMMAND. If it fails, nothing is reported and its exit code is returned.
 * 3. If it succeeded, reports a snapshot of the server environment ENV: the artifact NAME at
 *    PATH (`kosli snapshot path`). With a journal (--journal, or KOSLI_JOURNAL_DIR), a Kosli
 *    outage does not fail the deploy: the report is queued and delivered by a later flush.
 *
 * Host, org and token come from KOSLI_HOST, KOSLI_ORG and KOSLI_API_TOKEN (or ~/.kosli.yml).
 * Build (see README, C quickstart):
 *   cc deploy.c $(pkg-config --cflags --libs kosli) -o deploy */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kosli.h>

static int fail(const char *what) {
    char msg[1024];
    kosli_last_error_message(msg, sizeof msg, NULL);
    fprintf(stderr, "deploy: %s: %s\n", what, msg);
    return 2;
}

/* Runs argv[0] with its arguments and returns its exit code (127 when it cannot start). */
static int run(char **argv) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return 127;
    if (pid == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "deploy: cannot run %s\n", argv[0]);
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) < 0) return 127;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int main(int argc, char **argv) {
    const char *env = NULL, *name = NULL, *path = NULL, *journal = NULL;
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char **slot = strcmp(argv[i], "--env") == 0       ? &env
                            : strcmp(argv[i], "--name") == 0    ? &name
                            : strcmp(argv[i], "--path") == 0    ? &path
                            : strcmp(argv[i], "--journal") == 0 ? &journal
                                                                : NULL;
        if (slot == NULL || i + 1 >= argc) break;
        *slot = argv[++i];
    }
    if (env == NULL || name == NULL || path == NULL || i + 1 >= argc || strcmp(argv[i], "--") != 0) {
        fprintf(stderr, "usage: deploy --env ENV --name NAME --path PATH [--journal DIR] -- COMMAND [ARGS...]\n");
        return 2;
    }
    char **command = &argv[i + 1];

    /* The artifact must exist before anything is deployed. */
    char fp[KOSLI_FINGERPRINT_BUFFER_SIZE];
    kosli_status s = kosli_fingerprint_file(path, NULL, fp, sizeof fp);
    if (s != KOSLI_OK) s = kosli_fingerprint_dir(path, NULL, 0, NULL, fp, sizeof fp);
    if (s != KOSLI_OK) return fail("fingerprint");

    /* Configuration errors show before the deploy, not after it. */
    kosli_config *config = kosli_config_new();
    if (journal != NULL && kosli_config_set_journal_dir(config, journal) != KOSLI_OK) {
        kosli_config_free(config);
        return fail("journal");
    }
    kosli_client *client = NULL;
    if (kosli_client_from_env(config, &client) != KOSLI_OK) return fail("configuration");

    int code = run(command);
    if (code != 0) {
        fprintf(stderr, "deploy: the deploy command failed (exit code %d): nothing reported\n", code);
        kosli_client_free(client);
        return code;
    }

    kosli_outcome *outcome = NULL;
    s = kosli_client_snapshot_path(client, env, name, path, NULL, &outcome);
    kosli_client_free(client);
    if (s != KOSLI_OK) return fail("report");
    switch (kosli_outcome_kind(outcome)) {
    case KOSLI_OUTCOME_QUEUED:
        printf("deployed %s (%s); Kosli unreachable: report queued as %s\n", name, fp, kosli_outcome_journal_id(outcome));
        break;
    case KOSLI_OUTCOME_DRY_RUN:
        printf("deployed %s (%s); dry-run:\n%s\n", name, fp, kosli_outcome_dry_run(outcome));
        break;
    default:
        printf("deployed %s (%s); reported to environment %s\n", name, fp, env);
    }
    kosli_outcome_free(outcome);
    return 0;
}
