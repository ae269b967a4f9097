#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "app/clinic.hpp"
#include "app/session.hpp"

namespace solace::app {

// A visit typed and not yet saved. Kept in the database as the user types, so that a lock, a
// switch of patient or view, or a crash of the program loses nothing; offered back on return.
struct VisitDraft {
    VisitEntry visit;  // mrn and at are not kept
    bool more = false; // the optional ESAS-r items were shown
    Instant updated_at{};
};

std::string visit_draft_json(const VisitEntry& v, bool more);
// Nothing when the text is not a visit draft (or holds nothing worth offering back).
std::optional<VisitDraft> parse_visit_draft(std::string_view json);

// Drafts belong to the account that typed them; reading one needs read access to the patient.
void keep_visit_draft(const Session& s, const Patient& p, const VisitEntry& v, bool more,
                      Instant now);
std::optional<VisitDraft> find_visit_draft(const Session& s, const Patient& p);
void clear_visit_draft(const Session& s, const Patient& p);

// How the window looks for one account. A family account reads larger text by default.
struct Preferences {
    bool dark = false;
    float text_scale = 1.0f; // 1.0, 1.25 or 1.5: multiplies the 18 px body text
};
inline constexpr float text_scales[] = {1.0f, 1.25f, 1.5f};

Preferences preferences(const Session& s);
void set_preferences(const Session& s, const Preferences& p);

// The printer (a CUPS queue name) the account printed to last, so the window offers it first;
// empty when none is kept.
std::string last_printer(const Session& s);
// Keeps `printer` as the account's last printer. Names longer than CUPS allows (127 bytes) or
// empty are not kept.
void remember_printer(const Session& s, std::string_view printer);

} // namespace solace::app
