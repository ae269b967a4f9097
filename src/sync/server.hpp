#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

#include "domain/error.hpp"

namespace solace::sync {

// The account may no longer log in to the server: the agency disabled it.
struct AccountDisabled : ServerRefused {
    using ServerRefused::ServerRefused;
};

// One result of a statement: text values by row and column (0-based).
class Result {
  public:
    explicit Result(pg_result* r);
    int rows() const;
    bool is_null(int row, int col) const;
    std::string text(int row, int col) const;
    std::int64_t int64(int row, int col) const;

  private:
    std::shared_ptr<pg_result> r_;
};

// A connection to the agency's PostgreSQL server, as one role. Not shared between threads.
class Server {
  public:
    // `url` is a libpq connection string or URL (postgresql://host/db?sslmode=verify-full);
    // `user` and `password` override what it names. Throws ServerUnreachable when the server
    // cannot be reached, PermissionError when it refuses the name or password, ServerRefused
    // when the account may not log in (disabled).
    Server(const std::string& url, const std::string& user, const std::string& password);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Runs one statement with text parameters ($1, $2 ...; nullopt is NULL). Throws
    // ServerRefused with the server's message, ServerUnreachable when the connection dropped.
    Result exec(std::string_view sql, const std::vector<std::optional<std::string>>& params = {});
    // As exec(), in two halves, so the caller works while the server runs the statement:
    // send() returns at once, receive() waits for the result (and throws as exec() does).
    // One statement at a time: each send() is followed by its receive().
    void send(std::string_view sql, const std::vector<std::optional<std::string>>& params);
    Result receive();
    std::string quote_identifier(std::string_view name) const;
    std::string quote_literal(std::string_view text) const;
    // The SCRAM-SHA-256 verifier of a password, computed here so no password crosses the wire.
    std::string password_verifier(const std::string& role, const std::string& password);
    // Applies the server migrations not yet applied, each in one transaction.
    void migrate();

  private:
    Result checked(pg_result* r);
    pg_conn* conn_ = nullptr;
};

} // namespace solace::sync
