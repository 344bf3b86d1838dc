// convergence_checks.h — the end of a convergence run: faults off, the server up, every device
// synced until a whole round changes nothing; then what must hold:
//   (a) each device's state equals what the server serves that device's user: the Replica built
//       from a fresh pull (cursor 0, the device's own token) and the engine's Replica have the
//       same canonical_state() (every ticket field, comment and history entry, byte for byte);
//   (b) every op a device saw the server acknowledge is in the server's log, and the log holds
//       no op id twice;
//   (c) every user action a device acknowledged ("saved on this device", in this process or in a
//       killed child) is on the server exactly once — one ticket per filed title, one comment per
//       reply text — or is shown on its device as not accepted, with the server's reason;
//   (d) every device is enrolled and has nothing left waiting to be sent.
// The server's whole log is read by an auditor: a technician's engine enrolled before the last
// sync rounds, pulling from cursor 0 through sealed calls (as every device's own fresh pull does).
// Not here: the schedule (scenario.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lifebuoy/replica.h"
#include "lifebuoy/result.h"
#include "scenario.h"

namespace lb::convergence {

class ConvergenceChecks {
public:
    explicit ConvergenceChecks(Scenario& scenario) : s_(scenario) {}
    Status quiesce();
    void check_all(std::vector<std::string>& failures);

private:
    struct Pulled {
        Replica replica;
        std::size_t ops_served = 0;     // ops in the pages, duplicates included
        std::size_t duplicate_ids = 0;  // op ids served more than once
    };
    // Everything the server serves `device`, from cursor 0, through its sealed calls.
    Result<Pulled> pull_everything(SimDevice& device);

    Scenario& s_;
    std::unique_ptr<SimDevice> auditor_;
};

}  // namespace lb::convergence
