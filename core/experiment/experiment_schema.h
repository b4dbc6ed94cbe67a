#pragma once
// Opening, recognising and creating the experiment database file. Kept apart
// from ExperimentStore so the versioning rules live in one small place.

#include <cstdint>
#include <string>

struct sqlite3;

namespace tm2::experiment {

// 'TM2N' in PRAGMA application_id marks a file as ours (see sqlite.org/fileformat2).
constexpr std::int32_t kExperimentApplicationId = 0x544D324E;
// PRAGMA user_version of the schema this build writes; bump with a migration.
constexpr int kExperimentSchemaVersion = 2;

// Opens `path` (creating it and the schema when new, migrating an older schema), sets WAL, busy_timeout and
// foreign keys. Leaves a foreign or newer file untouched and throws tm2::Error
// naming it. The caller owns the handle (sqlite3_close_v2).
sqlite3* openExperimentDatabase(const std::string& path);

}  // namespace tm2::experiment
