#include "kclinic/cli/tools.h"

#include <iostream>
#include <nlohmann/json.hpp>

namespace kclinic::cli {

int ToolFail(const Status& status, bool as_json) {
  if (as_json) {
    nlohmann::json error = {{"code", StatusCodeName(status.code())}, {"message", status.message()}};
    if (!status.field().empty()) error["field"] = status.field();
    std::cout << nlohmann::json{{"error", error}}.dump() << "\n";
  } else {
    std::cerr << "kclinic: " << (status.field().empty() ? "" : status.field() + ": ")
              << status.message() << "\n";
  }
  return status.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

}  // namespace kclinic::cli
