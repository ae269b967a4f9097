#include "sync/server.hpp"

#include <cstdlib>

#include <fmt/format.h>
#include <libpq-fe.h>

#include "domain/error.hpp"
#include "sync/server_schema.hpp"

namespace solace::sync {

namespace {

constexpr const char* connect_timeout_seconds = "10";

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

std::string first_line(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

} // namespace

Result::Result(pg_result* r) : r_(r, PQclear) {}
int Result::rows() const {
    return PQntuples(r_.get());
}
bool Result::is_null(int row, int col) const {
    return PQgetisnull(r_.get(), row, col) != 0;
}
std::string Result::text(int row, int col) const {
    return std::string(PQgetvalue(r_.get(), row, col),
                       static_cast<std::size_t>(PQgetlength(r_.get(), row, col)));
}
std::int64_t Result::int64(int row, int col) const {
    return std::strtoll(PQgetvalue(r_.get(), row, col), nullptr, 10);
}

Server::Server(const std::string& url, const std::string& user, const std::string& password) {
    const char* keys[] = {"dbname",           "user", "password", "connect_timeout",
                          "application_name", nullptr};
    const char* values[] = {url.c_str(), user.c_str(), password.c_str(), connect_timeout_seconds,
                            "solace",    nullptr};
    conn_ = PQconnectdbParams(keys, values, 1);
    if (conn_ && PQstatus(conn_) == CONNECTION_OK) return;
    const std::string why = conn_ ? first_line(PQerrorMessage(conn_)) : "out of memory";
    PQfinish(conn_);
    conn_ = nullptr;
    if (contains(why, "password authentication failed") || contains(why, "no password supplied"))
        throw PermissionError(fmt::format(
            "The agency server refused the name {} or its password; check both.", user));
    if (contains(why, "not permitted to log in"))
        throw AccountDisabled(fmt::format(
            "The account {} is disabled on the agency server; ask the agency's admin.", user));
    if (contains(why, "database") && contains(why, "does not exist"))
        throw ServerRefused(fmt::format(
            "The agency server has no such database ({}); check the --server address.", why));
    throw ServerUnreachable(fmt::format(
        "The agency server cannot be reached ({}); nothing was lost, try again when online.", why));
}

Server::~Server() {
    PQfinish(conn_);
}

Result Server::exec(std::string_view sql, const std::vector<std::optional<std::string>>& params) {
    const std::string text(sql);
    pg_result* r = nullptr;
    if (params.empty()) {
        r = PQexec(conn_, text.c_str());
    } else {
        std::vector<const char*> values;
        for (const auto& p : params)
            values.push_back(p ? p->c_str() : nullptr);
        r = PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                         values.data(), nullptr, nullptr, 0);
    }
    return checked(r);
}

void Server::send(std::string_view sql, const std::vector<std::optional<std::string>>& params) {
    const std::string text(sql);
    std::vector<const char*> values;
    for (const auto& p : params)
        values.push_back(p ? p->c_str() : nullptr);
    if (PQsendQueryParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                          values.data(), nullptr, nullptr, 0) == 0)
        checked(nullptr);
}

Result Server::receive() {
    pg_result* last = nullptr;
    while (pg_result* r = PQgetResult(conn_)) {
        if (last) PQclear(last);
        last = r;
    }
    return checked(last);
}

Result Server::checked(pg_result* r) {
    Result result(r);
    const auto status = PQresultStatus(r);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
    if (PQstatus(conn_) != CONNECTION_OK)
        throw ServerUnreachable(fmt::format(
            "The connection to the agency server was lost ({}); nothing was lost, try again.",
            first_line(PQerrorMessage(conn_))));
    const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    throw ServerRefused(fmt::format("The agency server refused: {}.",
                                    primary ? primary : first_line(PQerrorMessage(conn_))));
}

std::string Server::quote_identifier(std::string_view name) const {
    char* q = PQescapeIdentifier(conn_, name.data(), name.size());
    if (!q) throw ValidationError(fmt::format("\"{}\" cannot be an account name.", name));
    std::string out(q);
    PQfreemem(q);
    return out;
}

std::string Server::quote_literal(std::string_view text) const {
    char* q = PQescapeLiteral(conn_, text.data(), text.size());
    if (!q) throw ValidationError("The text cannot be sent to the server.");
    std::string out(q);
    PQfreemem(q);
    return out;
}

std::string Server::password_verifier(const std::string& role, const std::string& password) {
    char* v = PQencryptPasswordConn(conn_, password.c_str(), role.c_str(), "scram-sha-256");
    if (!v)
        throw ServerRefused(fmt::format("The password could not be prepared: {}",
                                        first_line(PQerrorMessage(conn_))));
    std::string out(v);
    PQfreemem(v);
    return out;
}

void Server::migrate() {
    exec("CREATE SCHEMA IF NOT EXISTS solace");
    exec("CREATE TABLE IF NOT EXISTS solace.migration (version integer PRIMARY KEY, name text NOT "
         "NULL, applied_at timestamptz NOT NULL DEFAULT now())");
    for (const auto& m : server_migrations()) {
        exec("BEGIN");
        try {
            exec("LOCK TABLE solace.migration IN EXCLUSIVE MODE");
            const auto done = exec("SELECT 1 FROM solace.migration WHERE version = $1",
                                   {std::to_string(m.version)});
            if (done.rows() == 0) {
                exec(m.sql);
                exec("INSERT INTO solace.migration (version, name) VALUES ($1, $2)",
                     {std::to_string(m.version), std::string(m.name)});
            }
            exec("COMMIT");
        } catch (...) {
            if (PQstatus(conn_) == CONNECTION_OK) PQclear(PQexec(conn_, "ROLLBACK"));
            throw;
        }
    }
}

} // namespace solace::sync
