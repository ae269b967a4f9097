-- Sign-in throttling moves into a file of its own beside the database (`<db>.logins`,
-- store/login_throttle.cpp): counting a try there never waits for an import or a sync holding
-- this file's write lock, so every try is counted before its password is checked.
DROP TABLE login_attempt;
