// The weekly summary on a demo database of 100 patients over 5 years: the time to produce one
// patient-week's PDF (model and drawing), and its parts. Goal: under 300 ms for one PDF.
// The first PDF of a process also loads fontconfig and the fonts; that figure is printed first.
#include <cstdio>

#include <benchmark/benchmark.h>

#include "report/pdf.hpp"
#include "report/weekly_summary.hpp"
#include "workload.hpp"

namespace {

using namespace solace;

struct World {
    store::Database db;
    app::Session session;
    Patient patient;
    report::IsoWeek last_week, old_week;
    Instant now = now_utc();
    World()
        : db(bench::demo_database(100, 1825), store::Database::Mode::open_existing),
          session(app::Session::login(db, "nurse", "solace-nurse")),
          patient(session.patients().front()) {
        const auto* zone = find_zone(patient.time_zone);
        last_week = report::parse_week("last", now, zone);
        const auto old_day = date::floor<date::days>(zone->to_local(now - date::days{900}));
        old_week = report::week_of(old_day);
    }
};

World& world() {
    static World w;
    return w;
}

report::PdfFile patient_week_pdf(World& w, report::IsoWeek week) {
    return report::render_pdf(report::build_weekly_summary(w.session, w.patient, week, w.now));
}

void BM_ReportPatientWeekPdf(benchmark::State& state) {
    auto& w = world();
    report::PdfFile pdf;
    for (auto _ : state)
        pdf = patient_week_pdf(w, w.last_week);
    state.counters["pages"] = pdf.pages;
    state.counters["kB"] = static_cast<double>(pdf.bytes.size()) / 1024.0;
}

void BM_ReportPatientWeekPdfThreeYearsAgo(benchmark::State& state) {
    auto& w = world();
    for (auto _ : state)
        benchmark::DoNotOptimize(patient_week_pdf(w, w.old_week));
}

void BM_ReportModelOnly(benchmark::State& state) {
    auto& w = world();
    for (auto _ : state)
        benchmark::DoNotOptimize(
            report::build_weekly_summary(w.session, w.patient, w.last_week, w.now));
}

void BM_ReportDrawPdfOnly(benchmark::State& state) {
    auto& w = world();
    const auto summary = report::build_weekly_summary(w.session, w.patient, w.last_week, w.now);
    for (auto _ : state)
        benchmark::DoNotOptimize(report::render_pdf(summary));
}

// The window's preview: one page at 2 pixels per point (144 dpi).
void BM_ReportPreviewPageImage(benchmark::State& state) {
    auto& w = world();
    const auto summary = report::build_weekly_summary(w.session, w.patient, w.last_week, w.now);
    for (auto _ : state)
        benchmark::DoNotOptimize(report::render_page_image(summary, 0, 2.0));
}

BENCHMARK(BM_ReportPatientWeekPdf)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReportPatientWeekPdfThreeYearsAgo)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReportModelOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReportDrawPdfOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReportPreviewPageImage)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    auto& w = world();
    report::PdfFile first;
    const double cold = bench::seconds([&] { first = patient_week_pdf(w, w.last_week); });
    std::printf("First patient-week PDF of the process (%s, %s, %d pages), fonts loaded on the "
                "way: %.0f ms (goal < 300 ms)\n",
                w.patient.mrn.c_str(), report::format_week(w.last_week).c_str(), first.pages,
                cold * 1000);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
