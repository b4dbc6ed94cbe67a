#include "core/workflow/sweep/slurm_executor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tm2::sweep {
namespace {

using ::testing::HasSubstr;

TEST(SlurmExecutorTest, ArraySpecsJoinConsecutiveTrialsAndAddTheParallelLimit) {
    EXPECT_EQ(arraySpec({0, 1, 2, 3}, 2), "0-3%2");
    EXPECT_EQ(arraySpec({1, 3}, 0), "1,3");
    EXPECT_EQ(arraySpec({0, 1, 2, 5, 7, 8}, 4), "0-2,5,7-8%4");
    EXPECT_EQ(arraySpec({3}, 2), "3%2");
}

TEST(SlurmExecutorTest, TheScriptCarriesTheOptionsAndRunsTheTrialOfItsTask) {
    SweepFolder f;
    f.dir = "/shared/sw";
    f.name = "tiny";
    f.sweep_file = "/shared/it's.json";
    f.data = "/shared/demo";
    SlurmOptions o;
    o.partition = "debug";
    o.account = "lab";
    o.time = "00:10:00";
    o.mem = "2G";
    o.cpus_per_task = 2;
    o.extra = {"--qos=short"};
    const std::string s = sbatchScript(f, o, "/opt/tm2/tinym2net");
    EXPECT_THAT(s, HasSubstr("#SBATCH --job-name=tm2-tiny\n"));
    EXPECT_THAT(s, HasSubstr("#SBATCH --partition=debug\n#SBATCH --account=lab\n#SBATCH --time=00:10:00\n"));
    EXPECT_THAT(s, HasSubstr("#SBATCH --mem=2G\n#SBATCH --cpus-per-task=2\n#SBATCH --qos=short\n"));
    // Paths are shell-quoted (a quote in a name cannot end the argument).
    EXPECT_THAT(s, HasSubstr("exec '/opt/tm2/tinym2net' sweep run-trial '/shared/it'\\''s.json' --trial "
                             "\"$SLURM_ARRAY_TASK_ID\" --out '/shared/sw' --data '/shared/demo' --quiet\n"));
}

// #SBATCH lines are split at blanks, so a run folder with a space ("/shared/my sweeps")
// would give --output only "/shared/my": the log path goes to sbatch as one argument.
TEST(SlurmExecutorTest, AFolderWithSpacesReachesSbatchAsOneOutputArgument) {
    SweepFolder f;
    f.dir = "/shared/my sweeps/sw";
    f.name = "tiny";
    const std::vector<std::string> argv = sbatchCommand(f, "0-3%2", "/shared/my sweeps/sw/slurm/sweep-1.sbatch");
    EXPECT_EQ(argv, (std::vector<std::string>{"sbatch", "--parsable", "--array=0-3%2",
                                              "--output=/shared/my sweeps/sw/trial-%4a/trial.log",
                                              "--open-mode=append", "/shared/my sweeps/sw/slurm/sweep-1.sbatch"}));
    EXPECT_THAT(sbatchScript(f, SlurmOptions{}, "/opt/tm2/tinym2net"), ::testing::Not(HasSubstr("--output")));
}

}  // namespace
}  // namespace tm2::sweep
