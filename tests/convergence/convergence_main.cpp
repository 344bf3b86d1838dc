// convergence_main.cpp — lifebuoy-convergence: several native engines and the real lifebuoy-server
// under injected faults must end with identical state and no acknowledged op lost (scenario.h,
// convergence_checks.h). The test command runs the quick mode (ctest "convergence:quick");
// --soak SECONDS runs the same schedule for longer.
//
//   lifebuoy-convergence --server-bin PATH [--seed N] [--soak SECONDS] [--ticks N]
//                        [--requesters N] [--guests N] [--technicians N] [--keep] [--verbose]
// Enrolment gets the same faults as every other exchange (--fault-enrolment, once needed for
// that, is still accepted and changes nothing).
// Without --seed a fresh seed is drawn and printed first; a failure is replayed with --seed.
// Exit status: 0 pass, 1 a check failed (the work folder with every device's database and the
// server's data and logs is kept and named), 2 bad usage.
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "scenario.h"

namespace {

void usage() {
    std::fprintf(stderr,
                 "usage: lifebuoy-convergence --server-bin PATH [--seed N] [--soak SECONDS] [--ticks N]\n"
                 "                            [--requesters N] [--guests N] [--technicians N] [--keep] [--verbose]\n");
}

bool parse_number(const char* text, std::uint64_t& out) {
    char* end = nullptr;
    errno = 0;
    unsigned long long value = std::strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0') return false;
    out = value;
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    lb::convergence::ScenarioOptions options;
    bool seeded = false;
    if (const char* env = std::getenv("LB_SERVER_BIN")) options.server_binary = env;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto number = [&](std::uint64_t& out) {
            if (i + 1 >= argc || !parse_number(argv[++i], out)) {
                std::fprintf(stderr, "lifebuoy-convergence: %s needs a number\n", arg.c_str());
                std::exit(2);
            }
        };
        std::uint64_t n = 0;
        if (arg == "--server-bin" && i + 1 < argc)
            options.server_binary = argv[++i];
        else if (arg == "--seed") {
            number(options.seed);
            seeded = true;
        } else if (arg == "--soak") {
            number(n);
            options.soak_seconds = static_cast<int>(n);
        } else if (arg == "--ticks")
            number(options.ticks);
        else if (arg == "--requesters") {
            number(n);
            options.requesters = static_cast<int>(n);
        } else if (arg == "--guests") {
            number(n);
            options.guests = static_cast<int>(n);
        } else if (arg == "--technicians") {
            number(n);
            options.technicians = static_cast<int>(n);
        } else if (arg == "--keep")
            options.keep_work_dir = true;
        else if (arg == "--fault-enrolment") {
            // the default now: enrolment is idempotent (enrolment_id), so it gets every fault
        }
        else if (arg == "--verbose")
            options.verbose = true;
        else if (arg == "--help" || arg == "-h") {
            usage();
            return 0;
        } else {
            std::fprintf(stderr, "lifebuoy-convergence: unknown argument '%s'\n", arg.c_str());
            usage();
            return 2;
        }
    }
    if (options.server_binary.empty()) {
        std::fprintf(stderr, "lifebuoy-convergence: --server-bin (or LB_SERVER_BIN) must name lifebuoy-server\n");
        return 2;
    }
    if (options.requesters + options.guests + options.technicians < 1) {
        std::fprintf(stderr, "lifebuoy-convergence: at least one device\n");
        return 2;
    }
    if (!seeded) options.seed = std::random_device{}() % 1'000'000'000u;
    lb::convergence::Scenario scenario(options);
    return scenario.run().passed ? 0 : 1;
}
