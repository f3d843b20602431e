// Helpers shared by the screening .cc files; not part of the public API.
#pragma once

#include <string>
#include <string_view>

namespace kclinic::domain::screening {

// A drug name as a table key: lower case, letters and digits, words joined by '_', apostrophes
// and dots dropped ("St. John's wort" -> "st_johns_wort").
std::string DrugKey(std::string_view name);

}  // namespace kclinic::domain::screening
