#include "domain/text.hpp"

#include <fmt/format.h>

#include "domain/error.hpp"

namespace solace {

void check_text(std::string_view column, std::string_view v, bool multiline, std::size_t max_bytes,
                std::string_view utf8_hint) {
    if (v.size() > max_bytes)
        throw ValidationError(
            fmt::format("{} is {} bytes long; at most {} are kept.", column, v.size(), max_bytes));
    for (std::size_t i = 0; i < v.size();) {
        const auto c = static_cast<unsigned char>(v[i]);
        if (c < 0x20 || c == 0x7f) {
            if (!(multiline && (c == '\t' || c == '\n' || c == '\r')))
                throw ValidationError(fmt::format(
                    "{} holds a control character (byte {:#04x} at byte {}){}; remove it.", column,
                    c, i + 1, multiline ? "" : " where only one line of text belongs"));
            ++i;
            continue;
        }
        // UTF-8: the lead byte says how many continuation bytes follow; no overlong forms,
        // surrogates or code points past U+10FFFF.
        const std::size_t n = c < 0x80                   ? 0
                              : (c >= 0xC2 && c <= 0xDF) ? 1
                              : (c >= 0xE0 && c <= 0xEF) ? 2
                              : (c >= 0xF0 && c <= 0xF4) ? 3
                                                         : v.size(); // never a lead byte
        bool ok = i + n < v.size();
        if (ok && n > 0) {
            for (std::size_t k = 1; ok && k <= n; ++k)
                ok = (static_cast<unsigned char>(v[i + k]) & 0xC0) == 0x80;
            const auto c1 = ok ? static_cast<unsigned char>(v[i + 1]) : 0;
            if (ok && c == 0xE0) ok = c1 >= 0xA0;
            if (ok && c == 0xED) ok = c1 < 0xA0;
            if (ok && c == 0xF0) ok = c1 >= 0x90;
            if (ok && c == 0xF4) ok = c1 < 0x90;
        }
        if (!ok)
            throw ValidationError(
                fmt::format("{} is not UTF-8 text (byte {}){}.", column, i + 1, utf8_hint));
        i += n + 1;
    }
}

} // namespace solace
