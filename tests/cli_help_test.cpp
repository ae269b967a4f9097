// `solace --help` and `solace VERB --help` (issue 7): every verb says what it does with an
// example, and the man page (man/solace.1) documents every verb and each of its options.
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support.hpp"

using solace::test::read_file;
using solace::test::run_solace;

namespace {

// The names listed under "Subcommands:" in CLI11's help text.
std::vector<std::string> subcommands(const std::string& help) {
    std::vector<std::string> out;
    const auto at = help.find("\nSubcommands:\n");
    if (at == std::string::npos) return out;
    std::istringstream lines(help.substr(at + 14));
    static const std::regex row(R"(^  ([a-z][a-z0-9-]*)\s.*)");
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) break; // the footer (the window's options) follows
        std::smatch m;
        if (std::regex_match(line, m, row)) out.push_back(m[1]);
    }
    return out;
}

// The long options listed under "Options:", --help aside.
std::vector<std::string> options(const std::string& help) {
    std::vector<std::string> out;
    const auto at = help.find("\nOptions:\n");
    if (at == std::string::npos) return out;
    std::istringstream lines(help.substr(at + 10));
    static const std::regex row(R"(^  (?:-[a-zA-Z],)?(--[a-z][a-z0-9-]*)\b.*)");
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] != ' ') break;
        std::smatch m;
        if (std::regex_match(line, m, row) && m[1] != "--help") out.push_back(m[1]);
    }
    return out;
}

struct Verb {
    std::vector<std::string> path; // {"export", "fhir"}
    std::string help;
    std::string name() const {
        std::string s = "solace";
        for (const auto& p : path)
            s += " " + p;
        return s;
    }
};

// Every leaf verb, with its --help text, found by walking the help from the top.
std::vector<Verb> leaf_verbs() {
    std::vector<Verb> out, todo{{{}, ""}};
    while (!todo.empty()) {
        auto v = todo.back();
        todo.pop_back();
        auto args = v.path;
        args.push_back("--help");
        const auto r = run_solace(args);
        INFO(v.name() << " --help: " << r.err);
        REQUIRE(r.exit_code == 0);
        v.help = r.out;
        const auto subs = subcommands(r.out);
        if (subs.empty() && !v.path.empty()) out.push_back(v);
        for (const auto& s : subs) {
            auto child = v.path;
            child.push_back(s);
            todo.push_back({child, ""});
        }
    }
    return out;
}

// True when a line of `help` starting "e.g." runs `verb` (perhaps after environment settings).
bool has_example(const std::string& help, const std::string& verb) {
    std::istringstream lines(help);
    for (std::string line; std::getline(lines, line);)
        if (const auto eg = line.find("e.g. ");
            eg != std::string::npos && line.find(verb + " ", eg) != std::string::npos)
            return true;
    return false;
}

// The man page's text with roff's escaped hyphens as plain ones.
std::string man_page() {
    const auto roff = read_file(std::filesystem::path(SOLACE_SOURCE_DIR) / "man" / "solace.1");
    std::string text;
    for (std::size_t i = 0; i < roff.size(); ++i)
        if (roff[i] != '\\' || i + 1 == roff.size() || roff[i + 1] != '-') text += roff[i];
    return text; // roff's \- read as the plain hyphen a reader sees
}

// The man page's subsection (.SS) whose heading names `verb`, up to the next heading.
std::string man_section(const std::string& man, const std::string& verb) {
    std::istringstream lines(man);
    std::string section;
    bool in = false;
    const std::regex heading("\"" + verb + "( [^\"]*)?\"");
    for (std::string line; std::getline(lines, line);) {
        const bool is_heading = line.rfind(".SS", 0) == 0 || line.rfind(".SH", 0) == 0;
        if (is_heading) in = line.rfind(".SS", 0) == 0 && std::regex_search(line, heading);
        if (in) section += line + "\n";
    }
    return section;
}

} // namespace

TEST_CASE("solace --version prints the version", "[cli][help]") {
    const auto r = run_solace({"--version"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == std::string("solace ") + SOLACE_VERSION + "\n");
}

TEST_CASE("Every verb's --help says what it does and gives an example", "[cli][help]") {
    const auto verbs = leaf_verbs();
    REQUIRE(verbs.size() >= 8); // init, user add, demo, import, export csv/fhir, flags, ack, ...
    for (const auto& v : verbs) {
        INFO(v.name() << " --help:\n" << v.help);
        CHECK(has_example(v.help, v.name()));
        CHECK_THAT(v.help, Catch::Contains("Usage: " + v.name()));
    }
}

TEST_CASE("The man page documents every verb and each of its options", "[cli][help]") {
    const auto man = man_page();
    REQUIRE(man.substr(0, 3) == ".\\\""); // a roff comment opens the page
    for (const auto& v : leaf_verbs()) {
        const auto section = man_section(man, v.name());
        INFO("man/solace.1 has no .SS heading naming \"" << v.name() << "\"");
        REQUIRE_FALSE(section.empty());
        for (const auto& o : options(v.help)) {
            if (o == "--db" || o == "--user") continue; // under COMMON OPTIONS
            INFO("man/solace.1 does not mention " << o << " of " << v.name());
            CHECK_THAT(section, Catch::Contains(o));
        }
    }
}

TEST_CASE("solace --help and the man page list the window's own options", "[cli][help]") {
    const auto help = run_solace({"--help"});
    REQUIRE(help.exit_code == 0);
    const auto man = man_page();
    for (const std::string option :
         {"--db", "--patient", "--view", "--size", "--screenshot", "--frames", "--type"}) {
        INFO(option);
        CHECK_THAT(help.out, Catch::Contains("  " + option + " "));
        CHECK_THAT(man, Catch::Contains(".BI " + option) || Catch::Contains(".B " + option));
    }
    CHECK_THAT(help.out, Catch::Contains("visit, medications, history, flags or summary"));
    // A mistyped window option says what the window takes, not only "usage".
    const auto wrong = run_solace({"--sise", "800x600"}, {"DISPLAY="});
    CHECK(wrong.exit_code == 2);
    CHECK_THAT(wrong.err, Catch::Contains("--patient MRN") && Catch::Contains("--size WxH"));
}
