// `tinym2net runs list|show|delete|export`: the experiment store from the
// command line, over the same core functions as the Experiments pane.

#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/cli/commands.h"
#include "core/base/error.h"
#include "core/experiment/experiment_store.h"
#include "core/workflow/run_catalog.h"
#include "core/workflow/run_report.h"
#include "core/workflow/training_session.h"

namespace tm2::cli {

namespace {

using nlohmann::json;

struct RunsCommand {
    std::string workspace;
    bool json = false;
    workflow::RunFilter filter;
    std::string run_id;
    std::string out;
};

// Opening the store marks runs whose process died as interrupted (ExperimentStore).
experiment::ExperimentStore openStore(const RunsCommand& c) {
    return experiment::ExperimentStore(workflow::workspaceOrDefault(c.workspace));
}

json listEntry(const experiment::RunRecord& r) {
    json entry{{"id", r.id},
               {"kind", r.kind},
               {"name", r.name},
               {"status", r.status},
               {"created_at", r.created_at},
               {"finished_at", r.finished_at},
               {"data_fingerprint", r.data_fingerprint},
               {"resumed_from", r.resumed_from},
               {"sweep", r.sweep},
               {"error", r.error}};
    if (const auto key = workflow::keyMetric(r))
        entry["key_metric"] = {{"name", key->name}, {"value", key->value}};
    return entry;
}

void runList(const RunsCommand& c) {
    const auto store = openStore(c);
    const auto runs = workflow::listRuns(store, c.filter);
    if (c.json) {
        json list = json::array();
        for (const auto& r : runs) list.push_back(listEntry(r));
        std::cout << json{{"store", store.path()}, {"runs", list}}.dump(2) << "\n";
        return;
    }
    if (runs.empty()) {
        std::cout << "no runs" << (c.filter.kind.empty() && c.filter.status.empty() ? "" : " match") << " in "
                  << store.path() << "\n";
        return;
    }
    std::cout << std::left << std::setw(30) << "id" << std::setw(10) << "kind" << std::setw(13) << "status"
              << std::setw(26) << "created" << std::setw(10) << "metric"
              << "name\n";
    for (const auto& r : runs) {
        const auto key = workflow::keyMetric(r);
        std::cout << std::setw(30) << r.id << std::setw(10) << r.kind << std::setw(13) << r.status
                  << std::setw(26) << r.created_at << std::setw(10) << (key ? workflow::metricText(*key) : "—")
                  << r.name << "\n";
    }
}

void runShow(const RunsCommand& c) {
    const auto store = openStore(c);
    const workflow::ReportedRun reported = workflow::reportedRun(store, c.run_id);
    if (c.json) {
        std::cout << workflow::runsReport({reported})["runs"][0].dump(2) << "\n";
        return;
    }
    const auto& r = reported.run;
    std::cout << r.id << "  " << r.kind << "  " << r.status << "\n"
              << "  created   " << r.created_at << (r.finished_at.empty() ? "" : ", ended " + r.finished_at)
              << "\n";
    if (!r.name.empty()) std::cout << "  name      " << r.name << "\n";
    if (!r.error.empty()) std::cout << "  note      " << r.error << "\n";
    if (!r.data_fingerprint.empty()) std::cout << "  data      " << r.data_fingerprint << "\n";
    if (const std::string folder = workflow::runFolderOf(reported); !folder.empty())
        std::cout << "  folder    " << folder << "\n";
    if (!r.resumed_from.empty()) std::cout << "  continues " << r.resumed_from << "\n";
    if (!r.sweep.empty()) std::cout << "  sweep     " << r.sweep << "\n";
    if (r.pid > 0) std::cout << "  process   " << r.pid << " on " << r.host << "\n";
    const auto metrics = workflow::runMetrics(r);
    if (!metrics.empty()) std::cout << "metrics\n";
    for (const auto& m : metrics)
        std::cout << "  " << std::left << std::setw(34) << m.name << workflow::metricText(m) << "\n";
    const auto history = workflow::runHistory(r, reported.epochs);
    if (!history.empty()) std::cout << "epochs (" << history.size() << ")\n";
    for (const auto& p : history)
        std::cout << "  " << std::right << std::setw(4) << p.epoch << std::fixed << std::setprecision(4)
                  << "  loss " << p.train_loss << "  acc " << std::setprecision(1) << 100 * p.train_accuracy
                  << "%  val_acc " << 100 * p.val_accuracy << "%\n";
    if (!reported.artifacts.empty()) std::cout << "artifacts\n";
    for (const auto& a : reported.artifacts)
        std::cout << "  " << std::left << std::setw(12) << a.name << a.path << "\n";
}

void runDelete(const RunsCommand& c) {
    auto store = openStore(c);
    workflow::reportedRun(store, c.run_id);  // an unknown id is an error naming it
    store.deleteRun(c.run_id);
    if (c.json) {
        std::cout << json{{"deleted", c.run_id}}.dump(2) << "\n";
        return;
    }
    std::cout << "deleted run " << c.run_id << " from " << store.path() << " (its folder on disk is kept)\n";
}

void runExport(const RunsCommand& c) {
    const auto store = openStore(c);
    const workflow::RunExport exported = workflow::exportRun(store, c.run_id, c.out);
    if (c.json) {
        std::cout << workflow::toJson(exported).dump(2) << "\n";
        return;
    }
    std::cout << "exported run " << c.run_id << " to " << c.out << " (" << exported.files.size()
              << " files)\n";
    for (const auto& m : exported.missing) std::cerr << "warning: no longer on disk: " << m << "\n";
}

CLI::App* addVerb(CLI::App& runs, const char* name, const char* help, const std::shared_ptr<RunsCommand>& c) {
    CLI::App* verb = runs.add_subcommand(name, help);
    verb->add_option("--workspace", c->workspace,
                     "Experiment store folder (default ~/.local/share/tinym2net)");
    verb->add_flag("--json", c->json, "Print JSON");
    return verb;
}

}  // namespace

void registerRunsCommands(CLI::App& app) {
    CLI::App* runs =
        app.add_subcommand("runs", "The experiment store: list, show, delete and export recorded runs");
    runs->require_subcommand(1);

    auto list = std::make_shared<RunsCommand>();
    CLI::App* l = addVerb(*runs, "list", "List runs, newest first", list);
    l->add_option("--kind", list->filter.kind, "train | compare | quantize | ablate | deploy …");
    l->add_option("--status", list->filter.status, "running | finished | failed | cancelled | interrupted");
    l->add_option("--dataset", list->filter.dataset,
                  "Dataset folder (path or name) or data fingerprint prefix");
    l->add_option("--sweep", list->filter.sweep, "Sweep tag");
    l->callback([list] { runList(*list); });

    auto show = std::make_shared<RunsCommand>();
    CLI::App* s = addVerb(*runs, "show", "One run: status, metrics, epochs, artifacts", show);
    s->add_option("RUN", show->run_id, "Run id (see `runs list`)")->required();
    s->callback([show] { runShow(*show); });

    auto remove = std::make_shared<RunsCommand>();
    CLI::App* d =
        addVerb(*runs, "delete", "Remove a run from the store (its folder on disk is kept)", remove);
    d->add_option("RUN", remove->run_id, "Run id")->required();
    d->callback([remove] { runDelete(*remove); });

    auto exported = std::make_shared<RunsCommand>();
    CLI::App* e =
        addVerb(*runs, "export",
                "Write what reproducing a run takes (settings, seed, data fingerprint, spec, plans with "
                "ILP inputs and answers, results) into a new folder",
                exported);
    e->add_option("RUN", exported->run_id, "Run id")->required();
    e->add_option("--out", exported->out, "New (or empty) folder")->required();
    e->callback([exported] { runExport(*exported); });
}

}  // namespace tm2::cli
