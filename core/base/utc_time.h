#pragma once
// Timestamps as the workbench writes them everywhere (plans, sweep records,
// run listings): ISO 8601 in UTC with a "Z", to the second.

#include <ctime>
#include <string>

namespace tm2 {

std::string isoUtc(std::time_t t);  // "2026-12-07T05:14:03Z"
std::string utcNow();               // isoUtc of the current time

}  // namespace tm2
