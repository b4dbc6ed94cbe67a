#include "app/cli/commands.h"

namespace tm2::cli {
void registerDspCommands(CLI::App& app) { (void)app; }
}  // namespace tm2::cli
