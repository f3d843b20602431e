#include "kclinic/codec/auth_request.h"

#include "kclinic/codec/json_read.h"

namespace kclinic::codec {

Result<LoginRequest> DecodeLoginRequest(const nlohmann::json& body) {
  ObjectReader reader(body, "");
  LoginRequest r;
  KC_ASSIGN_OR_RETURN(r.username, reader.RequiredString("username"));
  KC_ASSIGN_OR_RETURN(r.password, reader.RequiredString("password"));
  KC_ASSIGN_OR_RETURN(r.totp, reader.String("totp"));
  KC_RETURN_IF_ERROR(reader.Finish());
  return r;
}

Result<UserCreateRequest> DecodeUserCreateRequest(const nlohmann::json& body) {
  ObjectReader reader(body, "");
  KC_ASSIGN_OR_RETURN(auto username, reader.RequiredString("username"));
  KC_ASSIGN_OR_RETURN(auto role_name, reader.RequiredString("role"));
  KC_ASSIGN_OR_RETURN(auto password, reader.RequiredString("password"));
  KC_ASSIGN_OR_RETURN(auto patient, reader.String("patient_id"));
  KC_RETURN_IF_ERROR(reader.Finish());
  auto role = domain::ParseRole(role_name);
  if (!role) {
    return InvalidArgument("role", "must be one of admin, prescriber, nurse, front_desk, patient");
  }
  std::optional<PatientId> patient_id;
  if (patient) patient_id = PatientId(*patient);
  return UserCreateRequest{std::move(username), *role, std::move(password), patient_id};
}

}  // namespace kclinic::codec
