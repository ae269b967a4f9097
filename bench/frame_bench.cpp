// CPU time to build one frame of each view, headless (ImGui with no window and no GPU), on a
// demo database of 100 patients over 5 years beside one of 1 patient over 7 days; the ratio
// shows whether years of data reach the draw path. Goals: under 1 ms per frame for every view,
// ratio under 1.5. Snapshot refreshes (off the draw path, between frames) are printed too.
//
// Usage: bench_frame [frames per view, default 400]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <imgui.h>

#include "app/clinic.hpp"
#include "app/flag_cache.hpp"
#include "app/session.hpp"
#include "app/snapshot.hpp"
#include "headless.hpp"
#include "shell.hpp"
#include "store/account_repository.hpp"
#include "workload.hpp"

#if __has_include("history_view.hpp")
#define SOLACE_BENCH_HISTORY 1
#endif

namespace {

using namespace solace;

double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

struct ViewTime {
    std::string view;
    double median_ms = 0;
    double mean_ms = 0;
    double worst_ms = 0;
    double refresh_ms = 0; // taking the view's snapshots, between frames
    int vertices = 0;      // what the last frame drew: the frame is real work, not skipped
};

struct Case {
    const char* name;
    ui::PatientView::Tab tab;
    bool list = false;
};

std::vector<ViewTime> measure(const std::filesystem::path& db, int frames) {
    ui::Headless imgui(1200, 780);
    ui::Shell shell(db);
    imgui.draw = [&] { shell.draw(); };
    imgui.after_draw = [&] { shell.apply_pending(); };
    if (!shell.sign_in("nurse", "solace-nurse")) {
        std::fprintf(stderr, "bench_frame: cannot sign in as nurse to %s\n", db.c_str());
        std::exit(1);
    }
    // The list's snapshot (every patient's open flags), as Refresh takes it.
    const double t0 = thread_cpu_seconds();
    const auto list = app::patient_list(*shell.session(), now_utc());
    const double list_refresh = thread_cpu_seconds() - t0;
    if (list.patients.empty()) std::exit(1);
    const std::string mrn = shell.patient_list().patients.front().mrn;

    std::vector<Case> cases{{"patient list", ui::PatientView::Tab::visit, true},
                            {"visit", ui::PatientView::Tab::visit},
#ifdef SOLACE_BENCH_HISTORY
                            {"history", ui::PatientView::Tab::history},
#endif
                            {"medications", ui::PatientView::Tab::medications},
                            {"flags", ui::PatientView::Tab::flags}};
    std::vector<ViewTime> out;
    for (const auto& c : cases) {
        ViewTime v;
        v.view = c.name;
        if (c.list) {
            v.refresh_ms = list_refresh * 1e3;
        } else {
            const double r0 = thread_cpu_seconds();
            shell.open_patient(mrn, c.tab);
            v.refresh_ms = (thread_cpu_seconds() - r0) * 1e3;
        }
        for (int i = 0; i < 30; ++i) // the tab settles, caches fill
            imgui.frame();
        std::vector<double> ms;
        ms.reserve(std::size_t(frames));
        for (int i = 0; i < frames; ++i) {
            const double f0 = thread_cpu_seconds();
            imgui.frame();
            ms.push_back((thread_cpu_seconds() - f0) * 1e3);
        }
        v.vertices = ImGui::GetDrawData() ? ImGui::GetDrawData()->TotalVtxCount : 0;
        std::sort(ms.begin(), ms.end());
        v.median_ms = ms[ms.size() / 2];
        double sum = 0;
        for (double x : ms)
            sum += x;
        v.mean_ms = sum / double(ms.size());
        v.worst_ms = ms.back();
        out.push_back(v);
    }
    return out;
}

double wall_ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// The patient list's refresh after a save, as the window's list worker takes it (with its
// FlagCache), beside the same list worked out from scratch; on a copy of the database, since
// each round saves a visit. Goal: under 16 ms (one frame at 60 Hz).
void refresh_after_save(const std::filesystem::path& demo) {
    const auto path = bench::writable_copy(demo, "frame-bench-copy.db");
    store::Database db(path, store::Database::Mode::open_existing);
    const auto s = app::Session::login(db, "nurse", "solace-nurse");
    const auto patients = s.patients();
    app::FlagCache cache;
    app::patient_list(s, now_utc(), 7, &cache); // the list as it stood before
    std::vector<double> cached, full;
    for (int round = 0; round < 20; ++round) {
        app::VisitEntry v;
        v.mrn = patients[std::size_t(round * 7) % patients.size()].mrn;
        v.at = now_utc();
        v.scores.push_back({Symptom::pain, round % 11, ""});
        app::record_visit(s, v);
        auto t0 = std::chrono::steady_clock::now();
        const auto list = app::patient_list(s, now_utc(), 7, &cache);
        cached.push_back(wall_ms_since(t0));
        if (round % 5 == 0) {
            t0 = std::chrono::steady_clock::now();
            const auto again = app::patient_list(s, now_utc(), 7);
            full.push_back(wall_ms_since(t0));
        }
    }
    std::sort(cached.begin(), cached.end());
    std::sort(full.begin(), full.end());
    std::printf("Patient list refresh after a save (100 patients x 5 years), wall time over %zu "
                "saves: median %.2f ms, worst %.2f ms with the flag cache; %.1f ms from scratch. "
                "Goal (under 16 ms): %s\n",
                cached.size(), cached[cached.size() / 2], cached.back(), full[full.size() / 2],
                cached[cached.size() / 2] < 16.0 ? "met" : "NOT met");
}

// The window's start on the big database, headless (no GL window or driver, which the
// real start adds): from nothing to the sign-in screen drawn, and from the password's Enter to
// the patient list drawn, less the password hash's own time (Argon2id, chosen to be slow).
// The file check runs meanwhile in the background; the password is entered once it has ended,
// as a person typing takes that long (its time is printed too). Median of 5 runs. Goals
// (issue 14): 300 ms and 300 ms beyond the hash.
void start_times(const std::filesystem::path& demo) {
    std::string hash;
    {
        store::Database db(demo, store::Database::Mode::open_existing);
        hash = store::AccountRepository(db).find("nurse")->password_hash;
    }
    std::vector<double> to_login, to_list, hashing, checking;
    for (int run = 0; run < 5; ++run) {
        auto t0 = std::chrono::steady_clock::now();
        ui::Headless imgui(1200, 780);
        ui::Shell shell(demo);
        imgui.draw = [&] { shell.draw(); };
        imgui.after_draw = [&] { shell.apply_pending(); };
        imgui.frame();
        to_login.push_back(wall_ms_since(t0));
        if (shell.screen() != ui::Shell::Screen::login) {
            std::fprintf(stderr, "bench_frame: the window did not start at the sign-in screen\n");
            std::exit(1);
        }
        while (shell.checking_file()) {
            std::this_thread::sleep_for(std::chrono::milliseconds{10});
            imgui.frame();
        }
        checking.push_back(wall_ms_since(t0));
        t0 = std::chrono::steady_clock::now();
        if (!app::verify_password(hash, "solace-nurse")) std::exit(1);
        hashing.push_back(wall_ms_since(t0));
        t0 = std::chrono::steady_clock::now();
        if (!shell.sign_in("nurse", "solace-nurse")) std::exit(1);
        imgui.frame();
        to_list.push_back(wall_ms_since(t0));
        if (shell.patient_list().patients.empty()) std::exit(1);
    }
    for (auto* v : {&to_login, &to_list, &hashing, &checking})
        std::sort(v->begin(), v->end());
    const double login = to_login[2], list = to_list[2] - hashing[2];
    std::printf("Window start on 100 patients x 5 years (headless, median of 5): sign-in screen "
                "drawn after %.0f ms (goal 300 ms: %s); patient list drawn %.0f ms after the "
                "password, of which the password hash took %.0f ms, so %.0f ms beyond it (goal "
                "300 ms: %s); the file check ended %.0f ms after the start, in the background\n",
                login, login <= 300 ? "met" : "NOT met", to_list[2], hashing[2], list,
                list <= 300 ? "met" : "NOT met", checking[2]);
}

} // namespace

int main(int argc, char** argv) {
    const int frames = argc > 1 ? std::max(10, std::atoi(argv[1])) : 400;
    const auto big = bench::demo_database(100, 1825);
    const auto small = bench::demo_database(1, 7);
    const auto large = measure(big, frames);
    const auto tiny = measure(small, frames);

    std::printf("CPU time to build one frame, headless 1200x780, %d frames per view (median; "
                "mean; worst)\n",
                frames);
    std::printf("%-14s %28s %28s %7s   %-24s %s\n", "view", "100 patients x 5 years",
                "1 patient x 7 days", "ratio", "snapshot refresh", "vertices drawn");
    bool ok = true;
    for (std::size_t i = 0; i < large.size(); ++i) {
        const auto& a = large[i];
        const auto& b = tiny[i];
        const double ratio = b.median_ms > 0 ? a.median_ms / b.median_ms : 0;
        ok = ok && a.median_ms < 1.0 && ratio < 1.5;
        const auto refresh = fmt::format("{:.1f} vs {:.1f} ms", a.refresh_ms, b.refresh_ms);
        std::printf("%-14s %8.3f; %6.3f; %6.3f ms %8.3f; %6.3f; %6.3f ms %7.2f   %-24s %d vs %d\n",
                    a.view.c_str(), a.median_ms, a.mean_ms, a.worst_ms, b.median_ms, b.mean_ms,
                    b.worst_ms, ratio, refresh.c_str(), a.vertices, b.vertices);
    }
    // Where the larger database simply shows more on screen (a screenful of patients against
    // one), the time per thing drawn tells whether the data's size reached the frame.
    for (std::size_t i = 0; i < large.size(); ++i)
        if (large[i].vertices > 2 * tiny[i].vertices && tiny[i].vertices > 0)
            std::printf("%s draws %.1fx more (%d vs %d vertices): %.2f vs %.2f us per 1000 "
                        "vertices\n",
                        large[i].view.c_str(), double(large[i].vertices) / tiny[i].vertices,
                        large[i].vertices, tiny[i].vertices,
                        large[i].median_ms * 1e6 / large[i].vertices,
                        tiny[i].median_ms * 1e6 / tiny[i].vertices);
    std::printf("Goal (every view under 1 ms a frame, ratio under 1.5): %s\n",
                ok ? "met" : "NOT met");
    refresh_after_save(big);
    start_times(big);
    return 0;
}
