#pragma once
#include <optional>
#include <string>
#include <vector>

#include "domain/patient.hpp"
#include "domain/symptom.hpp"

namespace solace::ui {

// The admin's patients (issue 11 item 5): admit one, change a patient's details, end care
// (discharge or death) and set comfort goals. Draws the list the shell took between frames;
// what is asked for goes back as a Request, checked and saved by app/.
class AdminPatientsView {
  public:
    // A patient's details as typed.
    struct Details {
        std::string mrn, name, born, zone, diagnosis, on_call;
    };
    struct Request {
        enum Kind { admit, edit, discharge, set_goal } kind = admit;
        Details details{};    // admit, edit
        std::string mrn{};    // discharge, set_goal
        std::string reason{}; // discharge: died, transferred or other
        std::string when{};   // discharge: as typed; empty = now
        Symptom symptom = Symptom::pain;
        int goal = 3; // 0..10
    };

    // The patients as last read, by name.
    void show(std::vector<Patient> patients);
    // Saved: the message shows; an admission opens the new patient's page.
    void done(std::string message, const std::string& mrn = {});
    void refuse(std::string why);
    // The list fills the screen; choosing a patient opens their page (details, end of care,
    // comfort goal), which "< All patients" leaves.
    std::optional<Request> draw();

    // The form "Admit a patient" with the cursor in its first field (tests, keys).
    void start_admission();
    // The page of one patient (tests, keys).
    void open(const std::string& mrn);
    const std::string& error() const { return error_; }
    const std::string& message() const { return message_; }

  private:
    enum class Page { list, patient, admission };
    struct Row {
        Patient patient;
        std::string status; // "in care", "died Tue 3 Mar 04:10"
    };
    const Row* selected() const;
    void select(const std::string& mrn);
    void draw_list();
    std::optional<Request> draw_details(bool admitting);
    std::optional<Request> draw_end_of_care(const Row& row);
    std::optional<Request> draw_goal(const Row& row);

    std::vector<Row> rows_;
    Page page_ = Page::list;
    std::string selected_; // MRN
    bool focus_ = false;
    Details form_;
    std::string reason_; // empty until chosen: no end of care is assumed
    std::string when_;
    bool confirming_ = false; // "Record the death" clicked: asked again
    int symptom_ = 0;         // index into all_symptoms()
    int goal_ = 3;
    std::string error_, message_;
};

} // namespace solace::ui
