// result.h — Result<T>: a value or a typed error, for every expected failure in Lifebuoy.
//
// Expected failures (bad input, network, quota, authorisation) are part of the API: they come back
// as an Error with a stable machine-readable code and a message for people, never as an exception
// across a module or wasm boundary. Programmer errors assert instead.
// Not here: the error codes of each subsystem — they live beside the subsystem and are strings so
// that a newer peer can send a code an older one does not know yet.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace lb {

struct Error {
    std::string code;     // stable, snake_case, e.g. "bad_request", "unknown_command"
    std::string message;  // for people; never contains secrets
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(v_); }
    const T& value() const& { assert(ok()); return std::get<0>(v_); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
    const Error& error() const { assert(!ok()); return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
struct Ok {};
using Status = Result<Ok>;

inline Error make_error(std::string code, std::string message) {
    return Error{std::move(code), std::move(message)};
}

}  // namespace lb
