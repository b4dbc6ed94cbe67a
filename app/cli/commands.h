#pragma once
// Each verb group registers its sub-commands on the root CLI11 app.

#include <CLI/CLI.hpp>

namespace tm2::cli {

void registerDataCommands(CLI::App& app);
void registerDspCommands(CLI::App& app);
void registerTrainCommands(CLI::App& app);
void registerQuantCommands(CLI::App& app);
void registerIlpCommand(CLI::App& app);
void registerRuntimeCommands(CLI::App& app);  // `export`, `eval-runtime` (app/cli/runtime_commands.cpp)  // `ilp PROBLEM.json` (app/cli/ilp_command.cpp)
void registerPowerCommand(CLI::App& app);   // `power LOG.csv` (app/cli/power_command.cpp)
void registerDeployCommand(CLI::App& app);  // `deploy --host USER@HOST` (app/cli/deploy_command.cpp)
void registerMcuCommand(CLI::App& app);     // `export-mcu --model M.tmn --out DIR` (app/cli/mcu_command.cpp)
void registerRunsCommands(CLI::App& app);   // `runs list|show|delete|export` (app/cli/runs_commands.cpp)
void registerSweepCommands(CLI::App& app);  // `sweep plan|run|run-trial|collect|status|cancel|resume`
void registerExplainCommand(CLI::App& app);  // `explain --run RUN --sample ID --out DIR` (app/cli/explain_command.cpp)

}  // namespace tm2::cli
