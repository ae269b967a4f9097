#include "fonts.hpp"

#include <cstdio>
#include <memory>

#include <fontconfig/fontconfig.h>

namespace solace::ui {

namespace {
Fonts loaded;

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return out;
}

// Latin with accents (names), punctuation, arrows and shapes used for trends and markers.
const ImWchar* glyph_ranges() {
    static ImVector<ImWchar> ranges;
    if (ranges.empty()) {
        ImFontGlyphRangesBuilder b;
        b.AddRanges(ImGui::GetIO().Fonts->GetGlyphRangesDefault());
        static const ImWchar extra[] = {0x0100, 0x017F, 0x2000, 0x206F, 0x2190,
                                        0x21FF, 0x2212, 0x2212, 0x2264, 0x2265,
                                        0x25A0, 0x25FF, 0x2713, 0x2717, 0};
        b.AddRanges(extra);
        b.BuildRanges(&ranges);
    }
    return ranges.Data;
}

ImFont* add(const std::string& file, float pixels) {
    ImFontConfig cfg;
    cfg.OversampleH = 2; // crisper text at small sizes; the atlas stays small
    cfg.OversampleV = 1;
    return ImGui::GetIO().Fonts->AddFontFromFileTTF(file.c_str(), pixels, &cfg, glyph_ranges());
}
} // namespace

std::string find_font_file(std::string_view family, bool bold) {
    if (!FcInit()) return {};
    std::unique_ptr<FcPattern, decltype(&FcPatternDestroy)> pattern(FcPatternCreate(),
                                                                    &FcPatternDestroy);
    const std::string name(family);
    FcPatternAddString(pattern.get(), FC_FAMILY, reinterpret_cast<const FcChar8*>(name.c_str()));
    FcPatternAddInteger(pattern.get(), FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(pattern.get(), FC_SLANT, FC_SLANT_ROMAN);
    FcConfigSubstitute(nullptr, pattern.get(), FcMatchPattern);
    FcDefaultSubstitute(pattern.get());
    FcResult result = FcResultNoMatch;
    std::unique_ptr<FcPattern, decltype(&FcPatternDestroy)> match(
        FcFontMatch(nullptr, pattern.get(), &result), &FcPatternDestroy);
    if (!match || result != FcResultMatch) return {};
    // FcFontMatch always answers with something; only the family asked for will do.
    FcChar8* got_family = nullptr;
    FcChar8* file = nullptr;
    if (FcPatternGetString(match.get(), FC_FAMILY, 0, &got_family) != FcResultMatch ||
        FcPatternGetString(match.get(), FC_FILE, 0, &file) != FcResultMatch)
        return {};
    if (lower(reinterpret_cast<const char*>(got_family)) != lower(family)) return {};
    const std::string path = reinterpret_cast<const char*>(file);
    // ImGui reads TrueType and OpenType-with-TrueType outlines only.
    const auto ext = lower(path.size() > 4 ? std::string_view(path).substr(path.size() - 4) : "");
    if (ext != ".ttf" && ext != ".otf") return {};
    return path;
}

const Fonts& load_fonts(float scale) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    loaded = Fonts{};
    for (const char* family : {"DejaVu Sans", "Noto Sans"}) {
        const auto regular = find_font_file(family);
        if (regular.empty()) continue;
        auto bold = find_font_file(family, true);
        if (bold.empty()) bold = regular;
        loaded.body = add(regular, body_pixels * scale);
        loaded.bold = add(bold, body_pixels * scale);
        loaded.heading = add(bold, body_pixels * 1.45f * scale);
        if (loaded.body && loaded.bold && loaded.heading) {
            loaded.file = regular;
            break;
        }
        io.Fonts->Clear();
        loaded = Fonts{};
    }
    if (!loaded.body) {
        std::fprintf(stderr,
                     "solace: neither DejaVu Sans nor Noto Sans is installed; using the "
                     "small built-in font (install fonts-dejavu-core for readable text).\n");
        ImFontConfig cfg;
        cfg.SizePixels = 13.0f * scale;
        loaded.body = io.Fonts->AddFontDefault(&cfg);
        loaded.bold = loaded.body;
        loaded.heading = loaded.body;
    }
    io.FontDefault = loaded.body;
    io.Fonts->Build();
    return loaded;
}

const Fonts& fonts() {
    if (!loaded.body) {
        ImFont* f = ImGui::GetFont();
        static Fonts fallback;
        fallback.body = fallback.bold = fallback.heading = f;
        return fallback;
    }
    return loaded;
}

} // namespace solace::ui
