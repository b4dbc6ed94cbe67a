#include "widgets/experiments/sweeps_view.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <cmath>

#include "core/base/error.h"
#include "core/experiment/experiment_store.h"
#include "core/workflow/sweep/parallel_axes.h"
#include "core/workflow/sweep/slurm_executor.h"
#include "core/workflow/sweep/sweep_collect.h"
#include "core/workflow/sweep/sweep_control.h"
#include "widgets/common/task_runner.h"
#include "widgets/experiments/accuracy_size_chart.h"
#include "widgets/experiments/parallel_coordinates_chart.h"
#include "widgets/experiments/seed_interval_chart.h"
#include "widgets/workbench.h"

namespace tm2::gui {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }
std::string ss(const QString& s) { return s.toStdString(); }

// While trials run here the folder is re-read every second; a Slurm sweep asks squeue less often.
constexpr int kLocalPollMs = 1000;
constexpr int kSlurmPollMs = 10000;

// A folder's overview read off the GUI thread (squeue and sacct may take seconds on a busy cluster).
struct PolledOverview {
    sweep::SweepOverview overview;
    std::string error;  // what reading the folder or the queue threw
};

QString defaultProgram() {
    // The build tree keeps the CLI in app/cli/, beside app/gui/; an install keeps both in bin/.
    const QDir here(QCoreApplication::applicationDirPath());
    for (const QString& candidate : {here.filePath("tinym2net"), here.filePath("../cli/tinym2net")})
        if (QFileInfo(candidate).isExecutable()) return QFileInfo(candidate).absoluteFilePath();
    return QStandardPaths::findExecutable("tinym2net");
}

QString metricCell(const std::string& name, double v) {
    if (sweep::isRateMetric(name)) return QString::number(100.0 * v, 'f', 1) + " %";
    if (name.find("bytes") != std::string::npos) return QString::number(v / 1024.0, 'f', 1) + " KiB";
    return QString::number(v, 'g', 5);
}

QColor stateColor(sweep::TrialState s) {
    switch (s) {
        case sweep::TrialState::Finished:
            return QColor(26, 120, 60);
        case sweep::TrialState::Failed:
            return QColor(178, 24, 43);
        case sweep::TrialState::Cancelled:
        case sweep::TrialState::Interrupted:
            return QColor(150, 110, 0);
        case sweep::TrialState::Running:
        case sweep::TrialState::Queued:
            return QColor(33, 102, 172);
        default:
            return QColor(110, 110, 110);
    }
}

bool active(const sweep::SweepOverview& o) {
    for (const auto& r : o.rows)
        if (r.state == sweep::TrialState::Running || r.state == sweep::TrialState::Queued) return true;
    return false;
}

bool anyToRun(const sweep::SweepOverview& o) {
    for (const auto& r : o.rows)
        if (sweep::needsRerun(r.state)) return true;
    return false;
}

}  // namespace

SweepsView::SweepsView(Workbench& workbench, TaskRunner& runner, QWidget* parent)
    : QWidget(parent), workbench_(workbench), runner_(runner), program_(defaultProgram()) {
    setObjectName("sweepsView");
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto* top = new QHBoxLayout;
    auto* open = new QToolButton(this);
    open->setObjectName("openSweepButton");
    open->setText(tr("Open sweep…"));
    open->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(open);
    menu->addAction(tr("Sweep file (SWEEP.json)…"), this, [this] { openWithDialog(false); });
    menu->addAction(tr("Sweep folder (a sweep run before)…"), this, [this] { openWithDialog(true); });
    open->setMenu(menu);
    top->addWidget(open);
    title_ = new QLabel(
        tr("No sweep open: open a SWEEP.json (resources/sweeps/ has examples) or a sweep folder."), this);
    title_->setObjectName("sweepTitle");
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(title_, 1);
    top->addWidget(new QLabel(tr("Folder:"), this));
    out_ = new QLineEdit(this);
    out_->setObjectName("sweepFolder");
    out_->setPlaceholderText(tr("where the trials' run folders go"));
    out_->setMinimumWidth(220);
    out_->setToolTip(
        tr("The sweep folder: one trial-NNNN run folder per trial (for Slurm: on the shared disk)"));
    connect(out_, &QLineEdit::editingFinished, this, &SweepsView::refresh);
    top->addWidget(out_);
    layout->addLayout(top);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Run on:"), this));
    executor_ = new QComboBox(this);
    executor_->setObjectName("sweepExecutor");
    executor_->addItem(tr("this machine"), "local");
    executor_->addItem(tr("Slurm"), "slurm");
    controls->addWidget(executor_);
    auto* jobs_label = new QLabel(tr("at once:"), this);
    controls->addWidget(jobs_label);
    jobs_ = new QSpinBox(this);
    jobs_->setObjectName("sweepJobs");
    jobs_->setRange(1, 256);
    jobs_->setToolTip(tr("Trials running at once here, each a tinym2net process (--jobs)"));
    controls->addWidget(jobs_);
    slurm_box_ = new QWidget(this);
    auto* slurm = new QHBoxLayout(slurm_box_);
    slurm->setContentsMargins(0, 0, 0, 0);
    const auto field = [&](QLineEdit*& edit, const QString& label, const QString& hint) {
        slurm->addWidget(new QLabel(label, slurm_box_));
        edit = new QLineEdit(slurm_box_);
        edit->setPlaceholderText(hint);
        edit->setMaximumWidth(90);
        edit->setToolTip(tr("Empty: the sweep file's slurm section, else the cluster's default"));
        slurm->addWidget(edit);
    };
    field(partition_, tr("partition"), tr("default"));
    field(account_, tr("account"), tr("default"));
    field(time_, tr("time"), "00:30:00");
    field(mem_, tr("mem"), "4G");
    slurm->addWidget(new QLabel(tr("at most"), slurm_box_));
    max_parallel_ = new QSpinBox(slurm_box_);
    max_parallel_->setRange(0, 100000);
    max_parallel_->setSpecialValueText(tr("file's"));
    max_parallel_->setToolTip(tr("Trials running at once on the cluster (the %K of --array)"));
    slurm->addWidget(max_parallel_);
    partition_->setObjectName("slurmPartition");
    controls->addWidget(slurm_box_);
    slurm_box_->hide();
    connect(executor_, &QComboBox::currentIndexChanged, this, [this, jobs_label] {
        const bool on_slurm = executor() == "slurm";
        slurm_box_->setVisible(on_slurm);
        jobs_label->setVisible(!on_slurm);
        jobs_->setVisible(!on_slurm);
    });
    controls->addStretch(1);
    const auto button = [&](QPushButton*& b, const QString& text, const QString& name, const QString& tip) {
        b = new QPushButton(text, this);
        b->setObjectName(name);
        b->setToolTip(tip);
        controls->addWidget(b);
    };
    button(run_, tr("Run"), "sweepRun", tr("Start every trial of the sweep file into the folder"));
    button(resume_, tr("Resume"), "sweepResume",
           tr("Rerun only the trials that failed, were cancelled or interrupted (from their checkpoints), "
              "or never ran"));
    button(cancel_, tr("Cancel"), "sweepCancel",
           tr("Stop the trials (here: after their batch, checkpoint kept; Slurm: scancel)"));
    button(collect_, tr("Collect"), "sweepCollect",
           tr("Add the finished trials' runs to the experiment store (running it twice changes nothing)"));
    auto* refresh_button = new QPushButton(tr("Refresh"), this);
    refresh_button->setToolTip(tr("Read the trials' states again (and the Slurm queue)"));
    controls->addWidget(refresh_button);
    connect(run_, &QPushButton::clicked, this, &SweepsView::run);
    connect(resume_, &QPushButton::clicked, this, &SweepsView::resume);
    connect(cancel_, &QPushButton::clicked, this, &SweepsView::cancel);
    connect(collect_, &QPushButton::clicked, this, &SweepsView::collect);
    connect(refresh_button, &QPushButton::clicked, this, &SweepsView::poll);
    layout->addLayout(controls);
    status_ = new QLabel(this);
    status_->setObjectName("sweepStatus");
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(status_);

    auto* split = new QSplitter(Qt::Horizontal, this);
    table_ = new QTableWidget(0, 0, split);
    table_->setObjectName("sweepTrialsTable");
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->setAlternatingRowColors(true);
    split->addWidget(table_);
    auto* right = new QWidget(split);
    auto* right_layout = new QVBoxLayout(right);
    right_layout->setContentsMargins(0, 0, 0, 0);
    auto* choose = new QHBoxLayout;
    choose->addWidget(new QLabel(tr("Metric:"), right));
    metric_ = new QComboBox(right);
    metric_->setObjectName("sweepMetric");
    metric_->setToolTip(tr("What the parallel coordinates end in and the bars across seeds show"));
    metric_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    choose->addWidget(metric_);
    choose->addWidget(new QLabel(tr("Colour points by:"), right));
    colour_ = new QComboBox(right);
    colour_->setObjectName("sweepColour");
    colour_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    choose->addWidget(colour_);
    choose->addStretch(1);
    right_layout->addLayout(choose);
    charts_ = new QTabWidget(right);
    charts_->setObjectName("sweepCharts");
    parallel_ = new ParallelCoordinatesChart(charts_);
    scatter_ = new AccuracySizeChart(charts_);
    seeds_ = new SeedIntervalChart(charts_);
    charts_->addTab(parallel_, tr("Parallel coordinates"));
    charts_->addTab(scatter_, tr("Accuracy vs size"));
    charts_->addTab(seeds_, tr("Across seeds"));
    right_layout->addWidget(charts_, 1);
    split->addWidget(right);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    layout->addWidget(split, 1);
    connect(metric_, &QComboBox::currentIndexChanged, this, &SweepsView::fillCharts);
    connect(metric_, &QComboBox::activated, this, [this] { metric_chosen_ = true; });
    connect(colour_, &QComboBox::activated, this, [this] { colour_chosen_ = true; });
    connect(colour_, &QComboBox::currentIndexChanged, this, &SweepsView::fillCharts);

    poll_ = new QTimer(this);
    connect(poll_, &QTimer::timeout, this, &SweepsView::poll);
    connect(&runner_, &TaskRunner::finished, this, [this] {
        poll_->stop();
        refresh();
    });
    connect(&runner_, &TaskRunner::started, this, &SweepsView::updateButtons);
    updateButtons();
}

bool SweepsView::fail(const QString& message) {
    Q_EMIT errorOccurred(message);
    return false;
}

void SweepsView::setOutputFolder(const QString& dir) { out_->setText(dir); }
QString SweepsView::outputFolder() const {
    const QString dir = out_->text().trimmed();
    return dir.isEmpty() ? QString() : QDir(dir).absolutePath();
}
void SweepsView::setExecutor(const QString& executor) {
    executor_->setCurrentIndex(std::max(0, executor_->findData(executor)));
}
QString SweepsView::executor() const { return executor_->currentData().toString(); }
void SweepsView::setJobs(int jobs) { jobs_->setValue(jobs); }
void SweepsView::setProgram(const QString& path) { program_ = path; }
bool SweepsView::isFollowing() const { return poll_->isActive(); }

void SweepsView::openWithDialog(bool folder) {
    const QString start = workbench_.workspace();
    const QString path = folder ? QFileDialog::getExistingDirectory(this, tr("Open a sweep folder"), start)
                                : QFileDialog::getOpenFileName(this, tr("Open a sweep file"), start,
                                                               tr("Sweep files (*.json)"));
    if (!path.isEmpty()) open(path);
}

bool SweepsView::open(const QString& path) {
    const QFileInfo info(path);
    try {
        if (info.isDir()) {
            sweep::SweepOverview o = sweep::readSweepOverview(ss(info.absoluteFilePath()));
            sweep_file_ = qs(o.sweep_file);
            file_name_.clear();
            out_->setText(qs(o.dir));
            executor_->setCurrentIndex(std::max(0, executor_->findData(qs(o.executor))));
            showOverview(std::move(o));
            return true;
        }
        const sweep::SweepFile file = sweep::readSweepFile(ss(info.absoluteFilePath()));
        sweep_file_ = qs(file.path);
        file_name_ = qs(file.name);
        out_->setText(QDir(workbench_.workspace()).filePath("sweeps/" + qs(file.name)));
    } catch (const std::exception& e) {
        return fail(QString::fromUtf8(e.what()));
    }
    refresh();
    return true;
}

void SweepsView::refresh() {
    ++poll_generation_;  // a background read still on its way is older than this one: dropped
    if (sweep_file_.isEmpty()) return;
    try {
        const QString dir = outputFolder();
        if (!dir.isEmpty() && QFileInfo::exists(qs(sweep::sweepFolderFile(ss(dir)))))
            showFolder(dir, sweep::readSweepOverview(ss(dir)));
        else
            showOverview(sweep::plannedOverview(sweep::readSweepFile(ss(sweep_file_))));
    } catch (const std::exception& e) {
        fail(QString::fromUtf8(e.what()));
    }
}

void SweepsView::poll() {
    if (poll_pending_ || sweep_file_.isEmpty()) return;  // one read at a time, however slow squeue is
    const QString dir = outputFolder();
    if (dir.isEmpty() || !QFileInfo::exists(qs(sweep::sweepFolderFile(ss(dir))))) return refresh();  // the plan
    poll_pending_ = true;
    const int generation = ++poll_generation_;
    auto* watcher = new QFutureWatcher<PolledOverview>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, dir] {
        watcher->deleteLater();
        poll_pending_ = false;
        // A newer read (or another folder) since it started: what it read is stale.
        if (generation != poll_generation_ || dir != outputFolder()) return;
        PolledOverview read = watcher->result();
        if (!read.error.empty()) return void(fail(QString::fromUtf8(read.error.c_str())));
        try {
            showFolder(dir, std::move(read.overview));
        } catch (const std::exception& e) {
            fail(QString::fromUtf8(e.what()));
        }
    });
    watcher->setFuture(QtConcurrent::run([folder = ss(dir)] {
        PolledOverview read;
        try {
            read.overview = sweep::readSweepOverview(folder);
        } catch (const std::exception& e) {
            read.error = e.what();
        }
        return read;
    }));
}

void SweepsView::showFolder(const QString& dir, sweep::SweepOverview o) {
    // A folder of another sweep: show the file's plan (Run refuses that folder, naming both).
    if (!file_name_.isEmpty() && qs(o.name) != file_name_) {
        showOverview(sweep::plannedOverview(sweep::readSweepFile(ss(sweep_file_))));
        return void(fail(tr("%1 holds sweep \"%2\", not \"%3\": choose another folder to run this one.")
                             .arg(dir, qs(o.name), file_name_)));
    }
    if (!o.queue_warning.empty())
        Q_EMIT errorOccurred(tr("The Slurm queue is unknown: %1").arg(qs(o.queue_warning)));
    showOverview(std::move(o));
}

void SweepsView::showOverview(sweep::SweepOverview overview) {
    overview_ = std::move(overview);
    QStringList axes;
    for (const auto& a : overview_.axes) axes << qs(a);
    title_->setText(tr("Sweep <b>%1</b>: %2 trials over %3")
                        .arg(qs(overview_.name).toHtmlEscaped())
                        .arg(overview_.rows.size())
                        .arg(axes.isEmpty() ? tr("no axis") : axes.join(", ").toHtmlEscaped()));
    title_->setToolTip(qs(overview_.sweep_file));
    status_->setText(overview_.planned_only
                         ? tr("Planned, not run: %1. Run starts them into the folder.")
                               .arg(qs(sweep::stateCountsText(overview_)))
                         : tr("%1 — %2 in %3")
                               .arg(qs(sweep::stateCountsText(overview_)),
                                    overview_.executor == "slurm" ? tr("on Slurm") : tr("here"),
                                    qs(overview_.dir)));
    // Metric choices: every metric a trial reports; the user's choice kept across refreshes.
    const QString metric = metric_->currentText(), colour = colour_->currentData().toString();
    {
        const QSignalBlocker a(metric_), b(colour_);
        metric_->clear();
        for (const auto& m : overview_.metrics) metric_->addItem(qs(m));
        const int chosen = metric_chosen_ ? metric_->findText(metric) : -1;
        metric_->setCurrentIndex(
            chosen >= 0 ? chosen : std::max(0, metric_->findText(qs(sweep::accuracyMetricOf(overview_)))));
        colour_->clear();
        colour_->addItem(tr("(one colour)"), QString());
        for (const auto& m : sweep::costMetricsOf(overview_)) colour_->addItem(qs(m), qs(m));
        const int chosen_colour = colour_chosen_ ? colour_->findData(colour) : -1;
        colour_->setCurrentIndex(chosen_colour >= 0 ? chosen_colour : std::min(1, colour_->count() - 1));
    }
    fillTable();
    fillCharts();
    updateButtons();
    if (!runner_.isRunning() && overview_.executor == "slurm" && active(overview_)) {
        if (!poll_->isActive()) poll_->start(kSlurmPollMs);
    } else if (!runner_.isRunning()) {
        poll_->stop();
    }
}

void SweepsView::fillTable() {
    const std::string accuracy = sweep::accuracyMetricOf(overview_), bytes = sweep::bytesMetricOf(overview_);
    // Short headers keep the table narrow beside the charts; each names its metric when hovered.
    QStringList headers{tr("trial")}, tips{tr("the trial's index and folder (trial-NNNN)")};
    for (const auto& a : overview_.axes) headers << qs(a), tips << tr("sweep axis %1").arg(qs(a));
    headers << tr("state");
    tips << tr(
        "not-run, queued, running, finished, failed, cancelled or interrupted (hover a cell for its error)");
    if (!accuracy.empty()) headers << tr("accuracy"), tips << qs(accuracy);
    if (!bytes.empty())
        headers << tr("size"), tips << (bytes == sweep::kFp32BytesMetric
                                            ? tr("float32 model size: 4 bytes per trained parameter")
                                            : qs(bytes));
    headers << tr("attempts") << tr("Slurm job / host") << tr("error");
    tips << tr("attempts recorded in trial.json")
         << tr("JOB_TASK of the Slurm array, else the host it ran on")
         << tr("the last attempt's error, when it did not finish");
    table_->clear();
    table_->setColumnCount(headers.size());
    table_->setHorizontalHeaderLabels(headers);
    for (int c = 0; c < headers.size(); ++c) table_->horizontalHeaderItem(c)->setToolTip(tips[c]);
    table_->setRowCount(static_cast<int>(overview_.rows.size()));
    for (int row = 0; row < static_cast<int>(overview_.rows.size()); ++row) {
        const sweep::TrialRow& r = overview_.rows[static_cast<std::size_t>(row)];
        int c = 0;
        const auto put = [&](const QString& text, const QString& tip = {}) {
            auto* item = new QTableWidgetItem(text);
            if (!tip.isEmpty()) item->setToolTip(tip);
            table_->setItem(row, c++, item);
            return item;
        };
        put(QString::number(r.index), qs(r.folder));
        for (const auto& a : overview_.axes)
            put(r.values.contains(a)
                    ? (r.values[a].is_string() ? qs(r.values[a].get<std::string>()) : qs(r.values[a].dump()))
                    : QString());
        QString state = qs(sweep::toString(r.state));
        if (!r.slurm_state.empty()) state += " (" + qs(r.slurm_state) + ")";
        put(state, qs(r.error))->setForeground(stateColor(r.state));
        for (const std::string& m : {accuracy, bytes}) {
            if (m.empty()) continue;
            const auto v = r.metrics.find(m);
            put(v == r.metrics.end() ? QString() : metricCell(m, v->second));
        }
        put(r.attempts ? QString::number(r.attempts) : QString());
        put(r.slurm_job_id.empty() ? qs(r.host) : qs(r.slurm_job_id + "_" + r.slurm_array_task_id),
            qs(r.host));
        put(qs(r.error), qs(r.error));
    }
}

void SweepsView::fillCharts() {
    const std::string metric = ss(metric_->currentText());
    const std::string accuracy = sweep::accuracyMetricOf(overview_), bytes = sweep::bytesMetricOf(overview_);
    const sweep::ParallelCoordinates pc = sweep::parallelCoordinates(overview_, metric);
    std::vector<QString> labels;
    for (const auto& line : pc.lines) {
        const sweep::TrialRow& r = overview_.rows[static_cast<std::size_t>(line.trial)];
        labels.push_back(qs(r.folder + " " + sweep::valuesLabel(overview_.axes, r.values)) + ": " +
                         metricCell(metric, line.metric));
    }
    const QString metric_title = qs(metric) + (sweep::isRateMetric(metric) ? " (%)" : "");
    parallel_->setData(pc, metric.empty() ? tr("(no metric yet)") : metric_title, labels);
    scatter_->setData(overview_, accuracy, bytes, ss(colour_->currentData().toString()));
    seeds_->setData(overview_.seed_groups, overview_.axes, metric);
}

void SweepsView::updateButtons() {
    const bool busy = runner_.isRunning();
    const bool has_folder = !overview_.planned_only && !overview_.dir.empty();
    run_->setEnabled(!busy && !sweep_file_.isEmpty() && !has_folder);
    resume_->setEnabled(!busy && has_folder && anyToRun(overview_));
    cancel_->setEnabled(busy || (has_folder && overview_.executor == "slurm" && active(overview_)));
    collect_->setEnabled(!busy && has_folder);
}

bool SweepsView::run() { return start(true); }
bool SweepsView::resume() { return start(false); }

bool SweepsView::start(bool from_file) {
    if (runner_.isRunning() || !runner_.mayStart()) return false;
    const QString dir = outputFolder();
    if (dir.isEmpty()) return fail(tr("Sweeps: choose the folder the trials go into first."));
    if (program_.isEmpty() || !QFileInfo(program_).isExecutable())
        return fail(tr("Sweeps: the tinym2net program was not found beside this one or on PATH (%1); "
                       "each trial runs `tinym2net sweep run-trial`.")
                        .arg(program_.isEmpty() ? tr("no path") : program_));
    const std::string executor = ss(this->executor());
    sweep::SweepFolder folder;
    std::vector<int> trials;
    try {
        if (from_file) {
            if (sweep_file_.isEmpty()) return fail(tr("Sweeps: open a sweep file first."));
            folder = sweep::openSweepFolder(ss(dir), sweep::readSweepFile(ss(sweep_file_)), executor);
        } else {
            folder = sweep::readSweepFolder(ss(dir));
            if (folder.executor != executor) {
                folder.executor = executor;
                sweep::saveSweepFolder(folder);
            }
        }
        sweep_file_ = qs(folder.sweep_file);
        trials = sweep::trialsToStart(folder, executor);
        if (trials.empty()) {
            Q_EMIT info(tr("Sweep %1: nothing to run (every trial is finished, queued or running).")
                            .arg(qs(folder.name)));
            refresh();
            return true;
        }
        if (executor == "slurm") {
            sweep::SlurmOptions chosen;
            chosen.partition = ss(partition_->text().trimmed());
            chosen.account = ss(account_->text().trimmed());
            chosen.time = ss(time_->text().trimmed());
            chosen.mem = ss(mem_->text().trimmed());
            chosen.max_parallel = max_parallel_->value();
            const std::string job = sweep::submitSweepTrials(folder, trials, chosen, ss(program_));
            Q_EMIT info(tr("Sweep %1: submitted job %2 (array %3, %4 trials).")
                            .arg(qs(folder.name), qs(job), qs(folder.submissions.back().array))
                            .arg(trials.size()));
            refresh();
            poll_->start(kSlurmPollMs);
            return true;
        }
    } catch (const std::exception& e) {
        return fail(QString::fromUtf8(e.what()));
    }
    const int jobs = jobs_->value();
    const std::string program = ss(program_);
    const bool started = runner_.start(
        tr("Sweep %1: %2 trials, %3 at a time").arg(qs(folder.name)).arg(trials.size()).arg(jobs),
        [folder, trials, jobs, program](const TaskContext& c) {
            std::size_t ended = 0;
            c.progress({"trials", 0, trials.size(), ""});
            sweep::runSweepLocally(
                folder, trials, jobs, program, [&c] { return !c.cancelRequested(); },
                [&](const sweep::LocalTrialExit& e) {
                    ++ended;
                    c.progress({"trials", ended, trials.size(),
                                sweep::trialFolderName(e.index) +
                                    (e.exit_code == 0 ? " finished"
                                                      : " ended with code " + std::to_string(e.exit_code))});
                });
            if (c.cancelRequested()) throw Cancelled();
            return QVariant(static_cast<int>(ended));
        });
    if (!started) return false;
    refresh();
    poll_->start(kLocalPollMs);
    return true;
}

void SweepsView::cancel() {
    if (runner_.isRunning()) {
        runner_.cancel();
        return;
    }
    if (overview_.executor != "slurm" || overview_.dir.empty()) return;
    try {
        const sweep::SweepFolder folder = sweep::readSweepFolder(overview_.dir);
        QStringList ids;
        for (const auto& id : sweep::cancelSlurmJobs(folder)) ids << qs(id);
        Q_EMIT info(tr("Cancelled Slurm job %1; Resume reruns what did not finish.").arg(ids.join(", ")));
    } catch (const std::exception& e) {
        fail(QString::fromUtf8(e.what()));
    }
    refresh();
}

bool SweepsView::collect() {
    if (overview_.dir.empty()) return fail(tr("Sweeps: nothing to collect yet (the sweep has not run)."));
    try {
        const sweep::SweepFolder folder = sweep::readSweepFolder(overview_.dir);
        const sweep::SweepState state = sweep::currentSweepState(folder);
        experiment::ExperimentStore store(ss(workbench_.workspace()));
        const sweep::CollectReport report = sweep::collectSweep(state.trials, store);
        QString text = tr("Sweep %1: %2 runs added to the experiment store, %3 already there")
                           .arg(qs(folder.name))
                           .arg(report.added)
                           .arg(report.already);
        if (report.unfinished)
            text += tr("; %1 trials not finished yet (collect again later)").arg(report.unfinished);
        for (const auto& p : report.problems) text += "\n" + qs(p);
        Q_EMIT info(text + ".");
    } catch (const std::exception& e) {
        return fail(QString::fromUtf8(e.what()));
    }
    Q_EMIT storeChanged();
    return true;
}

}  // namespace tm2::gui
