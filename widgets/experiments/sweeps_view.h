#pragma once
// The Experiments pane's Sweeps view: a sweep (SWEEP.json, or the folder it
// runs in) with its trials' states, three charts — parallel coordinates from
// the axes to a chosen metric, accuracy against model size with the Pareto
// front, mean ± 95 % CI across seeds — and its controls: run the trials here
// (`--jobs N` child processes, a cancellable job of the pane) or submit them
// to Slurm, follow their state live (the folder is re-read every second while
// trials run, the Slurm queue every ten seconds, both off the GUI thread), cancel, resume what did not finish, and collect the results
// into the experiment store. Everything it shows or does is core's
// (core/workflow/sweep): the view holds no sweep logic of its own.

#include <QString>
#include <QWidget>

#include "core/workflow/sweep/sweep_overview.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTabWidget;
class QTimer;

namespace tm2::gui {

class AccuracySizeChart;
class ParallelCoordinatesChart;
class SeedIntervalChart;
class TaskRunner;
class Workbench;

class SweepsView : public QWidget {
    Q_OBJECT
public:
    SweepsView(Workbench& workbench, TaskRunner& runner, QWidget* parent = nullptr);

    // A sweep folder (it holds sweep.json) or a sweep file: its planned trials, or their
    // states when the output folder already holds that sweep. False (errorOccurred) when unreadable.
    bool open(const QString& path);
    void setOutputFolder(const QString& dir);
    QString outputFolder() const;
    void setExecutor(const QString& executor);  // "local" | "slurm"
    QString executor() const;
    void setJobs(int jobs);
    // The tinym2net program each trial runs (default: beside this program, else on PATH).
    void setProgram(const QString& path);
    QString program() const { return program_; }

    // Starts every trial that has not finished — run: the open sweep file into the output
    // folder; resume: the open folder's failed, cancelled, interrupted and never-run trials.
    bool run();
    bool resume();
    // Stops the local job (its trials keep their checkpoints) or scancels the Slurm jobs.
    void cancel();
    // Merges the finished trials' runs into the workspace's experiment store (idempotent).
    bool collect();
    // Re-reads the folder (and, for Slurm, the queue) here and now.
    void refresh();
    // The same read off the GUI thread (what the live poll and the Refresh button do): squeue
    // and sacct may take seconds on a busy cluster. One at a time; a read overtaken by a newer
    // refresh or another output folder is dropped.
    void poll();
    bool pollPending() const { return poll_pending_; }

    const sweep::SweepOverview& overview() const { return overview_; }
    bool isFollowing() const;
    QTableWidget* trialsTable() const { return table_; }
    QComboBox* metricBox() const { return metric_; }
    QComboBox* colourBox() const { return colour_; }
    QTabWidget* chartTabs() const { return charts_; }
    ParallelCoordinatesChart* parallelChart() const { return parallel_; }
    AccuracySizeChart* accuracySizeChart() const { return scatter_; }
    SeedIntervalChart* seedChart() const { return seeds_; }

Q_SIGNALS:
    void errorOccurred(const QString& message);
    void info(const QString& message);
    void storeChanged();

private:
    bool start(bool from_file);
    void showFolder(const QString& dir, sweep::SweepOverview overview);
    void showOverview(sweep::SweepOverview overview);
    void fillTable();
    void fillCharts();
    void updateButtons();
    void openWithDialog(bool folder);
    bool fail(const QString& message);

    Workbench& workbench_;
    TaskRunner& runner_;
    QString sweep_file_;  // the sweep file opened (absolute), or the open folder's
    QString file_name_;   // the opened sweep file's name (empty when a folder was opened)
    QString program_;
    sweep::SweepOverview overview_;
    QLabel* title_;
    QLineEdit* out_;
    QComboBox* executor_;
    QSpinBox* jobs_;
    QWidget* slurm_box_;
    QLineEdit *partition_, *account_, *time_, *mem_;
    QSpinBox* max_parallel_;
    QPushButton *run_, *resume_, *cancel_, *collect_;
    QLabel* status_;
    QTableWidget* table_;
    QComboBox* metric_;
    QComboBox* colour_;
    QTabWidget* charts_;
    ParallelCoordinatesChart* parallel_;
    AccuracySizeChart* scatter_;
    SeedIntervalChart* seeds_;
    QTimer* poll_;
    int poll_generation_ = 0;
    bool poll_pending_ = false;
    bool metric_chosen_ = false, colour_chosen_ = false;  // by the user: kept over refreshes
};

}  // namespace tm2::gui
