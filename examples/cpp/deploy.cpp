// deploy.cpp: the C deploy tool's job in C++17 over the same header, with RAII wrappers: run a
// deploy command, gate it on Kosli's verdict first if asked, and report the deployment only
// after the command succeeded.
//
//   deploy_cpp --env ENV --name NAME --path PATH [--flow FLOW --assert] [--journal DIR] -- COMMAND [ARGS...]
//
// With --assert, the artifact must be compliant in Kosli (in FLOW) before the command runs.
// Build (see README, C quickstart):
//   c++ -std=c++17 deploy.cpp $(pkg-config --cflags --libs kosli) -o deploy_cpp
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <kosli.h>

namespace kosli {

// A failed call: its status and this thread's last error message.
class Error : public std::runtime_error {
  public:
    Error(const std::string &what, kosli_status status)
        : std::runtime_error(what + ": " + last_message()), status_(status) {}
    kosli_status status() const noexcept { return status_; }

  private:
    static std::string last_message() {
        size_t needed = 0;
        kosli_last_error_message(nullptr, 0, &needed);
        std::string text(needed, '\0');
        if (needed > 0 && kosli_last_error_message(text.data(), text.size(), nullptr) == KOSLI_OK) {
            text.resize(needed - 1);
        }
        return text;
    }
    kosli_status status_;
};

inline void check(kosli_status status, const char *what) {
    if (status != KOSLI_OK) throw Error(what, status);
}

// Each handle owned by a unique_ptr that frees it with its own _free function.
struct ClientFree {
    void operator()(kosli_client *c) const noexcept { kosli_client_free(c); }
};
struct ConfigFree {
    void operator()(kosli_config *c) const noexcept { kosli_config_free(c); }
};
struct OutcomeFree {
    void operator()(kosli_outcome *o) const noexcept { kosli_outcome_free(o); }
};
struct StringFree {
    void operator()(char *s) const noexcept { kosli_string_free(s); }
};
using Client = std::unique_ptr<kosli_client, ClientFree>;
using Config = std::unique_ptr<kosli_config, ConfigFree>;
using Outcome = std::unique_ptr<kosli_outcome, OutcomeFree>;
using String = std::unique_ptr<char, StringFree>;

// A client configured as the CLI is (KOSLI_* variables, ~/.kosli.yml), with an optional journal.
inline Client client_from_env(const std::string &journal) {
    Config config(kosli_config_new());
    if (!journal.empty()) check(kosli_config_set_journal_dir(config.get(), journal.c_str()), "journal");
    kosli_client *raw = nullptr;
    // kosli_client_from_env consumes the configuration whatever the result.
    check(kosli_client_from_env(config.release(), &raw), "configuration");
    return Client(raw);
}

inline std::string fingerprint(const std::string &path) {
    char fp[KOSLI_FINGERPRINT_BUFFER_SIZE];
    if (kosli_fingerprint_file(path.c_str(), nullptr, fp, sizeof fp) != KOSLI_OK) {
        check(kosli_fingerprint_dir(path.c_str(), nullptr, 0, nullptr, fp, sizeof fp), "fingerprint");
    }
    return fp;
}

}  // namespace kosli

static int run(std::vector<char *> argv) {
    argv.push_back(nullptr);
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid < 0) return 127;
    if (pid == 0) {
        execvp(argv[0], argv.data());
        std::fprintf(stderr, "deploy_cpp: cannot run %s\n", argv[0]);
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) < 0) return 127;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int main(int argc, char **argv) {
    std::string env, name, path, flow, journal;
    bool gate = false;
    int i = 1;
    for (; i < argc && std::string(argv[i]) != "--"; i++) {
        std::string arg = argv[i];
        if (arg == "--assert") {
            gate = true;
            continue;
        }
        std::string *slot = arg == "--env" ? &env : arg == "--name" ? &name : arg == "--path" ? &path
                          : arg == "--flow" ? &flow : arg == "--journal" ? &journal : nullptr;
        if (slot == nullptr || i + 1 >= argc) break;
        *slot = argv[++i];
    }
    if (env.empty() || name.empty() || path.empty() || i + 1 >= argc || std::string(argv[i]) != "--") {
        std::fprintf(stderr, "usage: deploy_cpp --env ENV --name NAME --path PATH [--flow FLOW --assert] [--journal DIR] -- COMMAND [ARGS...]\n");
        return 2;
    }
    std::vector<char *> command(argv + i + 1, argv + argc);
    try {
        const std::string fp = kosli::fingerprint(path);
        kosli::Client client = kosli::client_from_env(journal);
        if (gate) {
            std::string options = flow.empty() ? "{}" : "{\"flow\": \"" + flow + "\"}";
            bool compliant = false;
            char *raw = nullptr;
            kosli::check(kosli_client_assert_artifact(client.get(), fp.c_str(), options.c_str(), &compliant, &raw), "assert");
            kosli::String verdict(raw);
            if (!compliant) {
                std::fprintf(stderr, "deploy_cpp: %s is not compliant: not deployed\n%s\n", name.c_str(), verdict.get());
                return 3;
            }
        }
        int code = run(command);
        if (code != 0) {
            std::fprintf(stderr, "deploy_cpp: the deploy command failed (exit code %d): nothing reported\n", code);
            return code;
        }
        kosli_outcome *raw = nullptr;
        kosli::check(kosli_client_snapshot_path(client.get(), env.c_str(), name.c_str(), path.c_str(), nullptr, &raw), "report");
        kosli::Outcome outcome(raw);
        if (kosli_outcome_kind(outcome.get()) == KOSLI_OUTCOME_QUEUED) {
            std::printf("deployed %s (%s); Kosli unreachable: report queued as %s\n", name.c_str(), fp.c_str(),
                        kosli_outcome_journal_id(outcome.get()));
        } else {
            std::printf("deployed %s (%s); reported to environment %s\n", name.c_str(), fp.c_str(), env.c_str());
        }
        return 0;
    } catch (const kosli::Error &e) {
        std::fprintf(stderr, "deploy_cpp: %s\n", e.what());
        return 2;
    }
}
