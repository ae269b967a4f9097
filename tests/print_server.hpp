#pragma once
// The private print server ctest starts for the tests tagged [cups] (tests/print_server.sh,
// folder in SOLACE_PRINT_SERVER): cups-pdf queues pdf (default, A4), letter, duplex, stopped
// and rejecting, whose printed PDFs land in its out/ folder.
#include <cups/cups.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "support.hpp"

namespace solace::test {

namespace fs = std::filesystem;

// The private print server ctest started, for as long as this object lives: libcups in this
// process and the programs it starts talk to it and to nothing else.
class PrintServer {
  public:
    PrintServer() {
        const char* dir = std::getenv("SOLACE_PRINT_SERVER");
        if (dir && fs::exists(fs::path(dir) / "cups.sock")) {
            dir_ = dir;
            ::setenv("CUPS_SERVER", socket().c_str(), 1);
            cupsSetServer(socket().c_str());
            return;
        }
        std::string why = "SOLACE_PRINT_SERVER is not set: run this test through ctest, which "
                          "starts the print server (tests/print_server.sh)";
        if (dir && fs::exists(fs::path(dir) / "unavailable"))
            why = read_file(fs::path(dir) / "unavailable");
        else if (dir)
            why = fmt::format("no print server answers in {}", dir);
        // In CI the print server must be there: a skipped printing test would hide a failure.
        if (const char* ci = std::getenv("CI"); ci && std::string(ci) == "true")
            FAIL("The printing tests cannot run in CI: " << why);
        std::cout << "SKIPPED: the printing tests need a print server: " << why << '\n';
    }
    ~PrintServer() {
        if (dir_.empty()) return;
        ::unsetenv("CUPS_SERVER");
        cupsSetServer(nullptr);
    }
    PrintServer(const PrintServer&) = delete;
    PrintServer& operator=(const PrintServer&) = delete;

    explicit operator bool() const { return !dir_.empty(); }
    std::string socket() const { return (dir_ / "cups.sock").string(); }

    struct Job {
        std::string state; // "completed", "aborted", ...
        std::string title, sides, media;
        int copies = 0;
        fs::path pdf; // what the queue produced, once completed
    };

    // Job `id` once CUPS finished with it (up to 30 s: Ghostscript may be slow under ASan).
    Job finished(int id) const {
        Job job;
        for (int i = 0; i < 600; ++i) {
            job = attributes(id);
            if (job.state == "completed" || job.state == "aborted" || job.state == "canceled")
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        const std::string suffix = fmt::format("-job_{}.pdf", id);
        for (const auto& f : fs::directory_iterator(dir_ / "out")) {
            const auto name = f.path().filename().string();
            if (name.size() > suffix.size() && name.ends_with(suffix)) job.pdf = f.path();
        }
        return job;
    }

    // Jobs the server holds in any state, as CUPS counts them.
    int jobs() const {
        cups_job_t* list = nullptr;
        const int n = cupsGetJobs2(CUPS_HTTP_DEFAULT, &list, nullptr, 0, CUPS_WHICHJOBS_ALL);
        cupsFreeJobs(n, list);
        return n;
    }

  private:
    Job attributes(int id) const {
        Job job;
        ipp_t* request = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
        const std::string uri = fmt::format("ipp://localhost/jobs/{}", id);
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", nullptr, uri.c_str());
        // CUPS shows a job's title only to its owner.
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr,
                     cupsUser());
        ipp_t* response = cupsDoRequest(CUPS_HTTP_DEFAULT, request, "/");
        if (!response) return job;
        auto text = [&](const char* name) -> std::string {
            ipp_attribute_t* a = ippFindAttribute(response, name, IPP_TAG_ZERO);
            const char* v = a ? ippGetString(a, 0, nullptr) : nullptr;
            return v ? v : "";
        };
        if (ipp_attribute_t* a = ippFindAttribute(response, "job-state", IPP_TAG_ENUM))
            job.state = ippEnumString("job-state", ippGetInteger(a, 0));
        if (ipp_attribute_t* a = ippFindAttribute(response, "copies", IPP_TAG_INTEGER))
            job.copies = ippGetInteger(a, 0);
        job.title = text("job-name");
        job.sides = text("sides");
        job.media = text("media");
        ippDelete(response);
        return job;
    }

    fs::path dir_;
};

} // namespace solace::test
