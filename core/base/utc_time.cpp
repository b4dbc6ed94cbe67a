#include "core/base/utc_time.h"

namespace tm2 {

std::string isoUtc(std::time_t t) {
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::string utcNow() { return isoUtc(std::time(nullptr)); }

}  // namespace tm2
