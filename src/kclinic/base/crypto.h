// Thin wrappers over libsodium (random ids and tokens, Argon2id password hashes, constant-time
// comparison) and OpenSSL's libcrypto (SHA-256). Call InitCrypto() once before any other function
// here.
#pragma once

#include <string>
#include <string_view>

#include "kclinic/base/status.h"

namespace kclinic {

// Initialises libsodium. Returns Internal when the library cannot start. Thread-safe, idempotent.
Status InitCrypto();

// 16 random bytes as 32 lowercase hex digits: a fresh opaque identifier.
std::string NewId();
// `bytes` random bytes as URL-safe base64 without padding: session tokens, CSRF tokens.
std::string RandomToken(size_t bytes = 32);
// `bytes` random raw bytes.
std::string RandomBytes(size_t bytes);

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// Argon2id hash of `password` in libsodium's encoded form (algorithm, parameters and salt in the
// string), with OWASP's recommended limits (19 MiB, t=2). Internal when out of memory.
Result<std::string> HashPassword(std::string_view password);
// True when `password` matches an encoded hash from HashPassword. Constant time in the password.
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);
// True when `password` is one attackers try first (NIST SP 800-63B §5.1.1.2: check a new password
// against a list of commonly used ones): it, or what is left of it without the digits, spaces and
// punctuation at either end ("password1234" -> "password"), is on Openwall's list of common
// passwords (Debian's john-data, compiled into the program; Solar Designer 1996-2011), ignoring
// case.
bool IsCommonPassword(std::string_view password);

// Compares in time independent of where the strings differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace kclinic
