// The request bodies of the account routes (login, users), decoded strictly: one type per
// field, unknown members rejected, InvalidArgument naming the field. The TOTP confirmation
// ({"code"}) uses DecodeOneStringRequest and the enrolment (an empty body) DecodeEmptyRequest
// (json_read.h).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "kclinic/base/status.h"
#include "kclinic/base/strong_id.h"
#include "kclinic/domain/access.h"

namespace kclinic::codec {

// POST /auth/login: {"username", "password", "totp"? (the 6-digit code once enrolled)}.
struct LoginRequest {
  std::string username;
  std::string password;
  std::optional<std::string> totp;
};
Result<LoginRequest> DecodeLoginRequest(const nlohmann::json& body);

// POST /users: {"username", "role" (admin, prescriber, nurse, front_desk, patient),
// "password", "patient_id"? (the patient's own record, for the patient role)}.
struct UserCreateRequest {
  std::string username;
  domain::Role role;
  std::string password;
  std::optional<PatientId> patient_id;  // not checked here: the use case looks it up
};
Result<UserCreateRequest> DecodeUserCreateRequest(const nlohmann::json& body);

}  // namespace kclinic::codec
