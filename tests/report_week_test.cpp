// The weekly summary's pure parts: ISO weeks in the patient's zone, paper sizes, and drawing a
// hand-made summary to a PDF and to a preview image. No database, no clock, no TZ.
#include <catch2/catch.hpp>

#include <algorithm>

#include "domain/error.hpp"
#include "report/pdf.hpp"
#include "report/weekly_summary.hpp"
#include "support.hpp"

using namespace solace;
using namespace solace::report;
using solace::test::utc;

TEST_CASE("A week is read as YYYY-Www in several spellings", "[report]") {
    const auto* zone = find_zone("Europe/London");
    const auto now = utc(2026, 6, 1);
    CHECK(parse_week("2026-W10", now, zone) == IsoWeek{2026, 10});
    CHECK(parse_week(" 2026w10 ", now, zone) == IsoWeek{2026, 10});
    CHECK(parse_week("2020-W53", now, zone) == IsoWeek{2020, 53});
    CHECK(parse_week("2026-W53", now, zone) == IsoWeek{2026, 53});
    CHECK_THROWS_AS(parse_week("2025-W53", now, zone), ValidationError);
    CHECK_THROWS_AS(parse_week("2026-W0", now, zone), ValidationError);
    CHECK_THROWS_AS(parse_week("2026-03-02", now, zone), ValidationError);
    CHECK_THROWS_WITH(parse_week("soon", now, zone), Catch::Contains("such as 2026-W10"));
}

TEST_CASE("This week and last week are the patient's, not the machine's", "[report]") {
    // 03:00 UTC on Monday 9 March 2026 is still Sunday evening in New York.
    const auto now = utc(2026, 3, 9, 3);
    CHECK(parse_week("this", now, find_zone("America/New_York")) == IsoWeek{2026, 10});
    CHECK(parse_week("last", now, find_zone("America/New_York")) == IsoWeek{2026, 9});
    CHECK(parse_week("This", now, find_zone("Europe/London")) == IsoWeek{2026, 11});
    CHECK(parse_week("last", now, find_zone("Europe/London")) == IsoWeek{2026, 10});
}

TEST_CASE("ISO weeks start on Monday and may straddle a new year", "[report]") {
    using namespace date::literals;
    CHECK(monday_of({2026, 1}) == date::local_days{2025_y / date::December / 29});
    CHECK(week_of(date::local_days{2027_y / date::January / 1}) == IsoWeek{2026, 53});
    CHECK(week_of(date::local_days{2026_y / date::March / 8}) == IsoWeek{2026, 10});
    CHECK(format_week({2026, 3}) == "2026-W03");
    CHECK(week_dates({2026, 10}) == "Mon 2 Mar – Sun 8 Mar 2026");
    CHECK(week_dates({2026, 1}) == "Mon 29 Dec 2025 – Sun 4 Jan 2026");
}

TEST_CASE("Paper follows the locale's territory, A4 unless it uses Letter", "[report]") {
    CHECK(paper_for_locale("en_US.UTF-8") == Paper::letter);
    CHECK(paper_for_locale("fr_CA.UTF-8") == Paper::letter);
    CHECK(paper_for_locale("es_MX") == Paper::letter);
    CHECK(paper_for_locale("en_GB.UTF-8") == Paper::a4);
    CHECK(paper_for_locale("de_DE@euro") == Paper::a4);
    CHECK(paper_for_locale("C.UTF-8") == Paper::a4);
    CHECK(paper_for_locale("") == Paper::a4);
    CHECK(parse_paper("Letter") == Paper::letter);
    CHECK(parse_paper("A4") == Paper::a4);
    CHECK_THROWS_AS(parse_paper("legal"), ValidationError);
    CHECK(page_size(Paper::letter).width == 612);
    CHECK(page_size(Paper::a4).height == Approx(841.89).margin(0.01));
}

namespace {

WeeklySummary small_week() {
    WeeklySummary w;
    w.patient.id = 1;
    w.patient.mrn = "P1";
    w.patient.name = "Ольга Иванова";
    w.patient.time_zone = "Europe/Moscow";
    w.patient.date_of_birth = date::year{1950} / 5 / 17;
    w.week = {2026, 10};
    w.start = utc(2026, 3, 1, 21); // Monday 00:00 in Moscow (UTC+3)
    w.end = utc(2026, 3, 8, 21);
    w.made_at = utc(2026, 3, 10);
    w.made_by = "ann";
    w.visits = 1;
    w.scores_by_reporter = {2, 0, 0};
    SymptomSummary pain;
    pain.points = {{utc(2026, 3, 2, 9), 3, Reporter::patient},
                   {utc(2026, 3, 4, 9), 7, Reporter::patient}};
    pain.last = pain.highest = 7;
    pain.lowest = 3;
    pain.band = Band::severe;
    pain.mean = 5;
    pain.goal = 4;
    w.symptoms.push_back(pain);
    return w;
}

} // namespace

TEST_CASE("A page renders to an opaque RGBA image the size of the paper", "[report]") {
    const auto w = small_week();
    REQUIRE(page_count(w) == 1);
    const auto img = render_page_image(w, 0, 1.0);
    CHECK(img.width == 596); // 595.28 points, rounded up
    CHECK(img.height == 842);
    REQUIRE(img.rgba.size() == 596u * 842u * 4u);
    CHECK(img.rgba[0] == 255);
    CHECK(img.rgba[3] == 255);
    std::size_t dark = 0, translucent = 0;
    for (std::size_t i = 0; i < img.rgba.size(); i += 4) {
        if (img.rgba[i + 3] != 255) ++translucent;
        if (img.rgba[i] < 64) ++dark;
    }
    CHECK(translucent == 0);
    CHECK(dark > 1000); // text and markers were drawn

    const auto big = render_page_image(w, 0, 2.0, {Paper::letter});
    CHECK(big.width == 1224);
    CHECK(big.height == 1584);
    CHECK_THROWS_AS(render_page_image(w, 1, 1.0), ValidationError);
}

TEST_CASE("The PDF of a hand-made summary has its pages and a PDF header", "[report]") {
    const auto pdf = render_pdf(small_week());
    CHECK(pdf.pages == 1);
    CHECK(pdf.bytes.rfind("%PDF-", 0) == 0);
}
